package io.wingu.controlplane.notifications;

import static io.wingu.controlplane.notifications.NotificationsIT.address;
import static io.wingu.controlplane.notifications.NotificationsIT.institution;
import static io.wingu.controlplane.notifications.NotificationsIT.me;
import static io.wingu.controlplane.notifications.NotificationsIT.person;
import static io.wingu.controlplane.notifications.NotificationsIT.platformOperator;
import static io.wingu.controlplane.notifications.NotificationsIT.submit;
import static io.wingu.controlplane.notifications.NotificationsIT.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.app.Database;
import io.wingu.controlplane.backups.BackupKeys;
import io.wingu.controlplane.provisioning.Condition;
import io.wingu.controlplane.provisioning.TenantStore;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.BackupParts;
import io.wingu.controlplane.testing.Eventually;
import io.wingu.controlplane.testing.FreePort;
import io.wingu.controlplane.testing.Mailpit;
import io.wingu.controlplane.testing.TempDirs;
import io.wingu.controlplane.testing.TenantDatabaseServer;
import io.wingu.controlplane.testing.TestControlPlane;
import io.wingu.controlplane.testing.TestDatabase;
import io.wingu.controlplane.wiring.ControlPlane;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The mails of the events the platform finds itself (a site ready or degraded, a deployment the
 * cluster refused, a failed backup) and of the scheduled passes (the operators' daily digest, the
 * monthly reminder of overdue ICT register reviews): real PostgreSQL, the real control plane, a
 * real SMTP server (Mailpit). Each is asserted by recipients, language and content, and once only.
 *
 * <p>The site transitions go through the very method the reconciler reports with ({@link
 * TenantStore#report}, with the control plane's own audit path); this plane's own reconciler is
 * stopped so that the test alone decides what the cluster "found".
 */
class NotificationEventsIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final ZoneId DAR = ZoneId.of("Africa/Dar_es_Salaam");

  static Mailpit mailpit;
  static Map<String, String> env;
  static ControlPlane plane;
  static ApiClient operator;
  static TenantStore sites;
  static Jdbi jdbi;

  @BeforeAll
  static void start() throws Exception {
    mailpit = Mailpit.start();
    env = NotificationsIT.senderEnv(TestControlPlane.env("notify_events"), mailpit.smtpPort());
    // backups on, whose store cannot be reached: a backup fails, and its people are told
    env.putAll(TenantDatabaseServer.env());
    Path keys = TempDirs.create("notify-keys").resolve("keyset.json");
    BackupKeys.generate(keys);
    env.put("WINGU_BACKUP_S3_ENDPOINT", "http://127.0.0.1:" + FreePort.find());
    env.put("WINGU_BACKUP_S3_BUCKET", "notify");
    env.put("WINGU_BACKUP_S3_ACCESS_KEY", BackupParts.ACCESS_KEY);
    env.put("WINGU_BACKUP_S3_SECRET_KEY", BackupParts.SECRET_KEY);
    env.put("WINGU_BACKUP_KEY_FILE", keys.toString());
    env.put("WINGU_PG_BIN", BackupParts.pgBin());
    plane = TestControlPlane.start(env);
    plane.provisioner().close(); // the test decides what the cluster found
    operator =
        ApiClient.signIn(
            plane.url(), TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD);
    sites = new TenantStore(plane.siteEvents());
    jdbi = Database.jdbi(plane.database().dataSource());
  }

  @AfterAll
  static void stop() throws Exception {
    if (plane != null) {
      plane.close();
    }
    if (mailpit != null) {
      mailpit.close();
    }
  }

  static List<Mailpit.Message> mails(String address, String subjectStart, int atLeast)
      throws Exception {
    Eventually.holds(
        atLeast + " mail(s) '" + subjectStart + "…' to " + address,
        () -> subjects(address, subjectStart).size() >= atLeast,
        WAIT);
    return subjects(address, subjectStart);
  }

  static List<Mailpit.Message> subjects(String address, String subjectStart) throws Exception {
    return mailpit.to(address).stream().filter(m -> m.subject().startsWith(subjectStart)).toList();
  }

  /** What the reconciler reports of a site, as it reports it. */
  static void report(String siteId, String status, Condition... conditions)
      throws java.sql.SQLException {
    jdbi.useTransaction(
        h -> sites.report(h, UUID.fromString(siteId), status, List.of(conditions), Instant.now()));
  }

  static String approve(JsonObject request) {
    var r =
        operator.post("/api/v1/requests/" + request.getString("id") + "/approve", new JsonObject());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json().getString("siteId");
  }

  static int outbox(String kind, String recipient) throws Exception {
    try (Connection c = TestDatabase.superuser(env.get("WINGU_DB_URL"));
        var ps =
            c.prepareStatement(
                "SELECT count(*) FROM notification WHERE kind = ? AND recipient = ?")) {
      ps.setString(1, kind);
      ps.setString(2, recipient);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  static void sql(String statement, Object... values) throws Exception {
    try (Connection c = TestDatabase.superuser(env.get("WINGU_DB_URL"));
        var ps = c.prepareStatement(statement)) {
      for (int i = 0; i < values.length; i++) {
        ps.setObject(i + 1, values[i]);
      }
      ps.executeUpdate();
    }
  }

  // --- what the platform finds of a site ---

  @Test
  void aSiteReadyThenDegradedThenReadyAgainTellsItsAdminsAndWebmastersOncePerChange()
      throws Exception {
    JsonObject inst = institution(operator, null);
    ApiClient admin = person(operator, inst, "institution-admin", "sw");
    ApiClient webmaster = person(admin, inst, "webmaster", "en");
    ApiClient watcher = platformOperator(operator, "en", "ops-ready.go.tz");
    String siteId = approve(submit(admin, inst, "news"));
    String host = "news." + inst.getString("code") + ".go.tz";
    String toWebmaster = address(me(webmaster), inst);
    String toAdmin = address(me(admin), inst);

    Condition deployed = Condition.of(Condition.DEPLOYED, true, "Applied", "applied");
    report(siteId, "PROVISIONING", deployed);
    report(
        siteId,
        "ACTIVE",
        deployed,
        Condition.of(Condition.AVAILABLE, true, "MinimumReplicasAvailable", "1 replica(s)"));
    Mailpit.Message ready = mails(toWebmaster, "Site ready", 1).get(0);
    assertThat(ready.subject()).isEqualTo("Site ready: news");
    assertThat(mailpit.message(ready.id()).getString("Text"))
        .startsWith("Hello " + me(webmaster) + ",")
        .contains("The site news of " + inst.getString("name") + " is ready and served at " + host);
    Mailpit.Message tayari = mails(toAdmin, "Tovuti iko tayari", 1).get(0);
    assertThat(mailpit.message(tayari.id()).getString("Text"))
        .contains("Tovuti news ya Wizara " + inst.getString("code") + " iko tayari");

    // served before, no longer: degraded, with what the platform sees
    Condition down =
        Condition.of(
            Condition.AVAILABLE, false, "NoReplicaAvailable", "no replica is available yet");
    report(siteId, "DEGRADED", deployed, down);
    report(siteId, "DEGRADED", deployed, down); // the next reconcile finds the same: no new mail
    Mailpit.Message degraded = mails(toWebmaster, "Site degraded", 1).get(0);
    assertThat(degraded.subject()).isEqualTo("Site degraded: news");
    assertThat(mailpit.message(degraded.id()).getString("Text"))
        .contains("Available (NoReplicaAvailable): no replica is available yet");
    mails(toAdmin, "Tovuti ina hitilafu: news", 1);

    report(
        siteId,
        "ACTIVE",
        deployed,
        Condition.of(Condition.AVAILABLE, true, "MinimumReplicasAvailable", "1 replica(s)"));
    mails(toWebmaster, "Site ready", 2);
    assertThat(outbox("site-degraded", toWebmaster)).isEqualTo(1);
    assertThat(outbox("site-ready", toWebmaster)).isEqualTo(2);
    // the platform's people are not written to of one institution's site
    assertThat(mailpit.to(me(watcher) + "@ops-ready.go.tz"))
        .extracting(Mailpit.Message::subject)
        .containsExactly("New hosting request: news from " + inst.getString("name"));
    // and the change is in the audit log, by the platform
    JsonArray audited =
        operator
            .get("/api/v1/audit?actor=wingu&institutionId=" + inst.getString("id"))
            .json()
            .getJsonArray("items");
    assertThat(audited.stream().map(o -> ((JsonObject) o).getString("action")))
        .containsExactly("site.ready", "site.degraded", "site.ready");
  }

  @Test
  void aDeploymentTheClusterRefusesTellsTheWebmasterWhoDeployedItAndNobodyElse() throws Exception {
    JsonObject inst = institution(operator, null);
    ApiClient admin = person(operator, inst, "institution-admin", "en");
    ApiClient deployer = person(admin, inst, "webmaster", "sw");
    ApiClient other = person(admin, inst, "webmaster", "en");
    String siteId = approve(submit(admin, inst, "shop"));
    JsonObject example =
        operator.get("/api/v1/templates").array().stream()
            .map(JsonObject.class::cast)
            .filter(t -> "minimal-landing".equals(t.getString("id")))
            .findFirst()
            .orElseThrow()
            .getJsonObject("example");
    var d =
        deployer.post(
            "/api/v1/sites/" + siteId + "/deployments",
            new JsonObject().put("templateId", "minimal-landing").put("parameters", example));
    assertThat(d.status()).as(d.body()).isEqualTo(201);

    // the API server out of reach is the platform's trouble, not the webmaster's: no mail
    report(
        siteId,
        "PROVISIONING",
        Condition.of(
            Condition.DEPLOYED,
            false,
            "ReconcileFailed",
            "the Kubernetes API cannot be reached (connection refused); retrying"));
    report(siteId, "PROVISIONING", Condition.of(Condition.DEPLOYED, true, "Applied", "applied"));
    report(
        siteId,
        "PROVISIONING",
        Condition.of(
            Condition.DEPLOYED,
            false,
            "PodSecurity",
            "violates PodSecurity \"restricted:latest\": allowPrivilegeEscalation != false"));

    String toDeployer = address(me(deployer), inst);
    Mailpit.Message m = mails(toDeployer, "Uchapishaji umeshindwa", 1).get(0);
    assertThat(m.subject()).isEqualTo("Uchapishaji umeshindwa: shop toleo 1");
    assertThat(mailpit.message(m.id()).getString("Text"))
        .contains("Sababu: PodSecurity: violates PodSecurity")
        .contains("allowPrivilegeEscalation != false");
    assertThat(outbox("deployment-failed", toDeployer)).isEqualTo(1);
    assertThat(outbox("deployment-failed", address(me(other), inst))).isZero();
    assertThat(outbox("deployment-failed", address(me(admin), inst))).isZero();
  }

  // --- backups ---

  @Test
  void aFailedBackupReachesTheInstitutionsAdminsAndTheOperatorsAndCannotBeTurnedOff()
      throws Exception {
    JsonObject inst = institution(operator, null);
    ApiClient admin = person(operator, inst, "institution-admin", "en");
    ApiClient webmaster = person(admin, inst, "webmaster", "en");
    ApiClient watcher = platformOperator(operator, "sw", "ops-backup.go.tz");
    var off =
        admin.put(
            "/api/v1/me/notification-preferences", new JsonObject().put("backup-failed", false));
    assertThat(off.status()).as(off.body()).isEqualTo(409);
    assertThat(off.json().getString("code")).isEqualTo("notification-mandatory");

    String siteId = approve(submit(admin, inst, "records"));
    // a database the tenant server does not have: the dump fails
    sql(
        "UPDATE site SET database_name = ? WHERE id = ?::uuid",
        "t_" + inst.getString("code") + "__gone",
        siteId);
    var b = admin.post("/api/v1/sites/" + siteId + "/backups", new JsonObject());
    assertThat(b.status()).as(b.body()).isEqualTo(202);

    Mailpit.Message toAdmin = mails(address(me(admin), inst), "Backup failed", 1).get(0);
    assertThat(toAdmin.subject()).isEqualTo("Backup failed: records of " + inst.getString("name"));
    assertThat(mailpit.message(toAdmin.id()).getString("Text"))
        .contains("The backup of the database of the site records")
        .contains("Why: ");
    Mailpit.Message toOperator =
        mails(me(watcher) + "@ops-backup.go.tz", "Nakala rudufu imeshindwa", 1).get(0);
    assertThat(toOperator.subject())
        .isEqualTo("Nakala rudufu imeshindwa: records ya Wizara " + inst.getString("code"));
    assertThat(mailpit.to(address(me(webmaster), inst))).isEmpty();
    // one failed backup, one audit event (backup.fail), one mail per person: the outbox rows are
    // written with that event, so all of them exist once the first mail has gone
    assertThat(outbox("backup-failed", address(me(admin), inst))).isEqualTo(1);
    assertThat(outbox("backup-failed", me(watcher) + "@ops-backup.go.tz")).isEqualTo(1);
  }

  // --- on a schedule ---

  @Test
  void theDailyDigestGoesOnceToTheOperatorsWhoChoseItInsteadOfOneMailEach() throws Exception {
    ApiClient digester = platformOperator(operator, "en", "ops-digest.go.tz");
    ApiClient single = platformOperator(operator, "en", "ops-single.go.tz");
    String toDigester = me(digester) + "@ops-digest.go.tz";
    String toSingle = me(single) + "@ops-single.go.tz";
    assertThat(
            digester
                .get("/api/v1/me/notification-preferences")
                .json()
                .getBoolean("operator-digest"))
        .as("off until chosen")
        .isFalse();
    var on =
        digester.put(
            "/api/v1/me/notification-preferences", new JsonObject().put("operator-digest", true));
    assertThat(on.status()).as(on.body()).isEqualTo(200);
    assertThat(on.json().getBoolean("operator-digest")).isTrue();

    JsonObject inst = institution(operator, null);
    ApiClient admin = person(operator, inst, "institution-admin", "en");
    submit(admin, inst, "waiting");
    String degradedId = approve(submit(admin, inst, "wobbly"));
    sql("UPDATE site SET status = 'DEGRADED' WHERE id = ?::uuid", degradedId);

    // the operator who takes one mail each has it; the one on the digest does not
    mails(toSingle, "New hosting request: waiting", 1);
    assertThat(outbox("request-submitted", toDigester)).isZero();

    // before the digest's hour nothing is written; from it, once, whatever the passes
    LocalDate day = LocalDate.now(DAR);
    Instant early = ZonedDateTime.of(day.atTime(5, 0), DAR).toInstant();
    Instant at = ZonedDateTime.of(day.atTime(Notifications.DIGEST_HOUR, 5), DAR).toInstant();
    assertThat(await(plane.notifications().digest(early))).isZero();
    assertThat(await(plane.notifications().digest(at))).isPositive();
    assertThat(await(plane.notifications().digest(at.plusSeconds(600)))).isZero();

    Mailpit.Message digest = mails(toDigester, "Wingu daily summary " + day, 1).get(0);
    String text = mailpit.message(digest.id()).getString("Text");
    assertThat(text)
        .contains("- waiting (" + inst.getString("name") + "): 0 day(s) waiting")
        .contains("- wobbly (" + inst.getString("name") + ")")
        .contains("instead of one mail each");
    assertThat(outbox("operator-digest", toDigester)).isEqualTo(1);
    assertThat(outbox("operator-digest", toSingle)).isZero();
  }

  @Test
  void anOverdueRegisterReviewRemindsTheInstitutionsAdminsOnceAMonth() throws Exception {
    JsonObject inst = institution(operator, null);
    ApiClient admin = person(operator, inst, "institution-admin", "sw");
    ApiClient webmaster = person(admin, inst, "webmaster", "en");
    LocalDate today = LocalDate.now(DAR);
    for (String[] s :
        new String[][] {
          {"Payroll", today.minusMonths(13).toString()},
          {"Mail", today.minusMonths(2).toString()}
        }) {
      var r =
          admin.post(
              "/api/v1/institutions/" + inst.getString("id") + "/systems",
              new JsonObject()
                  .put("name", s[0])
                  .put("purpose", "Runs " + s[0])
                  .put("category", "hr")
                  .put("hosting", "own-server-room")
                  .put("builtBy", "Supplier " + unique("s"))
                  .put("users", 40)
                  .put("reviewedAt", s[1]));
      assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    Instant now = Instant.now();
    assertThat(await(plane.notifications().reviewsOverdue(now))).isPositive();
    await(plane.notifications().reviewsOverdue(now.plusSeconds(3600))); // same month: nothing new

    String toAdmin = address(me(admin), inst);
    Mailpit.Message m = mails(toAdmin, "Mapitio ya rejista ya TEHAMA yamechelewa", 1).get(0);
    assertThat(m.subject())
        .isEqualTo(
            "Mapitio ya rejista ya TEHAMA yamechelewa: mifumo 1 ya Wizara "
                + inst.getString("code"));
    assertThat(mailpit.message(m.id()).getString("Text"))
        .contains("- Payroll (" + today.minusMonths(13) + ")")
        .doesNotContain("Mail (");
    assertThat(outbox("register-review-overdue", toAdmin)).isEqualTo(1);
    assertThat(mailpit.to(address(me(webmaster), inst))).isEmpty();
  }

  static int await(io.vertx.core.Future<Integer> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get();
  }
}
