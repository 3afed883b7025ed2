package io.wingu.controlplane.app;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Builds the Kubernetes client from WINGU_KUBECONFIG, or in-cluster configuration without it. */
public final class Kubernetes {

  private Kubernetes() {}

  public static KubernetesClient connect(Optional<Path> kubeconfig) {
    Config config = kubeconfig.map(Kubernetes::fromFile).orElseGet(Kubernetes::inCluster);
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    try {
      client.getKubernetesVersion();
    } catch (RuntimeException e) {
      client.close();
      throw new StartupException(
          "cannot reach the Kubernetes API at "
              + config.getMasterUrl()
              + ": "
              + Database.rootMessage(e)
              + " (check WINGU_KUBECONFIG)",
          e);
    }
    return client;
  }

  // fabric8 marks this overload for removal; moving to its replacement is a change of its own
  @SuppressWarnings("removal")
  static Config fromFile(Path file) {
    try {
      Config parsed = Config.fromKubeconfig(null, Files.readString(file), file.toString());
      return withTimeouts(new ConfigBuilder(parsed));
    } catch (IOException | RuntimeException e) {
      throw new StartupException(
          "cannot read the kubeconfig "
              + file
              + ": "
              + Database.rootMessage(e)
              + " (check WINGU_KUBECONFIG)",
          e);
    }
  }

  private static Config inCluster() {
    // Never fall back to whatever ~/.kube/config holds: a stale context would be managed by
    // mistake.
    System.setProperty(Config.KUBERNETES_AUTH_TRYKUBECONFIG_SYSTEM_PROPERTY, "false");
    Config auto = Config.autoConfigure(null);
    if (auto.getMasterUrl() == null
        || !Files.exists(Path.of(Config.KUBERNETES_SERVICE_ACCOUNT_TOKEN_PATH))) {
      throw new StartupException(
          "no Kubernetes cluster configured: set WINGU_KUBECONFIG to a kubeconfig file,"
              + " run inside a cluster, or use ./wingu dev");
    }
    return withTimeouts(new ConfigBuilder(auto));
  }

  private static Config withTimeouts(ConfigBuilder builder) {
    return builder
        .withConnectionTimeout(3_000)
        .withRequestTimeout(10_000)
        .withRequestRetryBackoffLimit(0)
        .build();
  }
}
