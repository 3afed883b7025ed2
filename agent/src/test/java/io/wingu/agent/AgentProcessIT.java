package io.wingu.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wingu.agent.testing.AgentProcess;
import io.wingu.agent.testing.FakeControlPlane;
import io.wingu.agent.testing.FakeControlPlane.Received;
import io.wingu.agent.testing.FakeKubelet;
import io.wingu.agent.testing.FakeKubelet.PodFigures;
import io.wingu.agent.testing.FakeKubelet.Qos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged agent, as a real process with a 1 s interval, reporting to a receiver in the test.
 */
class AgentProcessIT {

  private static final String WEB_UID = "7d2e4c11-9f0a-4b3c-8d7e-2a1b3c4d5e6f";
  private static final String DB_UID = "0c1a0f43-5b6e-4d8a-9a3e-1b2c3d4e5f60";
  private static final String ORPHAN_UID = "a9b8c7d6-e5f4-4a3b-9c2d-1e0f9a8b7c6d";
  private static final String PROXY_UID = "99999999-8888-4777-8666-555555555555";

  /**
   * The node's pods as the API server stores them; the fake answers the agent's field selectors.
   */
  private static final String POD_LIST =
      """
            {"kind":"PodList","apiVersion":"v1","items":[
              {"metadata":{"name":"web-5d8f7","namespace":"inst-moh","uid":"%s"},"spec":{"nodeName":"node-it"}},
              {"metadata":{"name":"db-0","namespace":"inst-moh","uid":"%s"},"spec":{"nodeName":"node-it"}},
              {"metadata":{"name":"kube-proxy-x7k2p","namespace":"kube-system","uid":"%s"},
               "spec":{"nodeName":"node-it","hostNetwork":true}}]}
            """
          .formatted(WEB_UID, DB_UID, PROXY_UID);

  /** Generous bounds for waiting on a report; never an assertion about speed. */
  private static final int WAIT_SECONDS = 30;

  @TempDir Path dir;

  private FakeKubelet node;
  private FakeControlPlane controlPlane;
  private final List<AgentProcess> agents = new ArrayList<>();

  @BeforeEach
  void node() throws IOException {
    node =
        FakeKubelet.create(
                dir.resolve("node"), FakeKubelet.CgroupVersion.V2, FakeKubelet.Driver.SYSTEMD)
            .linkRealNodeFiles();
    node.pod(
        WEB_UID,
        Qos.BURSTABLE,
        2001,
        new PodFigures(4_000_000, 64 << 20, 16 << 20, 1 << 20, 2 << 20, 1000, 2000));
    node.pod(
        DB_UID,
        Qos.GUARANTEED,
        3001,
        new PodFigures(9_000_000, 256 << 20, 64 << 20, 8 << 20, 4 << 20, 3000, 4000));
    node.pod(
        ORPHAN_UID, Qos.BESTEFFORT, 4001, new PodFigures(1_000, 1 << 20, 0, 8192, 8192, 10, 10));
    // a hostNetwork pod: its /proc/<pid>/net/dev is the node's traffic
    node.pod(
        PROXY_UID,
        Qos.BURSTABLE,
        5001,
        new PodFigures(2_000, 32 << 20, 0, 4096, 4096, 777_777_777, 666_666_666));
    controlPlane = new FakeControlPlane();
    controlPlane.podList(POD_LIST);
    Files.writeString(dir.resolve("token"), "agent-token\n");
    Files.writeString(dir.resolve("sa-token"), "service-account-token\n");
  }

