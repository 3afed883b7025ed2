package io.wingu.controlplane.usage;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the cluster says each pod runs, and what each node holds, from informer caches of every Pod
 * and Node: an agent's report is checked against them on each report (every 15 s per node) without
 * asking the API server. The caches keep only the fields those checks read (a pod's uid and node, a
 * node's capacity and allocatable): with 30 pods on each of 5,000 nodes, whole Pod objects (specs,
 * statuses, managed fields) would be most of the control plane's heap.
 */
final class PodPlacements implements SampleScreen.Cluster, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PodPlacements.class);

  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<Node> nodes;

  /**
   * Starts both informers without waiting for their first list (until then, every sample is
   * dropped).
   */
  PodPlacements(KubernetesClient client) {
    KubernetesSerialization serialization = client.getKubernetesSerialization();
    this.pods =
        client.pods().inAnyNamespace().runnableInformer(0).itemStore(podStore(serialization));
    this.nodes = client.nodes().runnableInformer(0).itemStore(nodeStore(serialization));
    pods.start()
        .whenComplete(
            (v, e) -> {
              if (e != null) {
                LOG.warn(
                    "the pod cache did not start (agent samples are dropped until it does): {}",
                    e.toString());
              }
            });
    nodes
        .start()
        .whenComplete(
            (v, e) -> {
              if (e != null) {
                LOG.warn("the node cache did not start: {}", e.toString());
              }
            });
  }

  /** A pod cache holding a pod's namespace, name, uid and node, nothing else. */
  static ItemStore<Pod> podStore(KubernetesSerialization serialization) {
    return new ReducedStateItemStore<>(
        ReducedStateItemStore.NAME_KEY_STATE,
        Pod.class,
        serialization,
        "metadata.uid",
        "spec.nodeName");
  }

  /** A node cache holding a node's name, capacity and allocatable, nothing else. */
  static ItemStore<Node> nodeStore(KubernetesSerialization serialization) {
    return new ReducedStateItemStore<>(
        ReducedStateItemStore.NAME_KEY_STATE,
        Node.class,
        serialization,
        "status.capacity",
        "status.allocatable");
  }

  /** True once both caches have listed what exists. */
  public boolean synced() {
    return pods.hasSynced() && nodes.hasSynced();
  }

  @Override
  public Optional<SampleScreen.Placed> pod(String namespace, String name) {
    Pod pod = pods.getStore().getByKey(namespace + "/" + name);
    if (pod == null || pod.getSpec() == null) {
      return Optional.empty();
    }
    return Optional.of(
        new SampleScreen.Placed(pod.getMetadata().getUid(), pod.getSpec().getNodeName()));
  }

  @Override
  public Optional<SampleScreen.Capacity> node(String name) {
    Node node = nodes.getStore().getByKey(name);
    if (node == null || node.getStatus() == null) {
      return Optional.empty();
    }
    // capacity is the machine; allocatable (a little less) is what a test cluster may give alone
    long cpu =
        Math.max(
            millis(node.getStatus().getCapacity(), "cpu"),
            millis(node.getStatus().getAllocatable(), "cpu"));
    long memory =
        Math.max(
            bytes(node.getStatus().getCapacity(), "memory"),
            bytes(node.getStatus().getAllocatable(), "memory"));
    return cpu == 0 && memory == 0
        ? Optional.empty()
        : Optional.of(new SampleScreen.Capacity(cpu, memory));
  }

  private static long millis(Map<String, Quantity> figures, String key) {
    Quantity q = figures == null ? null : figures.get(key);
    return q == null
        ? 0
        : Quantity.getAmountInBytes(q)
            .multiply(BigDecimal.valueOf(1000))
            .setScale(0, RoundingMode.CEILING)
            .longValue();
  }

  private static long bytes(Map<String, Quantity> figures, String key) {
    Quantity q = figures == null ? null : figures.get(key);
    return q == null
        ? 0
        : Quantity.getAmountInBytes(q).setScale(0, RoundingMode.CEILING).longValue();
  }

  @Override
  public void close() {
    pods.close();
    nodes.close();
  }
}
