package io.wingu.controlplane.testing;

import java.util.Comparator;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Orders the classes: first those that need no cluster (in the order they came), then those marked
 * {@link SharedRealNode.User}, last those that start the machine's one cluster themselves
 * (junit-platform.properties names this orderer). One at a time, the shared node starts once a run.
 * Two at a time (when junit-platform.properties turns that on), the runner's threads take the
 * classes from both ends of this order: one starts at once on the cluster classes, each own-cluster
 * class before the shared node starts, while the other works through the rest.
 */
public final class SharedRealNodeUsersLast implements ClassOrderer {

  @Override
  public void orderClasses(ClassOrdererContext context) {
    context.getClassDescriptors().sort(Comparator.comparingInt(SharedRealNodeUsersLast::group));
  }

  private static int group(ClassDescriptor d) {
    if (d.findAnnotation(SharedRealNode.User.class).isPresent()) {
      return 1;
    }
    boolean ownCluster =
        d.findRepeatableAnnotations(ResourceLock.class).stream()
            .anyMatch(lock -> lock.value().equals(RealNode.CLUSTER));
    return ownCluster ? 2 : 0;
  }
}
