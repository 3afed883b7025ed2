package io.wingu.controlplane.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.wingu.controlplane.provisioning.SiteDeployments;
import io.wingu.controlplane.testing.Eventually;
import io.wingu.controlplane.testing.SharedRealNode;
import io.wingu.controlplane.testing.TenantSite;
import io.wingu.dev.LocalCluster;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * What the pods on a node request, on the shared real node: a pod that ran to its end (its phase
 * Succeeded, as the kubelet wrote it) holds nothing of its node.
 */
@SharedRealNode.User
class NodeCapacityOnRealNodeIT {

  static final String NAMESPACE = "usage-finished";

  @Test
  void aPodThatRanToItsEndHoldsNothingOnItsNode() throws Exception {
    KubernetesClient k = SharedRealNode.get().client();
    k.namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .serverSideApply();
    String name = "done-" + Long.toString(System.nanoTime() % 100000, 36);
    // the site web server's image, asked only for its version: it prints it and exits 0
    k.pods()
        .inNamespace(NAMESPACE)
        .resource(
            ClusterPods.restricted(name, SiteDeployments.DEFAULT_IMAGE, "50m", "64Mi")
                .editSpec()
                .withRestartPolicy("Never")
                .editFirstContainer()
                .withImagePullPolicy("IfNotPresent")
                .withCommand("/usr/sbin/nginx", "-v")
                .endContainer()
                .endSpec()
                .build())
        .create();
    var pod = k.pods().inNamespace(NAMESPACE).withName(name);
    Eventually.holds(
        "the pod ran to its end",
        () -> "Succeeded".equals(pod.get().getStatus().getPhase()),
        TenantSite.POD_WAIT);
    Pod done = pod.get();
    assertThat(done.getSpec().getNodeName()).isEqualTo(LocalCluster.NODE_NAME);
    assertThat(NodeCapacity.podRequests(done))
        .as("what it asked while it ran")
        .isEqualTo(new NodeCapacity.Resources(50, 64L << 20, 1));
    assertThat(NodeCapacity.requested(List.of(done))).as("what it holds now").isEmpty();
    // nor is it among the pods whose requests the capacity view sums for the node (read again
    // while other tests' site pods still come and go)
    Eventually.holds(
        "the node's requests without the finished pod",
        () ->
            Objects.equals(
                NodeCapacity.read(k).requested().get(LocalCluster.NODE_NAME),
                NodeCapacity.requested(
                        k.pods().inAnyNamespace().list().getItems().stream()
                            .filter(p -> !p.getMetadata().getName().equals(name))
                            .toList())
                    .get(LocalCluster.NODE_NAME)),
        TenantSite.POD_WAIT);
    pod.delete();
  }
}
