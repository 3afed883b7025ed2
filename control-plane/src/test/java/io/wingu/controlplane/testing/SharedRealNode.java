package io.wingu.controlplane.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * One real-node cluster (RealNode) and its control plane for the test classes of a JVM that need
 * sites really served but nothing of the node to themselves: their sites become Available because
 * their pods are Ready. Tests make their own institutions with unique names, as on
 * SharedControlPlane. The machine runs one cluster at a time, so a test that starts its own first
 * stops this one ({@link #release()}; RealNode does it); the classes that use it are marked {@link
 * User} and run after the others ({@link SharedRealNodeUsersLast}), so it starts once a run.
 */
public final class SharedRealNode {

  private static RealNode node;

  private SharedRealNode() {}

  /** A test class running on the shared real node, never beside another class using the cluster. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  @ExtendWith(StopAtTheEnd.class)
  @ResourceLock(RealNode.CLUSTER)
  public @interface User {}

  /**
   * Stops the shared node once every test of the run has finished (the run's root store closes what
   * it holds), before the JVM's exit, which the build gives little time; the JVM's shutdown hook
   * stays for a run cut short.
   */
  static final class StopAtTheEnd implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
      context
          .getRoot()
          .getStore(ExtensionContext.Namespace.create(SharedRealNode.class))
          .getOrComputeIfAbsent(
              "stop", key -> (AutoCloseable) SharedRealNode::release, AutoCloseable.class);
    }
  }

  /** The shared node, started on first use and stopped at the end of the run. */
  public static synchronized RealNode get() {
    if (node == null) {
      try {
        // on every address, as SharedControlPlane: the pods reach it on the node's address, the
        // tests and their browser on loopback, where its cookies need no HTTPS (SessionGate)
        node = RealNode.start("shared", Map.of("WINGU_HTTP_HOST", "0.0.0.0"));
      } catch (Exception e) {
        throw new IllegalStateException("the shared real node did not start", e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(SharedRealNode::release));
    }
    return node;
  }

  /** Stops the shared node if it runs, so that something else can run the machine's cluster. */
  public static synchronized void release() {
    if (node != null) {
      RealNode stopping = node;
      node = null;
      stopping.close();
    }
  }

  public static ApiClient operator() {
    return get().operator();
  }

  /** The shared node's control plane, as its pods and this machine reach it. */
  public static URI url() {
    return get().plane().url();
  }
}
