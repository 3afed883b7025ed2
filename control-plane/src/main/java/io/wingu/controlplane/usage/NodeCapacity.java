package io.wingu.controlplane.usage;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the Kubernetes API says of each node, next to what its agent measured: allocatable CPU and
 * memory (the Node's status.allocatable) and what the pods scheduled there request (the scheduler's
 * own sum), so the capacity view reads allocatable vs requested vs used.
 */
public final class NodeCapacity {

  /** Pods that have finished hold no resources on their node. */
  private static final Set<String> FINISHED = Set.of("Succeeded", "Failed");

  /** CPU and memory of one node, and how many pods make up a requested figure. */
  public record Resources(long cpuMillis, long memoryBytes, int pods) {}

  /** Each Node's allocatable, and the requests of the pods bound to each node. */
  record Cluster(Map<String, Resources> allocatable, Map<String, Resources> requested) {}

  private NodeCapacity() {}

  /** Reads Nodes and Pods from the API server (blocking: run it on a worker). */
  static Cluster read(KubernetesClient client) {
    Map<String, Resources> allocatable = new HashMap<>();
    for (Node node : client.nodes().list().getItems()) {
      Map<String, Quantity> a = node.getStatus() == null ? null : node.getStatus().getAllocatable();
      if (a != null && (a.containsKey("cpu") || a.containsKey("memory"))) {
        allocatable.put(
            node.getMetadata().getName(),
            new Resources(millis(a.get("cpu")), bytes(a.get("memory")), 0));
      }
    }
    // finished pods are left out by the API server already, and again below
    return new Cluster(
        allocatable,
        requested(
            client
                .pods()
                .inAnyNamespace()
                .withoutField("status.phase", "Succeeded")
                .withoutField("status.phase", "Failed")
                .list()
                .getItems()));
  }

  /** Per node name: the summed requests of the pods bound to it and not finished. */
  static Map<String, Resources> requested(List<Pod> pods) {
    Map<String, Resources> out = new HashMap<>();
    for (Pod pod : pods) {
      String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
      if (node == null
          || node.isEmpty()
          || (pod.getStatus() != null && FINISHED.contains(pod.getStatus().getPhase()))) {
        continue;
      }
      Resources r = podRequests(pod);
      out.merge(
          node,
          r,
          (x, y) ->
              new Resources(
                  x.cpuMillis() + y.cpuMillis(),
                  x.memoryBytes() + y.memoryBytes(),
                  x.pods() + y.pods()));
    }
    return out;
  }

  /**
   * A pod's effective request as the scheduler counts it: the larger of its containers' sum and any
   * one init container's, plus the pod's overhead.
   */
  static Resources podRequests(Pod pod) {
    long cpu = 0;
    long memory = 0;
    for (Container c : pod.getSpec().getContainers()) {
      cpu += millis(request(c, "cpu"));
      memory += bytes(request(c, "memory"));
    }
    if (pod.getSpec().getInitContainers() != null) {
      for (Container c : pod.getSpec().getInitContainers()) {
        cpu = Math.max(cpu, millis(request(c, "cpu")));
        memory = Math.max(memory, bytes(request(c, "memory")));
      }
    }
    Map<String, Quantity> overhead = pod.getSpec().getOverhead();
    if (overhead != null) {
      cpu += millis(overhead.get("cpu"));
      memory += bytes(overhead.get("memory"));
    }
    return new Resources(cpu, memory, 1);
  }

  private static Quantity request(Container c, String resource) {
    return c.getResources() == null || c.getResources().getRequests() == null
        ? null
        : c.getResources().getRequests().get(resource);
  }

  private static long millis(Quantity q) {
    return q == null
        ? 0
        : Quantity.getAmountInBytes(q)
            .multiply(BigDecimal.valueOf(1000))
            .setScale(0, java.math.RoundingMode.CEILING)
            .longValueExact();
  }

  private static long bytes(Quantity q) {
    return q == null
        ? 0
        : Quantity.getAmountInBytes(q).setScale(0, java.math.RoundingMode.CEILING).longValueExact();
  }

  /**
   * The agents' latest reports with, for each node, its allocatable (from the Node, else the
   * agent's capacity, as its source says) and requested (zero when no pod is bound there).
   */
  static List<NodeUsage> annotate(List<NodeUsage.Report> reports, Cluster cluster) {
    return reports.stream()
        .map(
            n -> {
              Resources a = cluster.allocatable().get(n.nodeName());
              NodeUsage.Allocatable allocatable =
                  a != null
                      ? new NodeUsage.Allocatable(a.cpuMillis(), a.memoryBytes(), "node")
                      : new NodeUsage.Allocatable(
                          n.cpuCapacityMillis(), n.memoryCapacityBytes(), "agent");
              return new NodeUsage(
                  n,
                  allocatable,
                  cluster.requested().getOrDefault(n.nodeName(), new Resources(0, 0, 0)));
            })
        .toList();
  }
}
