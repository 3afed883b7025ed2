package io.wingu.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wingu.agent.collect.NodeUsage;
import io.wingu.agent.collect.PodSample;
import io.wingu.agent.pods.PodIdentity;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportJsonTest {

  @Test
  void writesTheContractsShapeWithAddedIoFields() throws Exception {
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

    JsonNode json = new ObjectMapper().readTree(ReportJson.write(report));

    assertThat(json.fieldNames())
        .toIterable()
        .containsExactly("nodeName", "seq", "collectedAt", "node", "pods");
    assertThat(json.get("nodeName").asText()).isEqualTo("node-\"1\"\\ü");
    assertThat(json.get("seq").asLong()).isEqualTo(42);
    assertThat(json.get("collectedAt").asText()).isEqualTo("2026-11-25T14:00:15.123Z");
    JsonNode node = json.get("node");
    assertThat(node.fieldNames())
        .toIterable()
        .containsExactly(
            "cpuCapacityMillis",
            "cpuUsedMillis",
            "memoryCapacityBytes",
            "memoryUsedBytes",
            "fsCapacityBytes",
            "fsUsedBytes");
    assertThat(node.get("memoryCapacityBytes").asLong()).isEqualTo(8_000_000_000L);
    JsonNode pod = json.get("pods").get(0);
    assertThat(pod.fieldNames())
        .toIterable()
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
    assertThat(pod.get("namespace").asText()).isEqualTo("inst-moh");
    assertThat(pod.get("cpuMillis").asLong()).isEqualTo(250);
    assertThat(pod.get("ioWriteBytes").asLong()).isEqualTo(4_194_304);
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
