package io.wingu.controlplane.bench;

import io.vertx.core.http.HttpMethod;
import io.wingu.controlplane.app.WinguConfig;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.FreePort;
import io.wingu.controlplane.testing.Mailpit;
import io.wingu.controlplane.testing.TempDirs;
import io.wingu.controlplane.wiring.ControlPlane;
import io.wingu.dev.LocalKubernetes;
import io.wingu.dev.LocalPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

/**
 * The notifications benchmark: the API's p99 with no mail going out, then while the scorecard's
 * 5,000 mails go out to a real SMTP server, in the same run, and the mails per second delivered.
 * Run it with bench/notifications/run.sh.
 */
public final class NotificationsBench {

  static final int CONNECTIONS = 50;
  static final double WORSE_AT_MOST = 1.20;

  public static void main(String[] args) throws Exception {
    int institutions = Integer.parseInt(System.getProperty("bench.institutions", "5000"));
    int rate = Integer.parseInt(System.getProperty("bench.rate", "50"));
    String smtpRate = System.getProperty("bench.smtpRate", "100");
    Path dir = TempDirs.create("wingu-bench-notify");
    try (LocalPostgres pg =
            LocalPostgres.start(dir.resolve("pg"), FreePort.find(), "bench-superuser-password");
        LocalKubernetes kube = LocalKubernetes.start();
        Mailpit mailpit = Mailpit.start()) {
      Map<String, String> env =
          BenchSetup.environment(pg, kube.writeKubeconfig(dir.resolve("kubeconfig")), dir);
      BenchSetup.holdReconcilerLease(kube);
      env.put("WINGU_LEADER_ELECTION", "true");
      env.put("WINGU_SMTP_HOST", "127.0.0.1");
      env.put("WINGU_SMTP_PORT", String.valueOf(mailpit.smtpPort()));
      env.put("WINGU_SMTP_STARTTLS", "DISABLED");
      env.put("WINGU_SMTP_RATE", smtpRate);
      env.put("WINGU_SMTP_POLL_MILLIS", "200");
      try (ControlPlane plane = ControlPlane.start(WinguConfig.from(env))) {
        try (Connection c = pg.connect("wingu")) {
          long t0 = System.nanoTime();
          load(c, institutions);
          System.out.printf(
              "loaded %d institutions, each with an admin who has an address, in %.1f s%n",
              institutions, (System.nanoTime() - t0) / 1e9);
        }
        ApiClient operator =
            ApiClient.signIn(plane.url(), "operator", BenchSetup.OPERATOR_PASSWORD);
        // a step shorter than the mails take to go out: the whole busy step runs while they do
        String stepSeconds = System.getProperty("bench.stepSeconds", "30");
        int seconds = Integer.parseInt(stepSeconds);
        try (OpenLoopLoad load = new OpenLoopLoad(plane.url(), CONNECTIONS, operator.token());
            Connection c = pg.connect("wingu")) {
          OpenLoopLoad.Call call =
              new OpenLoopLoad.Call(HttpMethod.GET, "/api/v1/institutions?limit=50", null, 200);
          load.run("warm-up", rate, 5, i -> call);
          var quiet = load.run("GET /institutions", rate, seconds, i -> call);

          String month = YearMonth.now(ZoneOffset.UTC).toString();
          long p0 = System.nanoTime();
          var published =
              operator.post(
                  "/api/v1/scorecard/" + month + "/publish", new io.vertx.core.json.JsonObject());
          if (published.status() != 201) {
            throw new IllegalStateException("publish failed: " + published.body());
          }
          System.out.printf(
              "scorecard published in %.1f s: %d mails in the outbox%n",
              (System.nanoTime() - p0) / 1e9, count(c, "TRUE"));
          int sentBefore = count(c, "status = 'sent'");
          var busy = load.run("GET /institutions", rate, seconds, i -> call);
          int sentDuring = count(c, "status = 'sent'") - sentBefore;

          long waitUntil = System.nanoTime() + 600_000_000_000L;
          while (count(c, "status IN ('pending', 'sending')") > 0
              && System.nanoTime() < waitUntil) {
            Thread.sleep(500);
          }
          double mailsPerSecond = mailsPerSecond(c);
          int received = mailpit.messages().size();

          System.out.println();
          System.out.println(OpenLoopLoad.Result.header());
          System.out.println(quiet.row() + "   no mail going out");
          System.out.println(busy.row() + "   " + sentDuring + " mails sent during this step");
          System.out.println();
          System.out.printf(
              "mails delivered to the local SMTP server: %d of %d (%d failed), %.1f mails/s (WINGU_SMTP_RATE=%s)%n",
              received, count(c, "TRUE"), count(c, "status = 'failed'"), mailsPerSecond, smtpRate);
          double ratio = busy.p99Ms() / quiet.p99Ms();
          System.out.printf(
              "API p99 %.1f ms with none going out, %.1f ms while they go out: %.0f %% (target: at most %.0f %%) -> %s%n",
              quiet.p99Ms(),
              busy.p99Ms(),
              ratio * 100,
              WORSE_AT_MOST * 100,
              ratio <= WORSE_AT_MOST ? "MET" : "NOT MET");
        }
      }
    }
  }

  /** Institutions with one admin each, who has an address and a language. */
  static void load(Connection c, int n) throws Exception {
    c.setAutoCommit(false);
    try (PreparedStatement inst =
            c.prepareStatement(
                "INSERT INTO institution (id, code, name, name_sw, contact_email) VALUES (?, ?, ?, ?, ?)");
        PreparedStatement admin =
            c.prepareStatement(
                "INSERT INTO account (id, username, password_hash, role, institution_id, email,"
                    + " language) VALUES (?, ?, 'not-a-hash', 'institution-admin', ?, ?, ?)")) {
      for (int i = 0; i < n; i++) {
        UUID id = UUID.randomUUID();
        String code = "b" + i;
        inst.setObject(1, id);
        inst.setString(2, code);
        inst.setString(3, "Bench institution " + i);
        inst.setString(4, "Taasisi ya majaribio " + i);
        inst.setString(5, "ict@" + code + ".go.tz");
        inst.addBatch();
        admin.setObject(1, UUID.randomUUID());
        admin.setString(2, code + "-admin");
        admin.setObject(3, id);
        admin.setString(4, "admin@" + code + ".go.tz");
        admin.setString(5, i % 2 == 0 ? "sw" : "en");
        admin.addBatch();
        if (i % 1000 == 999) {
          inst.executeBatch();
          admin.executeBatch();
        }
      }
      inst.executeBatch();
      admin.executeBatch();
    }
    c.commit();
    c.setAutoCommit(true);
  }

  static int count(Connection c, String where) throws Exception {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM notification WHERE " + where)) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** Sent mails over the time from the first one sent to the last. */
  static double mailsPerSecond(Connection c) throws Exception {
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*), extract(epoch FROM max(sent_at) - min(sent_at)) FROM"
                    + " notification WHERE status = 'sent'")) {
      rs.next();
      return rs.getInt(1) / Math.max(0.001, rs.getDouble(2));
    }
  }
}
