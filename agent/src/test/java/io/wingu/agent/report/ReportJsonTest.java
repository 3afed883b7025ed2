package io.wingu.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import io.wingu.agent.collect.NodeUsage;
import io.wingu.agent.collect.PodSample;
import io.wingu.agent.pods.PodIdentity;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportJsonTest {

  @Test
  void writesTheContractsShapeWithAddedIoFields() {
    Report report =
        new Report(
            "node-\"1\"\\ü",
            42,
            Instant.parse("2026-11-25T14:00:15.123456Z"),
            new NodeUsage(
                2000, 350, 8_000_000_000L, 3_000_000_000L, 100_000_000_000L, 40_000_000_000L),
            List.of(
                new PodReport(
                    new PodIdentity("inst-moh", "web-1", "uid-1"),
                    new PodSample("uid-1", 250, 104_857_600, 6000, 9000, 3_145_728, 4_194_304))));

    JsonObject json =
        Json.parse(new String(ReportJson.write(report), StandardCharsets.UTF_8)).asObject();

    assertThat(json.names()).containsExactly("nodeName", "seq", "collectedAt", "node", "pods");
    assertThat(json.getString("nodeName", null)).isEqualTo("node-\"1\"\\ü");
    assertThat(json.getLong("seq", 0)).isEqualTo(42);
    assertThat(json.getString("collectedAt", null)).isEqualTo("2026-11-25T14:00:15.123Z");
    JsonObject node = json.get("node").asObject();
    assertThat(node.names())
        .containsExactly(
            "cpuCapacityMillis",
            "cpuUsedMillis",
            "memoryCapacityBytes",
            "memoryUsedBytes",
            "fsCapacityBytes",
            "fsUsedBytes");
    assertThat(node.getLong("memoryCapacityBytes", 0)).isEqualTo(8_000_000_000L);
    JsonObject pod = json.get("pods").asArray().get(0).asObject();
    assertThat(pod.names())
        .containsExactly(
            "namespace",
            "name",
            "uid",
            "cpuMillis",
            "memoryBytes",
            "netRxBytes",
            "netTxBytes",
            "ioReadBytes",
            "ioWriteBytes");
    assertThat(pod.getString("namespace", null)).isEqualTo("inst-moh");
    assertThat(pod.getLong("cpuMillis", 0)).isEqualTo(250);
    assertThat(pod.getLong("ioWriteBytes", 0)).isEqualTo(4_194_304);
  }

  @Test
  void aHostNetworkPodReportsNoNetworkTrafficButEverythingElse() {
    PodSample sample =
        new PodSample("uid-api", 120, 300_000_000, 999_999_999, 888_888_888, 4096, 8192);

    PodReport hostNetwork =
        new PodReport(
            new PodIdentity("kube-system", "kube-apiserver-node-1", "uid-api", "hash", true),
            sample);
    PodReport ownNetwork = new PodReport(new PodIdentity("inst-moh", "web-1", "uid-api"), sample);

    // its /proc/<pid>/net/dev shows the node's interfaces: that traffic is not the pod's
    assertThat(hostNetwork.usage())
        .isEqualTo(new PodSample("uid-api", 120, 300_000_000, 0, 0, 4096, 8192));
    assertThat(ownNetwork.usage()).isEqualTo(sample);
  }
}