  @AfterEach
  void stop() throws Exception {
    for (AgentProcess agent : agents) {
      agent.close();
    }
    controlPlane.close();
    node.removeLinks();
  }

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("WINGU_AGENT_URL", controlPlane.url());
    env.put("WINGU_AGENT_TOKEN_FILE", dir.resolve("token").toString());
    env.put("WINGU_AGENT_NODE_NAME", "node-it");
    env.put("WINGU_AGENT_INTERVAL", "1");
    env.put("WINGU_AGENT_TIMEOUT", "2");
    env.put("WINGU_AGENT_PROC_ROOT", dir.resolve("node/proc").toString());
    env.put("WINGU_AGENT_CGROUP_ROOT", dir.resolve("node/sys/fs/cgroup").toString());
    env.put("WINGU_AGENT_FS_PATH", dir.toString());
    env.put("WINGU_AGENT_BUFFER_DIR", dir.resolve("state").toString());
    env.put("WINGU_AGENT_KUBE_API", controlPlane.url());
    env.put("WINGU_AGENT_KUBE_TOKEN_FILE", dir.resolve("sa-token").toString());
    return env;
  }

  private AgentProcess startAgent() throws IOException {
    AgentProcess agent = AgentProcess.start(env(), dir.resolve("agent.log"));
    agents.add(agent);
    return agent;
  }

  private Received nextReport() throws InterruptedException, IOException {
    Received report = controlPlane.nextReport(WAIT_SECONDS);
    assertThat(report).as("a report within %d s; agent log:%n%s", WAIT_SECONDS, log()).isNotNull();
    return report;
  }

  private String log() throws IOException {
    Path log = dir.resolve("agent.log");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  @Test
  void reportsNodeAndNamedPodsWithTheTokenAndARisingSeq() throws Exception {
    startAgent();

    List<Received> reports = List.of(nextReport(), nextReport(), nextReport());

    assertThat(reports).extracting(Received::authorization).containsOnly("Bearer agent-token");
    assertThat(reports.get(1).seq()).isEqualTo(reports.get(0).seq() + 1);
    assertThat(reports.get(2).seq()).isEqualTo(reports.get(1).seq() + 1);
    JsonNode report = reports.get(2).body();
    assertThat(report.fieldNames())
        .toIterable()
        .containsExactly("nodeName", "seq", "collectedAt", "node", "pods");
    assertThat(report.path("nodeName").asText()).isEqualTo("node-it");
    assertThat(java.time.Instant.parse(report.path("collectedAt").asText())).isNotNull();
    JsonNode node = report.get("node");
    assertThat(node.path("cpuCapacityMillis").asLong(0)).isPositive();
    assertThat(node.path("cpuUsedMillis").asLong(-1))
        .isBetween(0L, node.path("cpuCapacityMillis").asLong(0));
    assertThat(node.path("memoryUsedBytes").asLong(-1))
        .isBetween(1L, node.path("memoryCapacityBytes").asLong(0));
    assertThat(node.path("fsUsedBytes").asLong(-1))
        .isBetween(1L, node.path("fsCapacityBytes").asLong(0));
    // the pod the API server does not name is left out
    List<JsonNode> pods =
        java.util.stream.StreamSupport.stream(report.get("pods").spliterator(), false).toList();
    assertThat(pods)
        .extracting(
            pod ->
                pod.path("namespace").asText()
                    + "/"
                    + pod.path("name").asText()
                    + "/"
                    + pod.path("uid").asText())
        .containsExactlyInAnyOrder(
            "inst-moh/web-5d8f7/" + WEB_UID,
            "inst-moh/db-0/" + DB_UID,
            "kube-system/kube-proxy-x7k2p/" + PROXY_UID);
    JsonNode db =
        pods.stream()
            .filter(pod -> pod.path("name").asText().equals("db-0"))
            .findFirst()
            .orElseThrow();
    assertThat(db.path("memoryBytes").asLong(0)).isEqualTo(192L << 20);
    assertThat(db.path("cpuMillis").asLong(-1)).isZero(); // the counter did not move
    assertThat(db.path("netRxBytes").asLong(0)).isEqualTo(3000);
    assertThat(db.path("netTxBytes").asLong(0)).isEqualTo(4000);
    assertThat(db.path("ioReadBytes").asLong(0)).isEqualTo(8 << 20);
    assertThat(db.path("ioWriteBytes").asLong(0)).isEqualTo(4 << 20);
    // the API server names the hostNetwork pod: it reports no network traffic, the rest as read
    JsonNode proxy =
        pods.stream()
            .filter(pod -> pod.path("uid").asText().equals(PROXY_UID))
            .findFirst()
            .orElseThrow();
    assertThat(proxy.path("netRxBytes").asLong(-1)).isZero();
    assertThat(proxy.path("netTxBytes").asLong(-1)).isZero();
    assertThat(proxy.path("memoryBytes").asLong(0)).isEqualTo(32L << 20);
    assertThat(controlPlane.nextPodListQuery(WAIT_SECONDS))
        .isEqualTo("fieldSelector=spec.nodeName%3Dnode-it auth=Bearer service-account-token");
    assertThat(controlPlane.nextPodListQuery(WAIT_SECONDS))
        .isEqualTo(
            "fieldSelector=spec.nodeName%3Dnode-it%2Cspec.hostNetwork%3Dtrue auth=Bearer service-account-token");
  }

  @Test
  void everyReportOfAnOutageArrivesInOrderOnceTheControlPlaneIsBack() throws Exception {
    startAgent();
    long first = nextReport().seq();

    controlPlane.stop();
    Path buffered = dir.resolve("state/reports");
    long deadline = System.nanoTime() + WAIT_SECONDS * 1_000_000_000L;
    while (countFiles(buffered) < 5) { // about five seconds of reports pile up on disk
      assertThat(System.nanoTime())
          .as("5 buffered reports; agent log:%n%s", log())
          .isLessThan(deadline);
      Thread.sleep(100);
    }
    controlPlane.restart();

    List<Long> seqs = new ArrayList<>(List.of(first));
    long target = highestBufferedSeq(buffered) + 2; // everything buffered, then two fresh ones
    while (seqs.getLast() < target) {
      seqs.add(nextReport().seq());
    }
    // in order; a repeat is allowed (at least once), a gap is not
    assertThat(seqs).isSorted();
    assertThat(seqs.stream().distinct().count()).isEqualTo(target - first + 1);
    assertThat(log())
        .contains("control plane unavailable")
        .contains("control plane reachable again");
  }

  @Test
  void aRefusedReportIsDroppedAndDoesNotBlockTheOnesAfterIt() throws Exception {
    controlPlane.answer(
        new java.util.function.ToIntFunction<>() {
          private long refused = -1;

          @Override
          public synchronized int applyAsInt(JsonNode report) {
            if (refused < 0) {
              refused = report.get("seq").asLong();
            }
            return report.get("seq").asLong() == refused ? 400 : 202;
          }
        });
    startAgent();

    Received refused = nextReport();
    Received next = nextReport();
    Received after = nextReport();

    assertThat(refused.answeredStatus()).isEqualTo(400);
    assertThat(next.seq()).isEqualTo(refused.seq() + 1);
    assertThat(next.answeredStatus()).isEqualTo(202);
    assertThat(after.seq()).isEqualTo(refused.seq() + 2);
    assertThat(log()).contains("report seq " + refused.seq() + " refused (HTTP 400");
  }

  @Test
  void aRestartedAgentContinuesAboveItsLastSeq() throws Exception {
    AgentProcess agent = startAgent();
    nextReport();
    long beforeRestart = nextReport().seq();
    agent.close();
    Received straggler;
    while ((straggler = controlPlane.nextReport(2)) != null) { // one sent while stopping, if any
      beforeRestart = Math.max(beforeRestart, straggler.seq());
    }

    startAgent();

    assertThat(nextReport().seq()).isGreaterThan(beforeRestart);
  }

  @Test
  void badConfigurationExitsWithCode2AndOneLineNamingTheVariable() throws Exception {
    Map<String, String> env = env();
    env.put("WINGU_AGENT_INTERVAL", "every-now-and-then");
    AgentProcess agent = AgentProcess.start(env, dir.resolve("bad.log"));
    agents.add(agent);

    assertThat(agent.exitCode(WAIT_SECONDS)).isEqualTo(2);
    assertThat(agent.stderr().lines().toList())
        .singleElement()
        .asString()
        .startsWith("wingu-agent: WINGU_AGENT_INTERVAL: ");
  }

  @Test
  void aMissingFilesystemPathIsABadConfigurationToo() throws Exception {
    Map<String, String> env = env();
    env.put("WINGU_AGENT_FS_PATH", dir.resolve("no-such-disk").toString());
    AgentProcess agent = AgentProcess.start(env, dir.resolve("bad.log"));
    agents.add(agent);

    assertThat(agent.exitCode(WAIT_SECONDS)).isEqualTo(2);
    assertThat(agent.stderr().lines().toList())
        .singleElement()
        .asString()
        .startsWith("wingu-agent: WINGU_AGENT_FS_PATH: no such path");
  }

  private static long countFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(file -> file.toString().endsWith(".json")).count();
    }
  }

  private static long highestBufferedSeq(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(file -> file.getFileName().toString())
          .filter(name -> name.endsWith(".json"))
          .mapToLong(name -> Long.parseLong(name.substring(0, name.length() - 5)))
          .max()
          .orElseThrow();
    }
  }
}
