package io.wingu.controlplane.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.TestCluster;
import io.wingu.controlplane.testing.TestControlPlane;
import io.wingu.controlplane.wiring.ControlPlane;
import java.sql.DriverManager;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Agent reports into real PostgreSQL, and the usage answers that come out. */
class UsageApiIT {

  static final String AGENT_NAMESPACE = "wingu-agent";
  static final String AGENT_ACCOUNT = "wingu-agent";
  static ControlPlane plane;
  static ApiClient operator;
  static Map<String, String> env;

  @BeforeAll
  static void start() {
    env = new HashMap<>(TestControlPlane.env("usage"));
    env.put("WINGU_AGENT_SERVICE_ACCOUNT", AGENT_NAMESPACE + ":" + AGENT_ACCOUNT);
    env.put("WINGU_LOGIN_RATE", "10000");
    plane = TestControlPlane.start(env);
    operator =
        ApiClient.signIn(
            plane.url(), TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD);
  }

  @AfterAll
  static void stop() {
    plane.close();
  }

  static ApiClient agent(String node) {
    var r = operator.post("/api/v1/agent/tokens", new JsonObject().put("nodeName", node));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return ApiClient.withToken(plane.url(), r.json().getString("accessToken"));
  }

  static JsonObject report(String node, long seq, Instant at, JsonArray pods) {
    return new JsonObject()
        .put("nodeName", node)
        .put("seq", seq)
        .put("collectedAt", at.toString())
        .put(
            "node",
            new JsonObject()
                .put("cpuCapacityMillis", 2000)
                .put("cpuUsedMillis", 700)
                .put("memoryCapacityBytes", 8L << 30)
                .put("memoryUsedBytes", 3L << 30)
                .put("fsCapacityBytes", 100L << 30)
                .put("fsUsedBytes", 40L << 30))
        .put("pods", pods);
  }

  /**
   * A sample of a pod the cluster does not have (for reports refused before any pod is looked at).
   */
  static JsonObject pod(String namespace, String name, long cpu, long memory, long rx, long tx) {
    return ClusterPods.sample(
        namespace, name, "uid-" + namespace + "-" + name, cpu, memory, rx, tx);
  }

  static final Map<String, String> PLACED = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * A sample of a real pod bound to {@code node} (made, and seen by the control plane, on first
   * use).
   */
  static JsonObject placed(
      String node, String namespace, String name, long cpu, long memory, long rx, long tx)
      throws Exception {
    String key = namespace + "/" + name;
    String uid = PLACED.get(key);
    if (uid == null) {
      uid = ClusterPods.placed(plane, namespace, name, node);
      PLACED.put(key, uid);
    }
    return ClusterPods.sample(namespace, name, uid, cpu, memory, rx, tx);
  }

