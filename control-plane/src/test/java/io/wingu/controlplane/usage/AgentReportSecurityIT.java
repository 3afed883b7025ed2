package io.wingu.controlplane.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.auth.SigningKeys;
import io.wingu.controlplane.auth.TokenService;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.Http;
import io.wingu.controlplane.testing.SharedControlPlane;
import io.wingu.controlplane.wiring.ControlPlane;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An agent writes usage only for its own node's pods, within its node's capacity, and only with its
 * node's current token: the attacks of the hardening issue, on the real API server and PostgreSQL.
 */
class AgentReportSecurityIT {

  static ControlPlane plane;
  static ApiClient operator;

  @BeforeAll
  static void start() {
    plane = SharedControlPlane.get();
    operator = SharedControlPlane.operator();
  }

  static ApiClient agent(String node) {
    var r = operator.post("/api/v1/agent/tokens", new JsonObject().put("nodeName", node));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return ApiClient.withToken(plane.url(), r.json().getString("accessToken"));
  }

  static JsonObject report(
      String node, long seq, long cpuCapacity, long memoryCapacity, JsonArray pods) {
    return new JsonObject()
        .put("nodeName", node)
        .put("seq", seq)
        .put("collectedAt", Instant.now().toString())
        .put(
            "node",
            new JsonObject()
                .put("cpuCapacityMillis", cpuCapacity)
                .put("cpuUsedMillis", 700)
                .put("memoryCapacityBytes", memoryCapacity)
                .put("memoryUsedBytes", 1L << 30)
                .put("fsCapacityBytes", 100L << 30)
                .put("fsUsedBytes", 40L << 30))
        .put("pods", pods);
  }

