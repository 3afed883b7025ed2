package io.wingu.dev;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubeapitest.KubeAPITestException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real kube-apiserver and etcd on this machine through Fabric8's kube-api-test, from binaries
 * that scripts/kube-binaries.sh built (offline mode: nothing is downloaded).
 */
public final class LocalKubernetes implements AutoCloseable {

  /** Keep in step with KUBE_VERSION in scripts/kube-binaries.sh. */
  public static final String VERSION = "1.35.4";

  private final KubeAPIServer server;

  private LocalKubernetes(KubeAPIServer server) {
    this.server = server;
  }

  public static LocalKubernetes start() {
    Path binaries = binaryFolder();
    if (!Files.isExecutable(binaries.resolve("kube-apiserver"))
        || !Files.isExecutable(binaries.resolve("etcd"))) {
      throw new IllegalStateException(
          "Kubernetes "
              + VERSION
              + " test binaries are missing in "
              + binaries
              + ": run scripts/kube-binaries.sh");
    }
    KubeAPIServer server =
        new KubeAPIServer(
            KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withOfflineMode(true)
                .withApiServerVersion(VERSION)
                .withStartupTimeout(120_000)
                .build());
    try {
      server.start();
    } catch (KubeAPITestException e) {
      throw new IllegalStateException(
          "the local kube-apiserver did not start: " + e.getMessage(), e);
    }
    return new LocalKubernetes(server);
  }

  public static Path binaryFolder() {
    String dir = System.getenv("KUBE_API_TEST_DIR");
    Path root =
        dir != null ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".kubeapitest");
    return root.resolve("k8s").resolve(VERSION + "-linux-amd64");
  }

  public String kubeconfigYaml() {
    return server.getKubeConfigYaml();
  }

  public Path writeKubeconfig(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, kubeconfigYaml());
    return file;
  }

  @Override
  public void close() {
    server.stop();
  }
}
