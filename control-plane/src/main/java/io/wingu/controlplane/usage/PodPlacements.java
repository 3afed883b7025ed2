package io.wingu.controlplane.usage;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the cluster says each pod runs, and what each node holds, from informer caches of every Pod
 * and Node: an agent's report is checked against them on each report (every 15 s per node) without
 * asking the API server.
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
    this.pods = client.pods().inAnyNamespace().runnableInformer(0);
    this.nodes = client.nodes().runnableInformer(0);
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