  static long count(String sql) throws Exception {
    try (var c =
            DriverManager.getConnection(
                env.get("WINGU_DB_URL"),
                env.get("WINGU_DB_MIGRATION_USER"),
                env.get("WINGU_DB_MIGRATION_PASSWORD"));
        var st = c.createStatement();
        var rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void aReplayedReportIsAcceptedAndCountedOnce() throws Exception {
    ApiClient agent = agent("node-replay");
    JsonObject body =
        report(
            "node-replay",
            1,
            Instant.now(),
            new JsonArray().add(placed("node-replay", "inst-replay", "web", 10, 100, 1, 1)));
    var first = agent.post("/api/v1/agent/reports", body);
    assertThat(first.status()).as(first.body()).isEqualTo(202);
    assertThat(first.json().getBoolean("duplicate")).isFalse();
    assertThat(first.json().getInteger("samplesAccepted")).isEqualTo(1);
    assertThat(first.json().getInteger("samplesDropped")).isZero();
    var again = agent.post("/api/v1/agent/reports", body);
    assertThat(again.status()).isEqualTo(202);
    assertThat(again.json().getBoolean("duplicate")).isTrue();
    assertThat(count("SELECT count(*) FROM node_report WHERE node_name = 'node-replay'"))
        .isEqualTo(1);
    assertThat(count("SELECT count(*) FROM usage_sample WHERE node_name = 'node-replay'"))
        .isEqualTo(1);
  }

  @Test
  void samplesLandInTheirDaysPartitionAndExpiredPartitionsAreDropped() throws Exception {
    java.time.LocalDate today = java.time.LocalDate.now(ZoneOffset.UTC);
    ApiClient agent = agent("node-partition");
    JsonObject body =
        report(
            "node-partition",
            1,
            Instant.now(),
            new JsonArray().add(placed("node-partition", "inst-p", "web", 1, 1, 0, 0)));
    assertThat(agent.post("/api/v1/agent/reports", body).status()).isEqualTo(202);
    try (var c =
            DriverManager.getConnection(
                env.get("WINGU_DB_URL"),
                env.get("WINGU_DB_MIGRATION_USER"),
                env.get("WINGU_DB_MIGRATION_PASSWORD"));
        var st = c.createStatement()) {
      try (var rs =
          st.executeQuery(
              "SELECT tableoid::regclass::text FROM usage_sample WHERE node_name = 'node-partition'")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo(UsagePartitions.name(today));
      }
      // a sample of a day that had no partition waits in the default one, then moves into its day
      java.time.LocalDate old = today.minusDays(30);
      st.execute(
          "INSERT INTO usage_sample VALUES ('"
              + old
              + "T12:00:00Z', 'n', 'inst-p', 'web', 'u', 1, 1, 0, 0)");
      var owner = new org.postgresql.ds.PGSimpleDataSource();
      owner.setUrl(env.get("WINGU_DB_URL"));
      owner.setUser(env.get("WINGU_DB_MIGRATION_USER"));
      owner.setPassword(env.get("WINGU_DB_MIGRATION_PASSWORD"));
      UsagePartitions.maintain(owner, old.plusDays(1), 1000);
      try (var rs =
          st.executeQuery(
              "SELECT tableoid::regclass::text FROM usage_sample WHERE node_name = 'n'")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo(UsagePartitions.name(old));
      }
      UsagePartitions.maintain(owner, today, 20);
      assertThat(Jdbi.create(owner).withHandle(UsagePartitions::partitions))
          .doesNotContain(UsagePartitions.name(old))
          .contains(UsagePartitions.name(today), UsagePartitions.name(today.plusDays(7)));
      try (var rs = st.executeQuery("SELECT count(*) FROM usage_sample WHERE node_name = 'n'")) {
        rs.next();
        assertThat(rs.getLong(1)).as("dropped with its partition").isZero();
      }
    }
  }

  @Test
  void badReportsAreRefusedAndNothingPartialIsStored() throws Exception {
    ApiClient agent = agent("node-bad");
    var other =
        agent.post(
            "/api/v1/agent/reports", report("node-other", 1, Instant.now(), new JsonArray()));
    assertThat(other.status()).isEqualTo(403);
    var future =
        agent.post(
            "/api/v1/agent/reports",
            report("node-bad", 2, Instant.now().plusSeconds(3600), new JsonArray()));
    assertThat(future.status()).isEqualTo(400);
    assertThat(future.body()).contains("collectedAt");
    var past =
        agent.post(
            "/api/v1/agent/reports",
            report("node-bad", 3, Instant.now().minusSeconds(7 * 86400), new JsonArray()));
    assertThat(past.status()).isEqualTo(400);
    var malformed =
        agent.postRaw(
            "/api/v1/agent/reports", "{\"nodeName\": \"node-bad\", \"seq\": ", "application/json");
    assertThat(malformed.status()).isEqualTo(400);
    JsonObject badPod =
        report(
            "node-bad",
            4,
            Instant.now(),
            new JsonArray()
                .add(pod("inst-x", "web", 1, 1, 0, 0))
                .add(new JsonObject().put("namespace", "inst-x").put("name", "broken")));
    assertThat(agent.post("/api/v1/agent/reports", badPod).status()).isEqualTo(400);
    JsonArray many = new JsonArray();
    for (int i = 0; i < 6000; i++) {
      many.add(pod("inst-x", "pod-with-a-long-name-" + i, 1, 1, 0, 0));
    }
    var huge = agent.post("/api/v1/agent/reports", report("node-bad", 5, Instant.now(), many));
    assertThat(huge.status()).isIn(400, 413);
    assertThat(count("SELECT count(*) FROM node_report WHERE node_name = 'node-bad'")).isZero();
    assertThat(count("SELECT count(*) FROM usage_sample WHERE node_name = 'node-bad'")).isZero();
    var person =
        operator.post(
            "/api/v1/agent/reports", report("node-bad", 6, Instant.now(), new JsonArray()));
    assertThat(person.status()).isEqualTo(403);
    assertThat(
            ApiClient.anonymous(plane.url())
                .post(
                    "/api/v1/agent/reports", report("node-bad", 7, Instant.now(), new JsonArray()))
                .status())
        .isEqualTo(401);
  }

  @Test
  void rollupsGiveKnownTotalsAndQuotaAlertsAreRaised() throws Exception {
    String code = "usage" + Long.toString(System.nanoTime() % 100000, 36);
    String institution =
        operator
            .post(
                "/api/v1/institutions",
                new JsonObject()
                    .put("code", code)
                    .put("name", "Usage")
                    .put("domains", new JsonArray().add(code + ".go.tz"))
                    .put("contactEmail", "ict@" + code + ".go.tz"))
            .json()
            .getString("id");
    operator.post(
        "/api/v1/institutions/" + institution + "/users",
        new JsonObject()
            .put("username", code + "-admin")
            .put("password", "usage-admin-password")
            .put("role", "institution-admin"));
    ApiClient admin = ApiClient.signIn(plane.url(), code + "-admin", "usage-admin-password");
    String request =
        admin
            .post(
                "/api/v1/requests",
                new JsonObject()
                    .put("siteName", "portal")
                    .put("hostnames", new JsonArray().add("www." + code + ".go.tz"))
                    .put("plan", "small")
                    .put("justification", "x"))
            .json()
            .getString("id");
    operator.post("/api/v1/requests/" + request + "/approve", new JsonObject());
    String site = operator.get("/api/v1/requests/" + request).json().getString("siteId");
    JsonObject before = withinQuota(admin.get("/api/v1/sites/" + site).json());
    assertThat(before.getString("status")).isEqualTo("True");
    assertThat(before.getString("reason")).isEqualTo("BelowAlertThreshold");

    String ns = "inst-" + code;
    ApiClient agent = agent("node-rollup");
    Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
    // four reports in this hour: two pods, known values; 450m of the 500m quota is 90 %
    long[][] values = {{200, 100, 1000}, {250, 300, 1600}, {150, 200, 2200}, {250, 300, 2800}};
    for (int i = 0; i < values.length; i++) {
      Instant at = hour.plusSeconds(i);
      JsonArray pods =
          new JsonArray()
              .add(
                  placed(
                      "node-rollup",
                      ns,
                      "web",
                      values[i][0],
                      256L << 20,
                      values[i][2],
                      values[i][2] / 2))
              .add(placed("node-rollup", ns, "worker", values[i][1], 128L << 20, 0, 0));
      assertThat(
              agent
                  .post("/api/v1/agent/reports", report("node-rollup", 100 + i, at, pods))
                  .status())
          .isEqualTo(202);
    }
    UsageService routes = plane.usage();
    assertThat(routes.rollUp().toCompletionStage().toCompletableFuture().get())
        .isGreaterThanOrEqualTo(1);

    var usage =
        admin.get(
            "/api/v1/usage/institutions/"
                + institution
                + "?step=hour&from="
                + hour.minusSeconds(3600)
                + "&to="
                + hour.plusSeconds(3600));
    assertThat(usage.status()).as(usage.body()).isEqualTo(200);
    JsonArray series = usage.json().getJsonArray("series");
    assertThat(series).hasSize(1);
    JsonObject point = series.getJsonObject(0);
    assertThat(point.getString("at")).isEqualTo(hour.toString());
    assertThat(point.getLong("cpuMillis"))
        .isEqualTo(213 + 225); // web 850/4 = 212.5 → 213 with worker 900/4 = 225
    assertThat(point.getLong("memoryBytes")).isEqualTo((256L << 20) + (128L << 20));
    assertThat(point.getLong("netRxBytes")).isEqualTo(1800);
    assertThat(usage.json().getJsonObject("quota").getString("cpu")).isEqualTo("500m");
    JsonArray alerts = usage.json().getJsonArray("alerts");
    assertThat(alerts).extracting(a -> ((JsonObject) a).getInteger("threshold")).contains(80);
    var audit =
        operator
            .get("/api/v1/audit?institutionId=" + institution + "&limit=500")
            .json()
            .getJsonArray("items");
    assertThat(audit.stream().map(e -> ((JsonObject) e).getString("action")))
        .contains("usage.alert");

    // the alert shows on the institution's site, in GET /sites/{id} and in GET /sites, since it was
    // raised
    JsonObject cpuAlert =
        alerts.stream()
            .map(JsonObject.class::cast)
            .filter(a -> a.getString("resource").equals("cpu"))
            .findFirst()
            .orElseThrow();
    JsonObject nearly = withinQuota(admin.get("/api/v1/sites/" + site).json());
    assertThat(nearly.getString("status")).isEqualTo("False");
    assertThat(nearly.getString("reason")).isEqualTo("QuotaNearlyReached");
    assertThat(nearly.getString("message")).contains("cpu 438m of 500m (88 %)");
    assertThat(Instant.parse(nearly.getString("lastTransitionTime")))
        .isEqualTo(Instant.parse(cpuAlert.getString("raisedAt")));
    JsonObject listed =
        operator.get("/api/v1/sites?limit=500").json().getJsonArray("items").stream()
            .map(JsonObject.class::cast)
            .filter(s -> s.getString("id").equals(site))
            .findFirst()
            .orElseThrow();
    assertThat(withinQuota(listed)).isEqualTo(nearly);

    YearMonth month = YearMonth.from(hour.atZone(ZoneOffset.UTC));
    var report = operator.get("/api/v1/reports/usage?month=" + month);
    JsonObject line =
        report.json().getJsonArray("items").stream()
            .map(JsonObject.class::cast)
            .filter(l -> l.getString("code").equals(code))
            .findFirst()
            .orElseThrow();
    assertThat(line.getDouble("cpuCoreHours"))
        .isCloseTo(0.4375, org.assertj.core.data.Offset.offset(0.001));
    assertThat(line.getDouble("memoryGibHours"))
        .isCloseTo(0.375, org.assertj.core.data.Offset.offset(0.001));
    var csv =
        ApiClient.withToken(plane.url(), operator.token())
            .getAccepting("/api/v1/reports/usage?month=" + month, "text/csv");
    assertThat(csv.contentType()).startsWith("text/csv");
    assertThat(csv.body())
        .startsWith("institution_id,code,name,cpu_core_hours")
        .contains("," + code + ",");
    assertThat(admin.get("/api/v1/reports/usage?month=" + month).status()).isEqualTo(403);
    assertThat(operator.get("/api/v1/reports/usage?month=2026-13").status()).isEqualTo(400);

    var nodes = operator.get("/api/v1/usage/nodes").json().getJsonArray("items");
    JsonObject node =
        nodes.stream()
            .map(JsonObject.class::cast)
            .filter(n -> n.getString("nodeName").equals("node-rollup"))
            .findFirst()
            .orElseThrow();
    assertThat(node.getLong("seq")).isEqualTo(103);
    assertThat(node.getLong("cpuCapacityMillis")).isEqualTo(2000);
    assertThat(admin.get("/api/v1/usage/nodes").status()).isEqualTo(403);

    // past 100 %, the same day: the condition says so
    for (int i = 0; i < 4; i++) {
      JsonArray pods =
          new JsonArray()
              .add(placed("node-rollup", ns, "web", 900, 256L << 20, 2800, 1400))
              .add(placed("node-rollup", ns, "worker", 900, 128L << 20, 0, 0));
      assertThat(
              agent
                  .post(
                      "/api/v1/agent/reports",
                      report("node-rollup", 200 + i, hour.plusSeconds(10 + i), pods))
                  .status())
          .isEqualTo(202);
    }
    routes.rollUp().toCompletionStage().toCompletableFuture().get();
    JsonObject exceeded = withinQuota(operator.get("/api/v1/sites/" + site).json());
    assertThat(exceeded.getString("status")).isEqualTo("False");
    assertThat(exceeded.getString("reason")).isEqualTo("QuotaExceeded");
    assertThat(exceeded.getString("message")).contains("cpu").contains("of 500m");
  }

  static JsonObject withinQuota(JsonObject site) {
    return site.getJsonArray("conditions").stream()
        .map(JsonObject.class::cast)
        .filter(c -> c.getString("type").equals("WithinQuota"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no WithinQuota condition: " + site.encode()));
  }

  static io.fabric8.kubernetes.api.model.Pod boundPod(
      String name, String node, String[][] containers, String[] init) {
    var spec = new io.fabric8.kubernetes.api.model.PodSpecBuilder().withNodeName(node);
    int i = 0;
    for (String[] c : containers) {
      spec.addNewContainer()
          .withName("c" + i++)
          .withImage("nginx")
          .withNewResources()
          .addToRequests("cpu", new Quantity(c[0]))
          .addToRequests("memory", new Quantity(c[1]))
          .endResources()
          .endContainer();
    }
    if (init != null) {
      spec.addNewInitContainer()
          .withName("init")
          .withImage("busybox")
          .withNewResources()
          .addToRequests("cpu", new Quantity(init[0]))
          .addToRequests("memory", new Quantity(init[1]))
          .endResources()
          .endInitContainer();
    }
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(CAPACITY_NAMESPACE)
        .endMetadata()
        .withSpec(spec.build())
        .build();
  }

  static final String CAPACITY_NAMESPACE = "usage-capacity";

  @Test
  void theNodeViewIsAllocatableVsRequestedVsUsed() {
    String suffix = Long.toString(System.nanoTime() % 100000, 36);
    String known = "node-known-" + suffix;
    String unknown = "node-unknown-" + suffix;
    try (KubernetesClient admin = TestCluster.adminClient()) {
      admin
          .namespaces()
          .resource(
              new NamespaceBuilder()
                  .withNewMetadata()
                  .withName(CAPACITY_NAMESPACE)
                  .endMetadata()
                  .build())
          .serverSideApply();
      admin
          .nodes()
          .resource(new NodeBuilder().withNewMetadata().withName(known).endMetadata().build())
          .create();
      admin
          .nodes()
          .withName(known)
          .editStatus(
              n ->
                  new NodeBuilder(n)
                      .withNewStatus()
                      .addToAllocatable("cpu", new Quantity("1900m"))
                      .addToAllocatable("memory", new Quantity("7Gi"))
                      .addToCapacity("cpu", new Quantity("2"))
                      .addToCapacity("memory", new Quantity("8Gi"))
                      .endStatus()
                      .build());
      // two containers: 350m and 384Mi
      admin
          .pods()
          .resource(
              boundPod(
                  "two-" + suffix,
                  known,
                  new String[][] {{"100m", "128Mi"}, {"250m", "256Mi"}},
                  null))
          .create();
      // an init container asking more CPU than the container: the scheduler counts 500m, 512Mi
      admin
          .pods()
          .resource(
              boundPod(
                  "init-" + suffix,
                  known,
                  new String[][] {{"200m", "512Mi"}},
                  new String[] {"500m", "64Mi"}))
          .create();
      // a pod on another node is not this node's (that a finished pod holds nothing is proven on
      // the real node, where a kubelet finishes it: NodeCapacityOnRealNodeIT)
      admin
          .pods()
          .resource(
              boundPod(
                  "elsewhere-" + suffix,
                  "node-elsewhere-" + suffix,
                  new String[][] {{"1", "1Gi"}},
                  null))
          .create();
    }
    for (String node : new String[] {known, unknown}) {
      assertThat(
              agent(node)
                  .post("/api/v1/agent/reports", report(node, 1, Instant.now(), new JsonArray()))
                  .status())
          .isEqualTo(202);
    }
    var answer = operator.get("/api/v1/usage/nodes");
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    Map<String, JsonObject> nodes = new HashMap<>();
    answer
        .json()
        .getJsonArray("items")
        .forEach(o -> nodes.put(((JsonObject) o).getString("nodeName"), (JsonObject) o));
    JsonObject k = nodes.get(known);
    assertThat(k.getJsonObject("allocatable"))
        .isEqualTo(
            new JsonObject()
                .put("cpuMillis", 1900)
                .put("memoryBytes", 7L << 30)
                .put("source", "node"));
    assertThat(k.getJsonObject("requested"))
        .isEqualTo(
            new JsonObject()
                .put("cpuMillis", 100 + 250 + 500)
                .put("memoryBytes", (128L + 256 + 512) << 20)
                .put("pods", 2));
    assertThat(k.getLong("cpuUsedMillis")).isEqualTo(700);
    JsonObject u = nodes.get(unknown);
    assertThat(u.getJsonObject("allocatable"))
        .isEqualTo(
            new JsonObject()
                .put("cpuMillis", 2000)
                .put("memoryBytes", 8L << 30)
                .put("source", "agent"));
    assertThat(u.getJsonObject("requested"))
        .isEqualTo(new JsonObject().put("cpuMillis", 0).put("memoryBytes", 0).put("pods", 0));
  }

  @Test
  void aPodBoundServiceAccountTokenReportsForItsOwnNodeOnly() throws Exception {
    try (KubernetesClient admin = TestCluster.adminClient()) {
      admin
          .namespaces()
          .resource(
              new NamespaceBuilder()
                  .withNewMetadata()
                  .withName(AGENT_NAMESPACE)
                  .endMetadata()
                  .build())
          .serverSideApply();
      admin
          .serviceAccounts()
          .inNamespace(AGENT_NAMESPACE)
          .resource(
              new ServiceAccountBuilder()
                  .withNewMetadata()
                  .withName(AGENT_ACCOUNT)
                  .endMetadata()
                  .build())
          .serverSideApply();
      admin
          .nodes()
          .resource(new NodeBuilder().withNewMetadata().withName("worker-1").endMetadata().build())
          .serverSideApply();
      var pod =
          admin
              .pods()
              .inNamespace(AGENT_NAMESPACE)
              .resource(
                  new PodBuilder()
                      .withNewMetadata()
                      .withName("agent-worker-1")
                      .endMetadata()
                      .withNewSpec()
                      .withNodeName("worker-1")
                      .withServiceAccountName(AGENT_ACCOUNT)
                      .addNewContainer()
                      .withName("agent")
                      .withImage("wingu/agent:0.1.0")
                      .endContainer()
                      .endSpec()
                      .build())
              .serverSideApply();
      String token =
          admin
              .serviceAccounts()
              .inNamespace(AGENT_NAMESPACE)
              .withName(AGENT_ACCOUNT)
              .tokenRequest(
                  new TokenRequestBuilder()
                      .withNewSpec()
                      .withAudiences("wingu")
                      .withExpirationSeconds(3600L)
                      .withNewBoundObjectRef()
                      .withKind("Pod")
                      .withApiVersion("v1")
                      .withName(pod.getMetadata().getName())
                      .withUid(pod.getMetadata().getUid())
                      .endBoundObjectRef()
                      .endSpec()
                      .build())
              .getStatus()
              .getToken();
      ApiClient agent = ApiClient.withToken(plane.url(), token);
      var own =
          agent.post(
              "/api/v1/agent/reports", report("worker-1", 1, Instant.now(), new JsonArray()));
      assertThat(own.status()).as(own.body()).isEqualTo(202);
      var other =
          agent.post(
              "/api/v1/agent/reports", report("worker-2", 1, Instant.now(), new JsonArray()));
      assertThat(other.status()).isEqualTo(403);
      String wrongAudience =
          admin
              .serviceAccounts()
              .inNamespace(AGENT_NAMESPACE)
              .withName(AGENT_ACCOUNT)
              .tokenRequest(
                  new TokenRequestBuilder()
                      .withNewSpec()
                      .withAudiences("someone-else")
                      .withExpirationSeconds(3600L)
                      .endSpec()
                      .build())
              .getStatus()
              .getToken();
      assertThat(
              ApiClient.withToken(plane.url(), wrongAudience)
                  .post(
                      "/api/v1/agent/reports",
                      report("worker-1", 2, Instant.now(), new JsonArray()))
                  .status())
          .isEqualTo(401);
    }
  }
}
