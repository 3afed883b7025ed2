package io.wingu.agent.report;

import com.eclipsesource.json.JsonArray;
import com.eclipsesource.json.JsonObject;
import io.wingu.agent.collect.NodeUsage;
import io.wingu.agent.collect.PodSample;
import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;

/**
 * A report as the control plane's API.md fixes it: {@code {nodeName, seq, collectedAt, node:{...},
 * pods:[...]}}. Pods carry two fields more than the contract names (it allows added fields):
 * ioReadBytes, ioWriteBytes.
 */
public final class ReportJson {

  private ReportJson() {}

  public static byte[] write(Report report) {
    NodeUsage node = report.node();
    JsonObject nodeJson =
        new JsonObject()
            .add("cpuCapacityMillis", node.cpuCapacityMillis())
            .add("cpuUsedMillis", node.cpuUsedMillis())
            .add("memoryCapacityBytes", node.memoryCapacityBytes())
            .add("memoryUsedBytes", node.memoryUsedBytes())
            .add("fsCapacityBytes", node.fsCapacityBytes())
            .add("fsUsedBytes", node.fsUsedBytes());
    JsonArray pods = new JsonArray();
    for (PodReport pod : report.pods()) {
      PodSample usage = pod.usage();
      pods.add(
          new JsonObject()
              .add("namespace", pod.pod().namespace())
              .add("name", pod.pod().name())
              .add("uid", pod.pod().uid())
              .add("cpuMillis", usage.cpuMillis())
              .add("memoryBytes", usage.memoryBytes())
              .add("netRxBytes", usage.netRxBytes())
              .add("netTxBytes", usage.netTxBytes())
              .add("ioReadBytes", usage.ioReadBytes())
              .add("ioWriteBytes", usage.ioWriteBytes()));
    }
    JsonObject json =
        new JsonObject()
            .add("nodeName", report.nodeName())
            .add("seq", report.seq())
            .add("collectedAt", report.collectedAt().truncatedTo(ChronoUnit.MILLIS).toString())
            .add("node", nodeJson)
            .add("pods", pods);
    return json.toString().getBytes(StandardCharsets.UTF_8);
  }
}
