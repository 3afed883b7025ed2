package io.wingu.controlplane.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.testing.Eventually;
import io.wingu.controlplane.testing.SharedControlPlane;
import io.wingu.controlplane.testing.TcpProxy;
import io.wingu.controlplane.testing.TempDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The real agent process (agent/bin/wingu-agent, built before this module) reports this machine's
 * real /proc figures to a real control plane; a 20 s outage loses nothing.
 */
class AgentProcessIT {

  @Test
  void theRealAgentReportsAndLosesNoSampleThroughAnOutage() throws Exception {
    Path launcher = Path.of("..", "agent", "bin", "wingu-agent").toAbsolutePath().normalize();
    Path jar = Path.of("..", "agent", "target", "wingu-agent.jar").toAbsolutePath().normalize();
    assertThat(jar).as("the agent module builds before the control plane").exists();
    String node = SharedControlPlane.unique("agent-node").toLowerCase();
    String token =
        SharedControlPlane.operator()
            .post("/api/v1/agent/tokens", new JsonObject().put("nodeName", node))
            .json()
            .getString("accessToken");
    try (TcpProxy proxy = new TcpProxy(SharedControlPlane.url().getPort())) {
      ProcessBuilder pb =
          new ProcessBuilder(launcher.toString())
              .redirectErrorStream(true)
              .redirectOutput(TempDirs.create("agent-log").resolve("agent.log").toFile());
      pb.environment()
          .putAll(
              Map.of(
                  "WINGU_AGENT_JAR",
                  jar.toString(),
                  "WINGU_AGENT_URL",
                  "http://127.0.0.1:" + proxy.port(),
                  "WINGU_AGENT_TOKEN",
                  token,
                  "WINGU_AGENT_NODE_NAME",
                  node,
                  "WINGU_AGENT_INTERVAL",
                  "1",
                  "WINGU_AGENT_TIMEOUT",
                  "2",
                  "WINGU_AGENT_BUFFER_DIR",
                  TempDirs.create("agent-buffer").toString(),
                  "JAVA_HOME",
                  System.getProperty("java.home")));
      Process agent = pb.start();
      try {
        Eventually.holds(
            "three reports stored", () -> seqs(node).size() >= 3, Duration.ofSeconds(30));
        proxy.cut();
        Instant cutAt = Instant.now();
        Thread.sleep(20_000);
        long duringOutage = seqs(node).size();
        proxy.restore();
        Eventually.holds(
            "the buffered reports delivered",
            () -> seqs(node).size() >= duringOutage + 20,
            Duration.ofSeconds(30));
        List<Long> seqs = seqs(node);
        for (int i = 1; i < seqs.size(); i++) {
          assertThat(seqs.get(i))
              .as("no report lost: seq after %d", seqs.get(i - 1))
              .isEqualTo(seqs.get(i - 1) + 1);
        }
        assertThat(cutAt).isBefore(Instant.now());
      } finally {
        agent.destroy();
        agent.waitFor();
      }
    }
    var nodes =
        SharedControlPlane.operator().get("/api/v1/usage/nodes").json().getJsonArray("items");
    JsonObject mine =
        nodes.stream()
            .map(JsonObject.class::cast)
            .filter(n -> n.getString("nodeName").equals(node))
            .findFirst()
            .orElseThrow();
    long memTotal =
        Files.readAllLines(Path.of("/proc/meminfo")).stream()
            .filter(l -> l.startsWith("MemTotal:"))
            .map(l -> Long.parseLong(l.replaceAll("\\D", "")) * 1024)
            .findFirst()
            .orElseThrow();
    assertThat(mine.getLong("memoryCapacityBytes")).isEqualTo(memTotal);
    assertThat(mine.getLong("cpuCapacityMillis"))
        .isEqualTo(Runtime.getRuntime().availableProcessors() * 1000L);
    assertThat(mine.getLong("memoryUsedBytes")).isBetween(1L, memTotal);
    assertThat(mine.getLong("fsCapacityBytes")).isPositive();
  }

  private static List<Long> seqs(String node) throws Exception {
    var env = SharedControlPlane.env();
    try (var c =
            DriverManager.getConnection(
                env.get("WINGU_DB_URL"),
                env.get("WINGU_DB_MIGRATION_USER"),
                env.get("WINGU_DB_MIGRATION_PASSWORD"));
        var st =
            c.prepareStatement("SELECT seq FROM node_report WHERE node_name = ? ORDER BY seq")) {
      st.setString(1, node);
      List<Long> out = new ArrayList<>();
      try (var rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getLong(1));
        }
      }
      return out;
    }
  }
}
