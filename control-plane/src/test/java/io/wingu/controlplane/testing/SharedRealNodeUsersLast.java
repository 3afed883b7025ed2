package io.wingu.controlplane.testing;

import java.util.Comparator;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/**
 * Runs the classes marked {@link SharedRealNode.User} after every other class, the others in the
 * order they came: the shared real node then starts once a run, after the tests that start the
 * machine's one cluster themselves, and no idle cluster slows the tests that need none
 * (junit-platform.properties names it).
 */
public final class SharedRealNodeUsersLast implements ClassOrderer {

  @Override
  public void orderClasses(ClassOrdererContext context) {
    context
        .getClassDescriptors()
        .sort(Comparator.comparing(d -> d.findAnnotation(SharedRealNode.User.class).isPresent()));
  }
}
