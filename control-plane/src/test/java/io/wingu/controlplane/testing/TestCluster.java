package io.wingu.controlplane.testing;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.wingu.dev.LocalKubernetes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The one real kube-apiserver + etcd of a test JVM, started on first use. */
public final class TestCluster {

  private static LocalKubernetes cluster;
  private static Path kubeconfig;

  private TestCluster() {}

  public static synchronized Path kubeconfig() {
    if (cluster == null) {
      cluster = LocalKubernetes.start();
      Runtime.getRuntime().addShutdownHook(new Thread(cluster::close));
      try {
        kubeconfig =
            cluster.writeKubeconfig(
                Files.createTempDirectory("wingu-test-kube").resolve("kubeconfig"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return kubeconfig;
  }

  public static String kubeconfigYaml() {
    try {
      return Files.readString(kubeconfig());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A cluster-admin client; close it when done. */
  public static KubernetesClient adminClient() {
    return new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(kubeconfigYaml()))
        .build();
  }
}
