package io.wingu.controlplane.bench;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.app.WinguConfig;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.FreePort;
import io.wingu.controlplane.testing.TempDirs;
import io.wingu.controlplane.wiring.ControlPlane;
import io.wingu.dev.LocalKubernetes;
import io.wingu.dev.LocalPostgres;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Map;

/**
 * The usage benchmark: ingestion sustained for 60 s from simulated agents (open loop, 150 pods a
 * report), then the latency of one institution's usage over a year of hourly rollups. Run it with
 * bench/usage/run.sh.
 */
public final class UsageBench {

  public static void main(String[] args) throws Exception {
    int seconds = Integer.getInteger("bench.seconds", 60);
    int podsPerReport = Integer.getInteger("bench.pods", 150);
    int[] rates =
        Arrays.stream(System.getProperty("bench.rates", "200,350,500").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    Path dir = TempDirs.create("wingu-usage-bench");
    try (LocalPostgres pg =
            LocalPostgres.start(dir.resolve("pg"), FreePort.find(), "bench-superuser-password");
        LocalKubernetes kube = LocalKubernetes.start()) {
      Map<String, String> env =
          BenchSetup.environment(pg, kube.writeKubeconfig(dir.resolve("kubeconfig")), dir);
      env.put("WINGU_DB_POOL_SIZE", "16");
      try (ControlPlane plane = ControlPlane.start(WinguConfig.from(env))) {
        ApiClient operator =
            ApiClient.signIn(plane.url(), "operator", BenchSetup.OPERATOR_PASSWORD);
        String[] uids = benchPods(plane, podsPerReport);
        String agentToken =
            operator
                .post("/api/v1/agent/tokens", new JsonObject().put("nodeName", "bench-node"))
                .json()
                .getString("accessToken");
        System.out.printf(
            "ingestion: %d pods a report, one simulated node stream per report, open loop, %d s a rate,"
                + " everything on this %d-core machine%n",
            podsPerReport, seconds, Runtime.getRuntime().availableProcessors());
        System.out.println(OpenLoopLoad.Result.header() + "   pod-samples/s");
        Instant base = Instant.now().minusSeconds(60);
        long[] seq = {0};
        for (int rate : rates) {
          try (OpenLoopLoad load = new OpenLoopLoad(plane.url(), 64, agentToken)) {
            var r =
                load.run(
                    "POST agent/reports",
                    rate,
                    seconds,
                    i ->
                        new OpenLoopLoad.Call(
                            HttpMethod.POST,
                            "/api/v1/agent/reports",
                            report(base, ++seq[0], uids),
                            202));
            System.out.println(
                r.row() + String.format("   %10.0f", r.achievedRate() * podsPerReport));
          }
        }
        yearOfRollups(pg, operator, plane);
      }
    }
    TempDirs.delete(dir);
    System.exit(0);
  }

  /**
   * The pods the simulated agent reports, made in the API server and bound to bench-node (a 64-core
   * Node): the control plane keeps only samples of pods the cluster places on the agent's node.
   * Their uids, once the control plane's cache has them all.
   */
  static String[] benchPods(ControlPlane plane, int pods) throws InterruptedException {
    var k = plane.kubernetes();
    k.nodes()
        .resource(
            new io.fabric8.kubernetes.api.model.NodeBuilder()
                .withNewMetadata()
                .withName("bench-node")
                .endMetadata()
                .build())
        .serverSideApply();
    k.nodes()
        .withName("bench-node")
        .editStatus(
            n ->
                new io.fabric8.kubernetes.api.model.NodeBuilder(n)
                    .withNewStatus()
                    .addToCapacity("cpu", new io.fabric8.kubernetes.api.model.Quantity("64"))
                    .addToCapacity("memory", new io.fabric8.kubernetes.api.model.Quantity("256Gi"))
                    .endStatus()
                    .build());
    String[] uids = new String[pods];
    for (int p = 0; p < pods; p++) {
      String ns = "inst-bench" + (p % 50);
      if (p < 50) {
        k.namespaces()
            .resource(
                new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                    .withNewMetadata()
                    .withName(ns)
                    .endMetadata()
                    .build())
            .serverSideApply();
      }
      uids[p] =
          k.pods()
              .inNamespace(ns)
              .resource(
                  new io.fabric8.kubernetes.api.model.PodBuilder()
                      .withNewMetadata()
                      .withName("web-" + p)
                      .endMetadata()
                      .withNewSpec()
                      .withNodeName("bench-node")
                      .addNewContainer()
                      .withName("web")
                      .withImage("nginx")
                      .endContainer()
                      .endSpec()
                      .build())
              .serverSideApply()
              .getMetadata()
              .getUid();
    }
    for (int p = 0; p < pods; p++) {
      while (plane.usage().cluster().pod("inst-bench" + (p % 50), "web-" + p).isEmpty()) {
        Thread.sleep(100);
      }
    }
    return uids;
  }

  static String report(Instant base, long seq, String[] uids) {
    JsonArray list = new JsonArray();
    for (int p = 0; p < uids.length; p++) {
      list.add(
          new JsonObject()
              .put("namespace", "inst-bench" + (p % 50))
              .put("name", "web-" + p)
              .put("uid", uids[p])
              .put("cpuMillis", 100 + p)
              .put("memoryBytes", 134217728L + p)
              .put("netRxBytes", seq * 1000)
              .put("netTxBytes", seq * 500));
    }
    return new JsonObject()
        .put("nodeName", "bench-node")
        .put("seq", seq)
        .put("collectedAt", base.plusMillis(seq).toString())
        .put(
            "node",
            new JsonObject()
                .put("cpuCapacityMillis", 64000)
                .put("cpuUsedMillis", 30000)
                .put("memoryCapacityBytes", 256L << 30)
                .put("memoryUsedBytes", 24L << 30)
                .put("fsCapacityBytes", 250L << 30)
                .put("fsUsedBytes", 120L << 30))
        .put("pods", list)
        .encode();
  }

  /** A year of hourly rollups for one institution (10 pods), then its usage query, timed. */
  static void yearOfRollups(LocalPostgres pg, ApiClient operator, ControlPlane plane)
      throws Exception {
    String id =
        operator
            .post(
                "/api/v1/institutions",
                new JsonObject()
                    .put("code", "year")
                    .put("name", "Year")
                    .put("domains", new JsonArray().add("year.go.tz"))
                    .put("contactEmail", "ict@year.go.tz"))
            .json()
            .getString("id");
    Instant now = Instant.now().truncatedTo(ChronoUnit.HOURS);
    try (var c = pg.connect("wingu");
        var st = c.createStatement()) {
      st.execute(
          "INSERT INTO usage_rollup (resolution, bucket, namespace, pod_uid, pod_name, samples, cpu_millis_avg,"
              + " cpu_millis_max, memory_bytes_avg, memory_bytes_max, net_rx_bytes, net_tx_bytes)"
              + " SELECT 'hour', h, 'inst-year', 'uid-' || p, 'pod-' || p, 240, 100 + p, 200, 134217728, 268435456, 1000, 500"
              + " FROM generate_series(timestamptz '"
              + now.minus(365, ChronoUnit.DAYS)
              + "', timestamptz '"
              + now
              + "', interval '1 hour') h, generate_series(1, 10) p");
      st.execute("ANALYZE usage_rollup");
    }
    String path =
        "/api/v1/usage/institutions/"
            + id
            + "?step=hour&from="
            + now.minus(365, ChronoUnit.DAYS)
            + "&to="
            + now.plusSeconds(3600);
    long[] ms = new long[60];
    int points = 0;
    for (int i = 0; i < ms.length + 10; i++) {
      long t0 = System.nanoTime();
      var r = operator.get(path);
      long t = (System.nanoTime() - t0) / 1_000_000;
      if (r.status() != 200) {
        throw new IllegalStateException(r.body());
      }
      points = r.json().getJsonArray("series").size();
      if (i >= 10) {
        ms[i - 10] = t;
      }
    }
    Arrays.sort(ms);
    System.out.printf(
        "usage of one institution over a year of hourly rollups (%d points from %d rows):"
            + " p50 %d ms, p99 %d ms, max %d ms (target <= 100 ms)%n",
        points,
        points * 10,
        ms[ms.length / 2],
        ms[(int) Math.ceil(ms.length * 0.99) - 1],
        ms[ms.length - 1]);
  }
}
