package io.wingu.controlplane.usage;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.testing.Eventually;
import io.wingu.controlplane.testing.TestCluster;
import io.wingu.controlplane.wiring.ControlPlane;
import java.time.Duration;

/**
 * Real Pods and Nodes in the test API server, for agent reports to be believed: there is no
 * scheduler or kubelet, so a pod is bound by setting spec.nodeName when it is created.
 */
public final class ClusterPods {

  private ClusterPods() {}

  /** A Node with this CPU and memory capacity (and allocatable). */
  public static void node(String name, String cpu, String memory) {
    try (KubernetesClient k = TestCluster.adminClient()) {
      k.nodes()
          .resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata().build())
          .serverSideApply();
      k.nodes()
          .withName(name)
          .editStatus(
              n ->
                  new NodeBuilder(n)
                      .withNewStatus()
                      .addToCapacity("cpu", new Quantity(cpu))
                      .addToCapacity("memory", new Quantity(memory))
                      .addToAllocatable("cpu", new Quantity(cpu))
                      .addToAllocatable("memory", new Quantity(memory))
                      .endStatus()
                      .build());
    }
  }

  /**
   * A pod bound to {@code node} (the namespace made if need be), asking little enough to fit any
   * tenant's quota and as restricted as a tenant namespace's Pod Security demands; its uid.
   */
  public static String pod(String namespace, String name, String node) {
    try (KubernetesClient k = TestCluster.adminClient()) {
      if (k.namespaces().withName(namespace).get() == null) {
        k.namespaces()
            .resource(
                new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
            .serverSideApply();
      }
      return k.pods()
          .inNamespace(namespace)
          .resource(
              restricted(name, "nginx", "10m", "16Mi")
                  .editSpec()
                  .withNodeName(node)
                  .endSpec()
                  .build())
          .serverSideApply()
          .getMetadata()
          .getUid();
    }
  }

  /**
   * A pod as restricted as a tenant namespace's Pod Security demands, its one container "app" of
   * {@code image} asking for (and limited to) {@code cpu} and {@code memory}.
   */
  public static PodBuilder restricted(String name, String image, String cpu, String memory) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withRunAsUser(1000L)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .addNewContainer()
        .withName("app")
        .withImage(image)
        .withNewSecurityContext()
        .withAllowPrivilegeEscalation(false)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .endSecurityContext()
        .withNewResources()
        .addToRequests("cpu", new Quantity(cpu))
        .addToRequests("memory", new Quantity(memory))
        .addToLimits("cpu", new Quantity(cpu))
        .addToLimits("memory", new Quantity(memory))
        .endResources()
        .endContainer()
        .endSpec();
  }

  /**
   * Waits until the control plane's pod cache has the pod (its informer follows the API server).
   */
  public static void awaitSeen(ControlPlane plane, String namespace, String name, String uid)
      throws Exception {
    Eventually.holds(
        "the control plane sees pod " + namespace + "/" + name,
        () ->
            plane
                .usage()
                .cluster()
                .pod(namespace, name)
                .filter(p -> p.uid().equals(uid))
                .isPresent(),
        Duration.ofSeconds(20));
  }

  /** A pod made, bound and seen by the control plane; its uid. */
  public static String placed(ControlPlane plane, String namespace, String name, String node)
      throws Exception {
    String uid = pod(namespace, name, node);
    awaitSeen(plane, namespace, name, uid);
    return uid;
  }

  /** A report's entry for a pod. */
  public static JsonObject sample(
      String namespace, String name, String uid, long cpu, long memory, long rx, long tx) {
    return new JsonObject()
        .put("namespace", namespace)
        .put("name", name)
        .put("uid", uid)
        .put("cpuMillis", cpu)
        .put("memoryBytes", memory)
        .put("netRxBytes", rx)
        .put("netTxBytes", tx);
  }
}
