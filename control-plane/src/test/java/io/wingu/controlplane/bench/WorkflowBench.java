package io.wingu.controlplane.bench;

import io.vertx.core.http.HttpMethod;
import io.wingu.controlplane.app.WinguConfig;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.FreePort;
import io.wingu.controlplane.testing.TempDirs;
import io.wingu.controlplane.wiring.ControlPlane;
import io.wingu.dev.LocalKubernetes;
import io.wingu.dev.LocalPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The workflow benchmark: 10,000 institutions and 10,000 pending requests, then an open-loop load
 * over 200 connections at rising rates, separately for GET /requests?status=PENDING and for
 * approvals. Prints each step and the highest rate that met its target. Run it with
 * bench/workflow/run.sh; it starts its own PostgreSQL (production settings) and API server.
 */
public final class WorkflowBench {

  static final int INSTITUTIONS = 10_000;
  static final int CONNECTIONS = 200;
  static final double READ_P99_TARGET_MS = 50;
  static final double APPROVE_P99_TARGET_MS = 100;

  public static void main(String[] args) throws Exception {
    int stepSeconds = Integer.parseInt(System.getProperty("bench.stepSeconds", "8"));
    Path dir = TempDirs.create("wingu-bench");
    try (LocalPostgres pg =
            LocalPostgres.start(dir.resolve("pg"), FreePort.find(), "bench-superuser-password");
        LocalKubernetes kube = LocalKubernetes.start()) {
      Map<String, String> env =
          BenchSetup.environment(pg, kube.writeKubeconfig(dir.resolve("kubeconfig")), dir);
      // the reconciler runs on another replica (it holds the Lease): these are the API's own
      // figures
      BenchSetup.holdReconcilerLease(kube);
      env.put("WINGU_LEADER_ELECTION", "true");
      env.put("WINGU_DB_POOL_SIZE", System.getProperty("bench.pool", "16"));
      try (ControlPlane plane = ControlPlane.start(WinguConfig.from(env))) {
        List<UUID> requests;
        try (Connection c = pg.connect("wingu")) {
          printSettings(c);
          long t0 = System.nanoTime();
          requests = load(c);
          System.out.printf(
              "loaded %d institutions and %d pending requests in %.1f s%n",
              INSTITUTIONS, requests.size(), (System.nanoTime() - t0) / 1e9);
        }
        String token =
            ApiClient.signIn(plane.url(), "operator", BenchSetup.OPERATOR_PASSWORD).token();
        try (OpenLoopLoad load = new OpenLoopLoad(plane.url(), CONNECTIONS, token)) {
          // warm up the JIT and the pool before measuring
          load.run(
              "warm-up",
              200,
              5,
              i ->
                  new OpenLoopLoad.Call(
                      HttpMethod.GET, "/api/v1/requests?status=PENDING", null, 200));
          System.out.println();
          System.out.println(OpenLoopLoad.Result.header());
          int bestRead = 0;
          for (int rate : new int[] {250, 500, 1000, 1500, 2000}) {
            var r =
                load.run(
                    "GET /requests PENDING",
                    rate,
                    stepSeconds,
                    i ->
                        new OpenLoopLoad.Call(
                            HttpMethod.GET, "/api/v1/requests?status=PENDING", null, 200));
            System.out.println(r.row());
            if (r.errors() == 0 && r.p99Ms() < READ_P99_TARGET_MS) {
              bestRead = rate;
            }
          }
          int bestApprove = 0;
          int nextRequest = 0;
          for (int rate : new int[] {50, 100, 200, 300, 400}) {
            int first = nextRequest;
            nextRequest += rate * stepSeconds;
            if (nextRequest > requests.size()) {
              break;
            }
            var r =
                load.run(
                    "POST approve",
                    rate,
                    stepSeconds,
                    i ->
                        new OpenLoopLoad.Call(
                            HttpMethod.POST,
                            "/api/v1/requests/" + requests.get(first + i) + "/approve",
                            "{}",
                            200));
            System.out.println(r.row());
            if (r.errors() == 0 && r.p99Ms() < APPROVE_P99_TARGET_MS) {
              bestApprove = rate;
            }
          }
          System.out.println();
          System.out.printf(
              "highest read rate with p99 < %.0f ms: %d/s (target: 1000/s)%n",
              READ_P99_TARGET_MS, bestRead);
          System.out.printf(
              "highest approval rate with p99 < %.0f ms: %d/s (target: 200/s)%n",
              APPROVE_P99_TARGET_MS, bestApprove);
          var verify = ApiClient.withToken(plane.url(), token).get("/api/v1/audit/verify");
          System.out.println("audit chain after the run: " + verify.body());
        }
      }
    }
    TempDirs.delete(dir);
    System.exit(0);
  }

