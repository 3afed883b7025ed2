package io.wingu.agent.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.wingu.agent.collect.NodeUsage;
import io.wingu.agent.collect.PodSample;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.temporal.ChronoUnit;

/**
 * A report as the control plane's API.md fixes it: {@code {nodeName, seq, collectedAt, node:{...},
 * pods:[...]}}. Pods carry two fields more than the contract names (it allows added fields):
 * ioReadBytes, ioWriteBytes. Written with Jackson's streaming generator: no tree is built.
 */
public final class ReportJson {

  /** Thread-safe and reusable, as Jackson documents; one for the process. */
  static final JsonFactory JSON = new JsonFactory();

  private ReportJson() {}

  public static byte[] write(Report report) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 + report.pods().size() * 256);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("nodeName", report.nodeName());
      json.writeNumberField("seq", report.seq());
      json.writeStringField(
          "collectedAt", report.collectedAt().truncatedTo(ChronoUnit.MILLIS).toString());
      NodeUsage node = report.node();
      json.writeObjectFieldStart("node");
      json.writeNumberField("cpuCapacityMillis", node.cpuCapacityMillis());
      json.writeNumberField("cpuUsedMillis", node.cpuUsedMillis());
      json.writeNumberField("memoryCapacityBytes", node.memoryCapacityBytes());
      json.writeNumberField("memoryUsedBytes", node.memoryUsedBytes());
      json.writeNumberField("fsCapacityBytes", node.fsCapacityBytes());
      json.writeNumberField("fsUsedBytes", node.fsUsedBytes());
      json.writeEndObject();
      json.writeArrayFieldStart("pods");
      for (PodReport pod : report.pods()) {
        PodSample usage = pod.usage();
        json.writeStartObject();
        json.writeStringField("namespace", pod.pod().namespace());
        json.writeStringField("name", pod.pod().name());
        json.writeStringField("uid", pod.pod().uid());
        json.writeNumberField("cpuMillis", usage.cpuMillis());
        json.writeNumberField("memoryBytes", usage.memoryBytes());
        json.writeNumberField("netRxBytes", usage.netRxBytes());
        json.writeNumberField("netTxBytes", usage.netTxBytes());
        json.writeNumberField("ioReadBytes", usage.ioReadBytes());
        json.writeNumberField("ioWriteBytes", usage.ioWriteBytes());
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    } catch (IOException e) {
      // a ByteArrayOutputStream does not fail
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
