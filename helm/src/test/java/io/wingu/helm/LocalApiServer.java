package io.wingu.helm;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real kube-apiserver and etcd (Fabric8 kube-api-test, offline: the binaries that
 * scripts/kube-binaries.sh builds into ~/.kubeapitest), and an admin client of it.
 */
final class LocalApiServer implements AutoCloseable {

  private final KubeAPIServer server;
  private final KubernetesClient client;

  private LocalApiServer(KubeAPIServer server, KubernetesClient client) {
    this.server = server;
    this.client = client;
  }

  static LocalApiServer start() {
    String version = RenderedChart.KUBE_VERSION;
    String dir = System.getenv("KUBE_API_TEST_DIR");
    Path binaries =
        (dir != null ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".kubeapitest"))
            .resolve("k8s")
            .resolve(version + "-linux-amd64");
    if (!Files.isExecutable(binaries.resolve("kube-apiserver"))) {
      throw new IllegalStateException(
          "no kube-apiserver " + version + " in " + binaries + ": run scripts/kube-binaries.sh");
    }
    KubeAPIServer server =
        new KubeAPIServer(
            KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withOfflineMode(true)
                .withApiServerVersion(version)
                .withUpdateKubeConfig(false)
                .withStartupTimeout(120_000)
                .build());
    server.start();
    KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(server.getKubeConfigYaml()))
            .build();
    return new LocalApiServer(server, client);
  }

  KubernetesClient client() {
    return client;
  }

  String kubeconfigYaml() {
    return server.getKubeConfigYaml();
  }

  @Override
  public void close() {
    client.close();
    server.stop();
  }
}
