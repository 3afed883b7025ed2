package io.wingu.controlplane.usage;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** One node agent's report, as API.md defines it (already validated against the document). */
public record AgentReport(String nodeName, long seq, Instant collectedAt, Node node, List<Pod> pods) {

  /** The node's capacity and use. */
  public record Node(long cpuCapacityMillis, long cpuUsedMillis, long memoryCapacityBytes, long memoryUsedBytes,
      long fsCapacityBytes, long fsUsedBytes) {
  }

  /** One pod's use; network counters are cumulative. */
  public record Pod(String namespace, String name, String uid, long cpuMillis, long memoryBytes, long netRxBytes,
      long netTxBytes) {
  }

  public static AgentReport from(JsonObject json) {
    JsonObject n = json.getJsonObject("node");
    List<Pod> pods = new ArrayList<>();
    JsonArray list = json.getJsonArray("pods", new JsonArray());
    for (int i = 0; i < list.size(); i++) {
      JsonObject p = list.getJsonObject(i);
      pods.add(new Pod(p.getString("namespace"), p.getString("name"), p.getString("uid"), p.getLong("cpuMillis"),
          p.getLong("memoryBytes"), p.getLong("netRxBytes", 0L), p.getLong("netTxBytes", 0L)));
    }
    return new AgentReport(json.getString("nodeName"), json.getLong("seq"), Instant.parse(json.getString("collectedAt")),
        new Node(n.getLong("cpuCapacityMillis"), n.getLong("cpuUsedMillis"), n.getLong("memoryCapacityBytes"),
            n.getLong("memoryUsedBytes"), n.getLong("fsCapacityBytes"), n.getLong("fsUsedBytes")), pods);
  }
}
