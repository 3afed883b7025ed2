package io.wingu.controlplane.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.wingu.controlplane.testing.TestCluster;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Round trips through a real kube-apiserver + etcd, with the client the control plane uses. */
class KubernetesIT {

  @Test
  void createsANamespaceAndAQuotaAndReadsThemBack() {
    try (KubernetesClient client = Kubernetes.connect(Optional.of(TestCluster.kubeconfig()))) {
      client
          .namespaces()
          .resource(
              new NamespaceBuilder()
                  .withNewMetadata()
                  .withName("inst-foundation")
                  .addToLabels("app.kubernetes.io/managed-by", "wingu")
                  .endMetadata()
                  .build())
          .serverSideApply();
      client
          .resourceQuotas()
          .inNamespace("inst-foundation")
          .resource(
              new ResourceQuotaBuilder()
                  .withNewMetadata()
                  .withName("tenant-quota")
                  .endMetadata()
                  .withNewSpec()
                  .withHard(
                      Map.of(
                          "requests.cpu",
                          new Quantity("2"),
                          "requests.memory",
                          new Quantity("4Gi")))
                  .endSpec()
                  .build())
          .serverSideApply();

      var ns = client.namespaces().withName("inst-foundation").get();
      assertThat(ns.getMetadata().getLabels())
          .containsEntry("app.kubernetes.io/managed-by", "wingu");
      assertThat(ns.getMetadata().getUid()).isNotBlank();
      var quota =
          client.resourceQuotas().inNamespace("inst-foundation").withName("tenant-quota").get();
      assertThat(quota.getSpec().getHard()).containsEntry("requests.memory", new Quantity("4Gi"));
      assertThat(client.getKubernetesVersion().getGitVersion())
          .isEqualTo("v" + io.wingu.dev.LocalKubernetes.VERSION);
    }
  }

  @Test
  void theRealApiServerRejectsAnInvalidNamespaceName() {
    try (KubernetesClient client = Kubernetes.connect(Optional.of(TestCluster.kubeconfig()))) {
      assertThatThrownBy(
              () ->
                  client
                      .namespaces()
                      .resource(
                          new NamespaceBuilder()
                              .withNewMetadata()
                              .withName("Not_A_Valid.Name")
                              .endMetadata()
                              .build())
                      .create())
          .isInstanceOf(KubernetesClientException.class)
          .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
          .hasMessageContaining("RFC 1123");
    }
  }
}
