package io.wingu.controlplane.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.app.Problem;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The report parser refuses what the OpenAPI document's schema refuses, naming the fields. */
class AgentReportTest {

  static JsonObject valid() {
    return new JsonObject()
        .put("nodeName", "worker-1")
        .put("seq", 7)
        .put("collectedAt", "2026-11-25T10:00:00Z")
        .put(
            "node",
            new JsonObject()
                .put("cpuCapacityMillis", 2000)
                .put("cpuUsedMillis", 10)
                .put("memoryCapacityBytes", 1L << 33)
                .put("memoryUsedBytes", 1L << 30)
                .put("fsCapacityBytes", 1L << 36)
                .put("fsUsedBytes", 1L << 34))
        .put(
            "pods",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("namespace", "inst-moh")
                        .put("name", "web")
                        .put("uid", "u-1")
                        .put("cpuMillis", 5)
                        .put("memoryBytes", 100)
                        .put("netRxBytes", 3)
                        .put("netTxBytes", 4)
                        .put("ioReadBytes", 9)));
  }

  static List<String> fields(JsonObject report) {
    try {
      AgentReport.parse(report);
      return List.of();
    } catch (Problem p) {
      return p.toJson().getJsonArray("errors").stream()
          .map(e -> ((JsonObject) e).getString("field"))
          .toList();
    }
  }

  @Test
  void aValidReportParses() {
    AgentReport r = AgentReport.parse(valid());
    assertThat(r.nodeName()).isEqualTo("worker-1");
    assertThat(r.seq()).isEqualTo(7);
    assertThat(r.pods()).singleElement().satisfies(p -> assertThat(p.netTxBytes()).isEqualTo(4));
    JsonObject noNetwork = valid();
    noNetwork.getJsonArray("pods").getJsonObject(0).remove("netRxBytes");
    assertThat(AgentReport.parse(noNetwork).pods().get(0).netRxBytes()).isZero();
  }

  @Test
  void everyBreachOfTheSchemaIsNamed() {
    assertThat(fields(valid().put("extra", 1))).containsExactly("extra");
    assertThat(fields(valid().put("nodeName", "Not A Node"))).containsExactly("nodeName");
    assertThat(fields(valid().put("seq", -1))).containsExactly("seq");
    assertThat(fields(valid().put("seq", "seven"))).containsExactly("seq");
    assertThat(fields(valid().put("collectedAt", "yesterday"))).containsExactly("collectedAt");
    assertThat(fields(valid().put("node", "big"))).containsExactly("node");
    JsonObject noCapacity = valid();
    noCapacity.getJsonObject("node").remove("cpuCapacityMillis");
    assertThat(fields(noCapacity)).containsExactly("node.cpuCapacityMillis");
    assertThat(fields(valid().put("pods", new JsonObject()))).containsExactly("pods");
    JsonObject badPod = valid();
    badPod
        .getJsonArray("pods")
        .add(
            new JsonObject()
                .put("namespace", "x")
                .put("name", "y")
                .put("uid", "z")
                .put("cpuMillis", 1.5)
                .put("memoryBytes", 1));
    assertThat(fields(badPod)).containsExactly("pods[1].cpuMillis");
    JsonArray many = new JsonArray();
    for (int i = 0; i <= AgentReport.MAX_PODS; i++) {
      many.add(valid().getJsonArray("pods").getJsonObject(0));
    }
    assertThat(fields(valid().put("pods", many))).containsExactly("pods");
    assertThatThrownBy(() -> AgentReport.parse(new JsonArray())).isInstanceOf(Problem.class);
  }
}
