package io.wingu.controlplane.usage;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What of an agent's report is believed: only samples of pods the cluster places on the agent's own
 * node (same namespace, name and uid), and only figures the node can hold. Chargeback, quota alerts
 * and the scorecard rest on these samples, so anything else is dropped, and counted.
 */
public final class SampleScreen {

  /** The cluster's word on pods and nodes (informer caches in production). */
  public interface Cluster {
    /** The pod's uid and the node it is bound to, if the cluster knows the pod. */
    Optional<Placed> pod(String namespace, String name);

    /** The node's CPU and memory capacity, if the cluster has its Node with figures. */
    Optional<Capacity> node(String name);
  }

  public record Placed(String uid, String nodeName) {}

  public record Capacity(long cpuMillis, long memoryBytes) {}

  /** Why a sample (or the node's own figures) was not taken as reported. */
  public enum Reason {
    /** No such pod in the cluster (or not yet in the cache: the next report counts it). */
    POD_UNKNOWN("pod-unknown"),
    /** A pod of that name exists, with another uid: not the pod that was measured. */
    POD_UID_MISMATCH("pod-uid-mismatch"),
    /** The pod runs on another node (or none yet). */
    POD_ON_OTHER_NODE("pod-on-other-node"),
    /** The same pod twice in one report. */
    POD_REPEATED("pod-repeated"),
    CPU_OVER_CAPACITY("cpu-over-capacity"),
    MEMORY_OVER_CAPACITY("memory-over-capacity"),
    /** Together the pods use more than the node has: none of the report's samples is believed. */
    PODS_OVER_CAPACITY("pods-over-capacity"),
    /** The node's own figures claimed more than the cluster says it has; stored capped. */
    NODE_OVER_CAPACITY("node-over-capacity");

    private final String tag;

    Reason(String tag) {
      this.tag = tag;
    }

    public String tag() {
      return tag;
    }
  }

  /** The report as it is stored, how many pod samples were kept, and what was dropped why. */
  public record Screened(AgentReport report, int accepted, Map<Reason, Integer> dropped) {
    public int droppedSamples() {
      return dropped.entrySet().stream()
          .filter(e -> e.getKey() != Reason.NODE_OVER_CAPACITY)
          .mapToInt(Map.Entry::getValue)
          .sum();
    }
  }

  /**
   * Measuring each pod's CPU over a slightly different window lets the sum pass the node's capacity
   * by a little; this much is tolerated before the report's samples are disbelieved.
   */
  static final double SUM_TOLERANCE = 1.10;

  private SampleScreen() {}

  /** Screens a report of {@code report.nodeName()}, whose agent the caller has already proven. */
  public static Screened screen(AgentReport report, Cluster cluster) {
    Map<Reason, Integer> dropped = new EnumMap<>(Reason.class);
    String nodeName = report.nodeName();
    AgentReport.Node n = report.node();
    Optional<Capacity> known = cluster.node(nodeName);
    long cpuCapacity = n.cpuCapacityMillis();
    long memoryCapacity = n.memoryCapacityBytes();
    if (known.isPresent()) {
      cpuCapacity = Math.min(cpuCapacity, known.get().cpuMillis());
      memoryCapacity = Math.min(memoryCapacity, known.get().memoryBytes());
    }
    AgentReport.Node node =
        new AgentReport.Node(
            cpuCapacity,
            Math.min(n.cpuUsedMillis(), cpuCapacity),
            memoryCapacity,
            Math.min(n.memoryUsedBytes(), memoryCapacity),
            n.fsCapacityBytes(),
            Math.min(n.fsUsedBytes(), n.fsCapacityBytes()));
    if (!node.equals(n)) {
      dropped.put(Reason.NODE_OVER_CAPACITY, 1);
    }
    List<AgentReport.Pod> kept = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    long cpuSum = 0;
    long memorySum = 0;
    for (AgentReport.Pod p : report.pods()) {
      Reason why = judge(p, nodeName, cluster, cpuCapacity, memoryCapacity, seen);
      if (why != null) {
        dropped.merge(why, 1, Integer::sum);
        continue;
      }
      kept.add(p);
      cpuSum += p.cpuMillis();
      memorySum += p.memoryBytes();
    }
    if (!kept.isEmpty()
        && (cpuSum > cpuCapacity * SUM_TOLERANCE || memorySum > memoryCapacity * SUM_TOLERANCE)) {
      dropped.merge(Reason.PODS_OVER_CAPACITY, kept.size(), Integer::sum);
      kept = List.of();
    }
    return new Screened(
        new AgentReport(nodeName, report.seq(), report.collectedAt(), node, List.copyOf(kept)),
        kept.size(),
        dropped);
  }

  private static Reason judge(
      AgentReport.Pod p,
      String nodeName,
      Cluster cluster,
      long cpuCapacity,
      long memoryCapacity,
      Set<String> seen) {
    // the cache may not have seen a pod created a moment ago: it is dropped now, counted next
    // report
    Optional<Placed> placed = cluster.pod(p.namespace(), p.name());
    if (placed.isEmpty()) {
      return Reason.POD_UNKNOWN;
    }
    if (!p.uid().equals(placed.get().uid())) {
      return Reason.POD_UID_MISMATCH;
    }
    if (!nodeName.equals(placed.get().nodeName())) {
      return Reason.POD_ON_OTHER_NODE;
    }
    if (!seen.add(p.namespace() + "/" + p.name())) {
      return Reason.POD_REPEATED;
    }
    if (p.cpuMillis() < 0 || p.cpuMillis() > cpuCapacity) {
      return Reason.CPU_OVER_CAPACITY;
    }
    if (p.memoryBytes() < 0 || p.memoryBytes() > memoryCapacity) {
      return Reason.MEMORY_OVER_CAPACITY;
    }
    return null;
  }
}
