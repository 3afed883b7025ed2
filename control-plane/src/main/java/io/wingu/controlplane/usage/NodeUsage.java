package io.wingu.controlplane.usage;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A node's latest agent report next to what the Kubernetes API says of it: allocatable CPU and
 * memory (from the Node, else the agent's capacity, as {@code source} says) and what the pods bound
 * there request (zero when none is).
 */
public record NodeUsage(Report report, Allocatable allocatable, NodeCapacity.Resources requested) {

  /** What the node's agent measured last. */
  public record Report(
      String nodeName,
      long seq,
      Instant collectedAt,
      Instant receivedAt,
      long cpuCapacityMillis,
      long cpuUsedMillis,
      long memoryCapacityBytes,
      long memoryUsedBytes,
      long fsCapacityBytes,
      long fsUsedBytes,
      int pods) {}

  /**
   * What the node offers to pods, and whether the Node ({@code node}) or the agent ({@code agent})
   * said so.
   */
  public record Allocatable(long cpuMillis, long memoryBytes, String source) {}

  /** As GET /usage/nodes lists it. */
  public JsonObject toJson() {
    Report r = report;
    return new JsonObject()
        .put("nodeName", r.nodeName())
        .put("seq", r.seq())
        .put("collectedAt", r.collectedAt().toString())
        .put("receivedAt", r.receivedAt().toString())
        .put("cpuCapacityMillis", r.cpuCapacityMillis())
        .put("cpuUsedMillis", r.cpuUsedMillis())
        .put("memoryCapacityBytes", r.memoryCapacityBytes())
        .put("memoryUsedBytes", r.memoryUsedBytes())
        .put("fsCapacityBytes", r.fsCapacityBytes())
        .put("fsUsedBytes", r.fsUsedBytes())
        .put("pods", r.pods())
        .put(
            "allocatable",
            new JsonObject()
                .put("cpuMillis", allocatable.cpuMillis())
                .put("memoryBytes", allocatable.memoryBytes())
                .put("source", allocatable.source()))
        .put(
            "requested",
            new JsonObject()
                .put("cpuMillis", requested.cpuMillis())
                .put("memoryBytes", requested.memoryBytes())
                .put("pods", requested.pods()));
  }
}