  private static void printSettings(Connection c) throws Exception {
    try (var st = c.createStatement()) {
      for (String setting :
          new String[] {
            "server_version", "fsync", "synchronous_commit", "shared_buffers", "max_connections"
          }) {
        try (var rs = st.executeQuery("SHOW " + setting)) {
          rs.next();
          System.out.printf("postgresql %s = %s%n", setting, rs.getString(1));
        }
      }
    }
    System.out.printf(
        "machine: %d cores; load generator, control plane and PostgreSQL on this machine%n",
        Runtime.getRuntime().availableProcessors());
  }

  /** Institutions, their domains and one pending request each, inserted in batches. */
  private static List<UUID> load(Connection c) throws Exception {
    c.setAutoCommit(false);
    List<UUID> requestIds = new ArrayList<>();
    UUID small = UUID.fromString("00000000-0000-4000-8000-000000000001");
    Instant base = Instant.now().minusSeconds(INSTITUTIONS);
    try (PreparedStatement inst =
            c.prepareStatement(
                "INSERT INTO institution (id, code, name, contact_email) VALUES (?, ?, ?, ?)");
        PreparedStatement dom =
            c.prepareStatement(
                "INSERT INTO institution_domain (domain, institution_id) VALUES (?, ?)");
        PreparedStatement req =
            c.prepareStatement(
                "INSERT INTO hosting_request (id, institution_id, site_name, hostnames,"
                    + " plan_id, justification, status, cpu_millis, memory_bytes, storage_bytes, created_by, created_at, updated_at)"
                    + " VALUES (?, ?, 'portal', ?, ?, 'benchmark', 'PENDING', 500, 536870912, 5368709120, 'bench', ?, ?)");
        PreparedStatement hist =
            c.prepareStatement(
                "INSERT INTO hosting_request_history (request_id, position, status,"
                    + " at, actor) VALUES (?, 1, 'PENDING', ?, 'bench')")) {
      for (int i = 0; i < INSTITUTIONS; i++) {
        UUID id = UUID.randomUUID();
        String code = "bench" + i;
        inst.setObject(1, id);
        inst.setString(2, code);
        inst.setString(3, "Benchmark institution " + i);
        inst.setString(4, "ict@" + code + ".go.tz");
        inst.addBatch();
        dom.setString(1, code + ".go.tz");
        dom.setObject(2, id);
        dom.addBatch();
        UUID requestId = UUID.randomUUID();
        Timestamp at = Timestamp.from(base.plusSeconds(i));
        req.setObject(1, requestId);
        req.setObject(2, id);
        req.setArray(3, c.createArrayOf("text", new Object[] {"www." + code + ".go.tz"}));
        req.setObject(4, small);
        req.setTimestamp(5, at);
        req.setTimestamp(6, at);
        req.addBatch();
        hist.setObject(1, requestId);
        hist.setTimestamp(2, at);
        hist.addBatch();
        requestIds.add(requestId);
        if (i % 1000 == 999) {
          inst.executeBatch();
          dom.executeBatch();
          req.executeBatch();
          hist.executeBatch();
        }
      }
    }
    c.commit();
    try (var st = c.createStatement()) {
      st.execute("ANALYZE");
    }
    c.setAutoCommit(true);
    // approve the oldest first: the benchmark walks the list in order
    return requestIds;
  }
}