  static long count(String sql, String arg) throws Exception {
    var env = SharedControlPlane.env();
    try (var c =
            DriverManager.getConnection(
                env.get("WINGU_DB_URL"),
                env.get("WINGU_DB_MIGRATION_USER"),
                env.get("WINGU_DB_MIGRATION_PASSWORD"));
        var st = c.prepareStatement(sql)) {
      st.setString(1, arg);
      try (var rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  @Test
  void anAgentCannotWriteUsageForAnotherNodesOrInstitutionsPodsNorBeyondItsNode() throws Exception {
    // an innocent institution with a live site (a 500m CPU quota) and a pod on its own node
    JsonObject innocent = SharedControlPlane.newInstitution(operator);
    String innocentId = innocent.getString("id");
    ApiClient admin =
        SharedControlPlane.newInstitutionUser(operator, innocentId, "institution-admin");
    String request =
        admin
            .post("/api/v1/requests", SharedControlPlane.siteRequest(innocent, "portal"))
            .json()
            .getString("id");
    assertThat(operator.post("/api/v1/requests/" + request + "/approve", new JsonObject()).status())
        .isEqualTo(200);
    String site = operator.get("/api/v1/requests/" + request).json().getString("siteId");
    String victimNs = "inst-" + innocent.getString("code");
    String victimNode = SharedControlPlane.unique("victim-node").toLowerCase();
    String victimUid = ClusterPods.placed(plane, victimNs, "web", victimNode);

    // the attacking agent's node (2 CPUs, 4 GiB in the cluster) runs two pods of its own
    String node = SharedControlPlane.unique("attacker-node").toLowerCase();
    ClusterPods.node(node, "2", "4Gi");
    String ownNs = SharedControlPlane.unique("own").toLowerCase();
    String appUid = ClusterPods.placed(plane, ownNs, "app", node);
    String hogUid = ClusterPods.placed(plane, ownNs, "hog", node);
    ClusterPods.pod(ownNs, "fresh", node);
    ApiClient agent = agent(node);

    JsonArray pods =
        new JsonArray()
            .add(
                ClusterPods.sample(
                    victimNs, "web", victimUid, 999_999, 1L << 40, 1, 1)) // another node's pod
            .add(
                ClusterPods.sample(
                    victimNs, "web-forged", "uid-forged", 999_999, 1L << 40, 1, 1)) // no such pod
            .add(
                ClusterPods.sample(
                    victimNs, "web", "another-uid", 999_999, 1L << 40, 1, 1)) // not that pod
            .add(
                ClusterPods.sample(
                    ownNs, "hog", hogUid, 999_999, 1L << 20, 0, 0)) // beyond the node's 2 CPUs
            .add(ClusterPods.sample(ownNs, "app", appUid, 250, 64L << 20, 10, 5)) // the honest one
            .add(ClusterPods.sample(ownNs, "app", appUid, 250, 64L << 20, 10, 5)); // counted twice
    var answer = agent.post("/api/v1/agent/reports", report(node, 1, 999_999, 1L << 50, pods));
    assertThat(answer.status()).as(answer.body()).isEqualTo(202);
    assertThat(answer.json().getInteger("samplesAccepted")).isEqualTo(1);
    assertThat(answer.json().getInteger("samplesDropped")).isEqualTo(5);
    assertThat(answer.json().getJsonObject("dropped"))
        .isEqualTo(
            new JsonObject()
                .put("pod-unknown", 1)
                .put("pod-uid-mismatch", 1)
                .put("pod-on-other-node", 1)
                .put("pod-repeated", 1)
                .put("cpu-over-capacity", 1)
                .put("node-over-capacity", 1));
    var memory =
        agent.post(
            "/api/v1/agent/reports",
            report(
                node,
                2,
                2000,
                4L << 30,
                new JsonArray().add(ClusterPods.sample(ownNs, "hog", hogUid, 10, 1L << 40, 0, 0))));
    assertThat(memory.json().getJsonObject("dropped"))
        .isEqualTo(new JsonObject().put("memory-over-capacity", 1));

    assertThat(count("SELECT count(*) FROM usage_sample WHERE namespace = ?", victimNs)).isZero();
    assertThat(count("SELECT count(*) FROM usage_sample WHERE namespace = ?", ownNs)).isEqualTo(1);
    assertThat(count("SELECT max(cpu_millis) FROM usage_sample WHERE namespace = ?", ownNs))
        .isEqualTo(250);
    // the node's own figures are stored capped to what the cluster says it has
    assertThat(count("SELECT max(cpu_capacity_millis) FROM node_report WHERE node_name = ?", node))
        .isEqualTo(2000);
    assertThat(
            count("SELECT max(memory_capacity_bytes) FROM node_report WHERE node_name = ?", node))
        .isEqualTo(4L << 30);

    // the rollup raises nothing for the innocent institution: its site stays within quota
    plane.usage().rollUp().toCompletionStage().toCompletableFuture().get();
    JsonObject within = UsageApiIT.withinQuota(admin.get("/api/v1/sites/" + site).json());
    assertThat(within.getString("status")).isEqualTo("True");
    assertThat(admin.get("/api/v1/usage/institutions/" + innocentId).json().getJsonArray("alerts"))
        .isEmpty();

    // what was dropped is counted by reason
    String metrics = Http.get(plane.url(), "/metrics").body();
    assertThat(metrics)
        .contains("wingu_agent_samples_dropped_total{reason=\"pod-on-other-node\"}")
        .contains("wingu_agent_samples_dropped_total{reason=\"cpu-over-capacity\"}");
  }

  @Test
  void aPodTheCacheHasNotSeenIsDroppedAndCountsOnceSeen() throws Exception {
    String node = SharedControlPlane.unique("fresh-node").toLowerCase();
    String ns = SharedControlPlane.unique("fresh").toLowerCase();
    ApiClient agent = agent(node);
    var unknown =
        agent.post(
            "/api/v1/agent/reports",
            report(
                node,
                1,
                2000,
                4L << 30,
                new JsonArray().add(ClusterPods.sample(ns, "app", "uid-not-yet", 10, 10, 0, 0))));
    assertThat(unknown.json().getJsonObject("dropped"))
        .isEqualTo(new JsonObject().put("pod-unknown", 1));
    String uid = ClusterPods.placed(plane, ns, "app", node);
    var seen =
        agent.post(
            "/api/v1/agent/reports",
            report(
                node,
                2,
                2000,
                4L << 30,
                new JsonArray().add(ClusterPods.sample(ns, "app", uid, 10, 10, 0, 0))));
    assertThat(seen.json().getInteger("samplesAccepted")).isEqualTo(1);
  }

  @Test
  void aReplacedARevokedAndAnExpiredTokenAreRefused() throws Exception {
    String node = SharedControlPlane.unique("token-node").toLowerCase();
    ApiClient first = agent(node);
    assertThat(
            first
                .post("/api/v1/agent/reports", report(node, 1, 2000, 4L << 30, new JsonArray()))
                .status())
        .isEqualTo(202);
    ApiClient second = agent(node);
    var replaced =
        first.post("/api/v1/agent/reports", report(node, 2, 2000, 4L << 30, new JsonArray()));
    assertThat(replaced.status()).as(replaced.body()).isEqualTo(401);
    assertThat(
            second
                .post("/api/v1/agent/reports", report(node, 3, 2000, 4L << 30, new JsonArray()))
                .status())
        .isEqualTo(202);

    ApiClient auditor = SharedControlPlane.newPlatformUser("auditor");
    assertThat(auditor.delete("/api/v1/agent/tokens/" + node).status()).isEqualTo(403);
    assertThat(operator.delete("/api/v1/agent/tokens/" + node).status()).isEqualTo(204);
    assertThat(
            second
                .post("/api/v1/agent/reports", report(node, 4, 2000, 4L << 30, new JsonArray()))
                .status())
        .isEqualTo(401);
    assertThat(operator.delete("/api/v1/agent/tokens/" + node).status()).isEqualTo(404);
    var audit = operator.get("/api/v1/audit?limit=500").json().getJsonArray("items");
    assertThat(audit.stream().map(e -> ((JsonObject) e).getString("action")))
        .contains("agent-token.revoke");

    // a token signed with the control plane's key and recorded as the node's, but past its expiry
    var env = SharedControlPlane.env();
    var keys =
        SigningKeys.read(
            Path.of(env.get("WINGU_JWT_PRIVATE_KEY")), Path.of(env.get("WINGU_JWT_PUBLIC_KEY")));
    TokenService past =
        new TokenService(
            keys,
            Duration.ofHours(1),
            Clock.fixed(Instant.now().minus(Duration.ofDays(2)), ZoneOffset.UTC));
    String expiredId = UUID.randomUUID().toString();
    String expired = past.issue(AgentIdentity.agentFor(node), Duration.ofHours(24), expiredId);
    record(node, expiredId);
    assertThat(
            ApiClient.withToken(plane.url(), expired)
                .post("/api/v1/agent/reports", report(node, 5, 2000, 4L << 30, new JsonArray()))
                .status())
        .isEqualTo(401);
    // the same made now, recorded the same way, is accepted: the expiry alone refused the other
    String freshId = UUID.randomUUID().toString();
    String fresh =
        new TokenService(keys, Duration.ofHours(1), Clock.systemUTC())
            .issue(AgentIdentity.agentFor(node), Duration.ofHours(24), freshId);
    record(node, freshId);
    assertThat(
            ApiClient.withToken(plane.url(), fresh)
                .post("/api/v1/agent/reports", report(node, 6, 2000, 4L << 30, new JsonArray()))
                .status())
        .isEqualTo(202);
  }

  /** Makes a token id the node's current one, as a mint would. */
  static void record(String node, String tokenId) throws Exception {
    var env = SharedControlPlane.env();
    try (var h =
        Jdbi.open(
            env.get("WINGU_DB_URL"),
            env.get("WINGU_DB_MIGRATION_USER"),
            env.get("WINGU_DB_MIGRATION_PASSWORD"))) {
      new AgentTokenStore()
          .record(h, node, tokenId, Instant.now(), Instant.now().plusSeconds(3600), "test");
    }
  }
}
