package io.wingu.controlplane.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.Eventually;
import io.wingu.controlplane.testing.FreePort;
import io.wingu.controlplane.testing.Mailpit;
import io.wingu.controlplane.testing.TcpProxy;
import io.wingu.controlplane.testing.TestControlPlane;
import io.wingu.controlplane.testing.TestDatabase;
import io.wingu.controlplane.wiring.ControlPlane;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * E-mail notifications end to end: real PostgreSQL, the real control plane, and a real SMTP server
 * (Mailpit) whose HTTP API shows what it received — recipients, headers, both parts.
 */
class NotificationsIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final AtomicInteger COUNTER = new AtomicInteger();

  static Mailpit mailpit;
  static TcpProxy smtpLine; // between the control plane and Mailpit: the outage test cuts it
  static Map<String, String> env;
  static ControlPlane plane;
  static ApiClient operator;

  @BeforeAll
  static void start() throws Exception {
    mailpit = Mailpit.start();
    smtpLine = new TcpProxy(mailpit.smtpPort());
    env = senderEnv(TestControlPlane.env("notify"), smtpLine.port());
    plane = TestControlPlane.start(env);
    operator =
        ApiClient.signIn(
            plane.url(), TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD);
  }

  @AfterAll
  static void stop() throws Exception {
    if (plane != null) {
      plane.close();
    }
    if (smtpLine != null) {
      smtpLine.close();
    }
    if (mailpit != null) {
      mailpit.close();
    }
  }

  /**
   * A control plane's environment that sends through {@code smtpPort}, quickly and with short
   * waits.
   */
  static Map<String, String> senderEnv(Map<String, String> base, int smtpPort) {
    Map<String, String> e = new HashMap<>(base);
    e.put("WINGU_LOGIN_RATE", "10000");
    e.put("WINGU_SMTP_HOST", "127.0.0.1");
    e.put("WINGU_SMTP_PORT", String.valueOf(smtpPort));
    e.put("WINGU_SMTP_FROM", "Wingu <no-reply@wingu.go.tz>");
    e.put("WINGU_SMTP_STARTTLS", "DISABLED");
    e.put("WINGU_SMTP_RATE", "1000");
    e.put("WINGU_SMTP_RETRY_SECONDS", "1");
    e.put("WINGU_SMTP_RETRY_MAX_SECONDS", "2");
    e.put("WINGU_SMTP_LEASE_SECONDS", "5");
    e.put("WINGU_SMTP_POLL_MILLIS", "100");
    return e;
  }

  // --- the world a test builds through the API ---

  static String unique(String prefix) {
    return prefix + COUNTER.incrementAndGet() + "x" + Long.toString(System.nanoTime() % 46656, 36);
  }

  static JsonObject institution(ApiClient operator, String name) {
    String code = unique("n");
    var r =
        operator.post(
            "/api/v1/institutions",
            new JsonObject()
                .put("code", code)
                .put("name", name == null ? "Ministry " + code : name)
                .put("nameSw", "Wizara " + code)
                .put("domains", new JsonArray().add(code + ".go.tz"))
                .put("contactEmail", "ict@" + code + ".go.tz"));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json();
  }

  /** A person of the institution with an address and a language; signed in. */
  static ApiClient person(ApiClient creator, JsonObject institution, String role, String language) {
    String username = unique(role.substring(0, 3));
    String password = "password-" + username;
    var r =
        creator.post(
            "/api/v1/institutions/" + institution.getString("id") + "/users",
            new JsonObject().put("username", username).put("password", password).put("role", role));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    ApiClient c = ApiClient.signIn(creator.base(), username, password);
    setContact(c, address(username, institution), language);
    return c;
  }

  static String address(String username, JsonObject institution) {
    return username + "@" + institution.getString("code") + ".go.tz";
  }

  static void setContact(ApiClient c, String email, String language) {
    var r =
        c.put("/api/v1/me/contact", new JsonObject().put("email", email).put("language", language));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
  }

  /** A platform operator with an address and a language; signed in. */
  static ApiClient platformOperator(ApiClient operator, String language, String domain) {
    String username = unique("op");
    String password = "password-" + username;
    var r =
        operator.post(
            "/api/v1/users",
            new JsonObject()
                .put("username", username)
                .put("password", password)
                .put("role", "operator"));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    ApiClient c = ApiClient.signIn(operator.base(), username, password);
    setContact(c, username + "@" + domain, language);
    return c;
  }

  static String me(ApiClient c) {
    return c.get("/api/v1/me").json().getString("username");
  }

  static JsonObject submit(ApiClient admin, JsonObject institution, String site) {
    var r =
        admin.post(
            "/api/v1/requests",
            new JsonObject()
                .put("siteName", site)
                .put(
                    "hostnames",
                    new JsonArray().add(site + "." + institution.getString("code") + ".go.tz"))
                .put("plan", "small")
                .put("justification", "Citizens need the " + site + " site"));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json();
  }

  static List<Mailpit.Message> mailsTo(String address, int atLeast) throws Exception {
    Eventually.holds(
        atLeast + " mail(s) to " + address, () -> mailpit.to(address).size() >= atLeast, WAIT);
    return mailpit.to(address);
  }

  // --- each event's mail ---

  @Test
  void aSubmittedRequestReachesEveryOperatorInTheirOwnLanguage() throws Exception {
    ApiClient english = platformOperator(operator, "en", "ops-en.go.tz");
    ApiClient swahili = platformOperator(operator, "sw", "ops-sw.go.tz");
    JsonObject inst = institution(operator, null);
    ApiClient admin = person(operator, inst, "institution-admin", "sw");
    submit(admin, inst, "clinic");

    Mailpit.Message en = mailsTo(me(english) + "@ops-en.go.tz", 1).get(0);
    assertThat(en.subject())
        .isEqualTo("New hosting request: clinic from " + inst.getString("name"));
    assertThat(en.from()).isEqualTo("no-reply@wingu.go.tz");
    JsonObject enParts = mailpit.message(en.id());
    assertThat(enParts.getString("Text"))
        .startsWith("Hello " + me(english) + ",")
        .contains("clinic." + inst.getString("code") + ".go.tz")
        .contains("Citizens need the clinic site");
    assertThat(enParts.getString("HTML"))
        .contains("<html lang=\"en\">")
        .contains("Citizens need the clinic site");
    assertThat(mailpit.headers(en.id()).get("Message-ID").get(0)).endsWith("@wingu.go.tz>");

    Mailpit.Message sw = mailsTo(me(swahili) + "@ops-sw.go.tz", 1).get(0);
    assertThat(sw.subject())
        .isEqualTo("Ombi jipya la uhifadhi: clinic kutoka Wizara " + inst.getString("code"));
    assertThat(mailpit.message(sw.id()).getString("Text"))
        .startsWith("Habari " + me(swahili) + ",");
    // the institution's own people are not told of their own submission
    assertThat(mailpit.to(me(admin) + "@" + inst.getString("code") + ".go.tz")).isEmpty();
  }

  @Test
  void aDecisionReachesTheAdminsAndTheContactAddressWithTheReason() throws Exception {
    JsonObject inst = institution(operator, null);
    ApiClient admin = person(operator, inst, "institution-admin", "en");
    ApiClient webmaster = person(admin, inst, "webmaster", "en");
    String adminAddress = address(me(admin), inst);
    String contact = inst.getString("contactEmail");

    JsonObject rejected = submit(admin, inst, "archive");
    var r =
        operator.post(
            "/api/v1/requests/" + rejected.getString("id") + "/reject",
            new JsonObject().put("reason", "The archive belongs on the national records site"));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonObject approved = submit(admin, inst, "portal");
    r =
        operator.post(
            "/api/v1/requests/" + approved.getString("id") + "/approve",
            new JsonObject().put("note", "Welcome"));
    assertThat(r.status()).as(r.body()).isEqualTo(200);

    List<Mailpit.Message> toAdmin = mailsTo(adminAddress, 2);
    assertThat(toAdmin)
        .extracting(Mailpit.Message::subject)
        .containsExactly(
            "Not approved: your hosting request for archive",
            "Approved: your hosting request for portal");
    assertThat(mailpit.message(toAdmin.get(0).id()).getString("Text"))
        .contains("Reason: The archive belongs on the national records site");
    assertThat(mailpit.message(toAdmin.get(1).id()).getString("Text"))
        .contains("Operator's note: Welcome");

    // the contact address has no account: it is written to in Swahili
    List<Mailpit.Message> toContact = mailsTo(contact, 2);
    assertThat(toContact)
        .extracting(Mailpit.Message::subject)
        .containsExactly(
            "Halikuidhinishwa: ombi lako la uhifadhi wa archive",
            "Limeidhinishwa: ombi lako la uhifadhi wa portal");
    assertThat(mailpit.message(toContact.get(0).id()).getString("Text"))
        .contains("Sababu: The archive belongs on the national records site");
    // webmasters do not hear of requests
    assertThat(mailpit.to(address(me(webmaster), inst))).isEmpty();

    // the admin sees what was sent to them, and that it was delivered
    Eventually.holds(
        "both notifications recorded as sent",
        () ->
            admin.get("/api/v1/me/notifications").json().getJsonArray("items").stream()
                    .filter(o -> "sent".equals(((JsonObject) o).getString("status")))
                    .count()
                == 2,
        WAIT);
    JsonArray mine = admin.get("/api/v1/me/notifications").json().getJsonArray("items");
    assertThat(mine.getJsonObject(0).getString("kind")).isEqualTo("request-approved");
    assertThat(mine.getJsonObject(0).getString("subject"))
        .isEqualTo("Approved: your hosting request for portal");
    assertThat(mine.getJsonObject(0).getString("sentAt")).isNotBlank();
  }

  @Test
  void aSuspensionReachesAdminsAndWebmastersAndCannotBeTurnedOff() throws Exception {
    JsonObject inst = institution(operator, null);
    ApiClient admin = person(operator, inst, "institution-admin", "sw");
    ApiClient webmaster = person(admin, inst, "webmaster", "en");
    JsonObject req = submit(admin, inst, "news");
    String siteId =
        operator
            .post("/api/v1/requests/" + req.getString("id") + "/approve", new JsonObject())
            .json()
            .getString("siteId");

    var refused =
        webmaster.put(
            "/api/v1/me/notification-preferences", new JsonObject().put("site-suspended", false));
    assertThat(refused.status()).as(refused.body()).isEqualTo(409);
    assertThat(refused.json().getString("code")).isEqualTo("notification-mandatory");

    var r =
        operator.post(
            "/api/v1/sites/" + siteId + "/suspend",
            new JsonObject().put("reason", "Defaced home page"));
    assertThat(r.status()).as(r.body()).isEqualTo(200);

    Mailpit.Message toWebmaster = mailsTo(address(me(webmaster), inst), 1).get(0);
    assertThat(toWebmaster.subject()).isEqualTo("Site suspended: news");
    assertThat(mailpit.message(toWebmaster.id()).getString("Text"))
        .contains("Reason: Defaced home page");
    List<Mailpit.Message> toAdmin = mailsTo(address(me(admin), inst), 2);
    assertThat(toAdmin.get(toAdmin.size() - 1).subject()).isEqualTo("Tovuti imesimamishwa: news");
  }

  @Test
  void aPersonWhoTurnedAKindOffIsNotWrittenToButTheContactAddressIs() throws Exception {
    JsonObject inst = institution(operator, null);
    ApiClient admin = person(operator, inst, "institution-admin", "en");
    var prefs =
        admin.put(
            "/api/v1/me/notification-preferences", new JsonObject().put("request-approved", false));
    assertThat(prefs.status()).as(prefs.body()).isEqualTo(200);
    assertThat(prefs.json().getBoolean("request-approved")).isFalse();
    assertThat(prefs.json().getBoolean("request-rejected")).isTrue();
    assertThat(
            admin.get("/api/v1/me/notification-preferences").json().getBoolean("request-approved"))
        .isFalse();

    JsonObject approved = submit(admin, inst, "quiet");
    operator.post("/api/v1/requests/" + approved.getString("id") + "/approve", new JsonObject());
    JsonObject rejected = submit(admin, inst, "loud");
    operator.post(
        "/api/v1/requests/" + rejected.getString("id") + "/reject",
        new JsonObject().put("reason", "Duplicate of the portal"));

    mailsTo(inst.getString("contactEmail"), 2);
    List<Mailpit.Message> toAdmin = mailsTo(address(me(admin), inst), 1);
    assertThat(toAdmin)
        .extracting(Mailpit.Message::subject)
        .containsExactly("Not approved: your hosting request for loud");
  }

  @Test
  void anOperatorMakesAKindMandatoryAndItReachesEvenThoseWhoHadTurnedItOff() throws Exception {
    String kind = "register-review-overdue";
    JsonObject inst = institution(operator, null);
    ApiClient admin = person(operator, inst, "institution-admin", "en");
    var off = admin.put("/api/v1/me/notification-preferences", new JsonObject().put(kind, false));
    assertThat(off.status()).as(off.body()).isEqualTo(200);
    assertThat(off.json().getBoolean(kind)).isFalse();

    // only an operator decides, and the digest stays each operator's own choice
    var notOperator =
        admin.put("/api/v1/notifications/mandatory", new JsonObject().put(kind, true));
    assertThat(notOperator.status()).as(notOperator.body()).isEqualTo(403);
    assertThat(notOperator.contentType()).startsWith("application/problem+json");
    var digest =
        operator.put(
            "/api/v1/notifications/mandatory", new JsonObject().put("operator-digest", true));
    assertThat(digest.status()).as(digest.body()).isEqualTo(409);
    assertThat(digest.contentType()).startsWith("application/problem+json");
    assertThat(digest.json().getString("detail")).contains("operator-digest");
    assertThat(digest.json().getString("code")).isEqualTo("notification-not-mandatory");
    assertThat(operator.get("/api/v1/notifications/mandatory").json().getBoolean("operator-digest"))
        .isFalse();

    var on = operator.put("/api/v1/notifications/mandatory", new JsonObject().put(kind, true));
    assertThat(on.status()).as(on.body()).isEqualTo(200);
    assertThat(on.json().getBoolean(kind)).isTrue();
    assertThat(on.json().getBoolean("site-suspended")).as("kinds not named keep theirs").isTrue();
    assertThat(on.json().getBoolean("quota-80")).isFalse();
    try {
      assertThat(admin.get("/api/v1/notifications/mandatory").json().getBoolean(kind)).isTrue();
      assertThat(admin.get("/api/v1/me/notification-preferences").json().getBoolean(kind)).isTrue();
      var refused =
          admin.put("/api/v1/me/notification-preferences", new JsonObject().put(kind, false));
      assertThat(refused.status()).as(refused.body()).isEqualTo(409);
      assertThat(refused.contentType()).startsWith("application/problem+json");
      assertThat(refused.json().getString("code")).isEqualTo("notification-mandatory");
      assertThat(refused.json().getString("detail"))
          .contains("mandatory")
          .contains("cannot be turned off")
          .contains(kind);

      // the person who had turned it off is written to now
      var system =
          admin.post(
              "/api/v1/institutions/" + inst.getString("id") + "/systems",
              new JsonObject()
                  .put("name", "Payroll")
                  .put("purpose", "Pays the staff")
                  .put("category", "hr")
                  .put("hosting", "own-server-room")
                  .put("builtBy", "Supplier " + unique("s"))
                  .put("users", 40)
                  .put("reviewedAt", java.time.LocalDate.now().minusMonths(14).toString()));
      assertThat(system.status()).as(system.body()).isEqualTo(201);
      assertThat(
              plane
                  .notifications()
                  .reviewsOverdue(java.time.Instant.now())
                  .toCompletionStage()
                  .toCompletableFuture()
                  .get())
          .isPositive();
      assertThat(mailsTo(address(me(admin), inst), 1))
          .extracting(Mailpit.Message::subject)
          .containsExactly("ICT register review overdue: 1 system(s) of " + inst.getString("name"));

      // and the change is in the audit log, by the operator who made it
      JsonArray audited =
          operator
              .get("/api/v1/audit?actor=" + TestControlPlane.OPERATOR + "&limit=500")
              .json()
              .getJsonArray("items");
      assertThat(
              audited.stream()
                  .map(JsonObject.class::cast)
                  .filter(e -> "notification.mandatory".equals(e.getString("action")))
                  .map(e -> e.getJsonObject("after").getJsonArray("mandatory").encode()))
          .anySatisfy(
              after -> assertThat(after).contains("\"" + kind + "\"", "\"site-suspended\""));
    } finally {
      var back = operator.put("/api/v1/notifications/mandatory", new JsonObject().put(kind, false));
      assertThat(back.status()).as(back.body()).isEqualTo(200);
    }
    // no longer mandatory: the person's own choice counts again
    assertThat(admin.get("/api/v1/me/notification-preferences").json().getBoolean(kind)).isFalse();
  }

  @Test
  void aPublishedScorecardTellsEachInstitutionItsOwnScore() throws Exception {
    JsonObject inst = institution(operator, null);
    ApiClient admin = person(operator, inst, "institution-admin", "en");
    ApiClient webmaster = person(admin, inst, "webmaster", "en");
    String month = java.time.YearMonth.now(java.time.ZoneOffset.UTC).toString();
    var r = operator.post("/api/v1/scorecard/" + month + "/publish", new JsonObject());
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    JsonObject ranking = operator.get("/api/v1/scorecard?limit=500&month=" + month).json();
    JsonObject mine =
        ranking.getJsonArray("items").stream()
            .map(JsonObject.class::cast)
            .filter(i -> inst.getString("id").equals(i.getString("institutionId")))
            .findFirst()
            .orElseThrow(() -> new AssertionError("institution not ranked: " + ranking.encode()));
    String score = String.format(java.util.Locale.ROOT, "%.1f", mine.getDouble("score"));

    Mailpit.Message m = mailsTo(address(me(admin), inst), 1).get(0);
    assertThat(m.subject())
        .isEqualTo("Scorecard " + month + ": " + inst.getString("name") + " scored " + score);
    assertThat(mailpit.message(m.id()).getString("Text"))
        .contains("ranked " + mine.getInteger("rank") + " of " + ranking.getInteger("institutions"))
        .contains("What to improve:");
    assertThat(mailpit.to(address(me(webmaster), inst))).isEmpty();
  }

  @Test
  void aQuotaAlertReachesTheInstitutionsAdmins() throws Exception {
    JsonObject inst = institution(operator, null);
    ApiClient admin = person(operator, inst, "institution-admin", "en");
    ApiClient webmaster = person(admin, inst, "webmaster", "en");
    JsonObject req = submit(admin, inst, "busy");
    operator.post("/api/v1/requests/" + req.getString("id") + "/approve", new JsonObject());
    // the roll-up's figures for this hour and the next (the roll-up may run after the hour turns):
    // 450m of the small plan's 500m CPU is 90 %
    java.time.Instant hour =
        java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.HOURS);
    try (Connection c = TestDatabase.superuser(env.get("WINGU_DB_URL"));
        var ps =
            c.prepareStatement(
                "INSERT INTO usage_rollup VALUES ('hour', ?, ?, 'uid-busy', 'busy-web', 4, 450, 500,"
                    + " 1048576, 1048576, 0, 0)")) {
      for (java.time.Instant h : List.of(hour, hour.plusSeconds(3600))) {
        ps.setObject(1, java.time.OffsetDateTime.ofInstant(h, java.time.ZoneOffset.UTC));
        ps.setString(2, "inst-" + inst.getString("code"));
        ps.executeUpdate();
      }
    }
    plane.usage().rollUp().toCompletionStage().toCompletableFuture().get();

    List<Mailpit.Message> toAdmin = mailsTo(address(me(admin), inst), 2); // approval, then alert
    Mailpit.Message alert = toAdmin.get(toAdmin.size() - 1);
    assertThat(alert.subject())
        .isEqualTo("Quota alert: " + inst.getString("name") + " uses 80 % of its CPU");
    assertThat(mailpit.message(alert.id()).getString("Text"))
        .contains("used 450m of its CPU quota of 500m");
    assertThat(mailpit.to(address(me(webmaster), inst))).isEmpty();
  }

  // --- bad input ---

  @Test
  void noHeaderCanBeInjectedThroughAnythingAPersonTyped() throws Exception {
    String victim = "victim@" + unique("v") + ".go.tz";
    ApiClient reader = platformOperator(operator, "en", "ops-inj.go.tz");
    // an address with a line break never reaches the outbox
    var bad =
        reader.put(
            "/api/v1/me/contact",
            new JsonObject().put("email", "x@ops.go.tz\r\nBcc: " + victim).put("language", "en"));
    assertThat(bad.status()).isEqualTo(400);

    // an institution name with header lines in it (however it got there) stays in the subject
    JsonObject inst = institution(operator, null);
    ApiClient admin = person(operator, inst, "institution-admin", "en");
    try (Connection c = TestDatabase.superuser(env.get("WINGU_DB_URL"));
        var ps = c.prepareStatement("UPDATE institution SET name = ? WHERE id = ?::uuid")) {
      ps.setString(1, "Evil\r\nBcc: " + victim + "\nX-Injected: yes");
      ps.setString(2, inst.getString("id"));
      ps.executeUpdate();
    }
    String site = "inject";
    JsonObject req = submit(admin, inst, site);
    var rejected =
        operator.post(
            "/api/v1/requests/" + req.getString("id") + "/reject",
            new JsonObject().put("reason", "Line one\r\nBcc: " + victim + "\r\n\r\nbody"));
    assertThat(rejected.status()).as(rejected.body()).isEqualTo(200);

    Mailpit.Message toReader = mailsTo(me(reader) + "@ops-inj.go.tz", 1).get(0);
    assertThat(toReader.subject())
        .isEqualTo(
            "New hosting request: " + site + " from Evil Bcc: " + victim + " X-Injected: yes");
    Map<String, List<String>> headers = mailpit.headers(toReader.id());
    assertThat(headers).doesNotContainKeys("Bcc", "X-Injected");
    assertThat(headers.get("To")).containsExactly(me(reader) + "@ops-inj.go.tz");
    mailsTo(address(me(admin), inst), 1);
    assertThat(mailpit.headers(mailpit.to(address(me(admin), inst)).get(0).id()))
        .doesNotContainKeys("Bcc", "X-Injected");
    assertThat(mailpit.to(victim)).isEmpty();
  }

  // --- failure ---

  @Test
  void whileTheMailServerIsDownChangesGoThroughAndTheMailsFollowInOrderOnceEach() throws Exception {
    ApiClient watcher = platformOperator(operator, "en", "ops-outage.go.tz");
    String to = me(watcher) + "@ops-outage.go.tz";
    JsonObject inst = institution(operator, null);
    ApiClient admin = person(operator, inst, "institution-admin", "en");
    smtpLine.cut();
    List<String> sites = List.of("first", "second", "third");
    try {
      for (String s : sites) {
        submit(admin, inst, s); // 201 at once: the change is never held back by the mail server
      }
      // the first of the queue is tried (and fails); which one depends on the operators' names
      Eventually.holds(
          "the sender tried and failed while the server was away", () -> retried() > 0, WAIT);
      assertThat(mailpit.to(to)).isEmpty();
    } finally {
      smtpLine.restore();
    }
    List<Mailpit.Message> got = mailsTo(to, 3);
    assertThat(got)
        .extracting(Mailpit.Message::subject)
        .containsExactly(
            sites.stream()
                .map(s -> "New hosting request: " + s + " from " + inst.getString("name"))
                .toArray(String[]::new));
    assertThat(got.stream().map(Mailpit.Message::messageId).distinct()).hasSize(3);
  }

  /** Tries that failed for mails still waiting. */
  static int retried() throws Exception {
    try (Connection c = TestDatabase.superuser(env.get("WINGU_DB_URL"));
        var ps =
            c.prepareStatement(
                "SELECT coalesce(sum(attempts), 0) FROM notification WHERE status = 'pending'")) {
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  // --- exactly once across a restart and across two replicas ---

  /**
   * The first control plane's mail server takes connections and never answers: it dies with its
   * batch claimed, in the middle of sending. The next one, on the same database, sends each mail
   * once when the lease has run out.
   */
  @Test
  void aRestartInTheMiddleOfSendingLosesNoneAndSendsNoneTwice() throws Exception {
    Map<String, String> base = TestControlPlane.env("notify_restart");
    String domain = unique("r") + ".go.tz";
    List<Socket> held = new CopyOnWriteArrayList<>();
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread.ofVirtual()
          .start(
              () -> {
                while (!silent.isClosed()) {
                  try {
                    held.add(silent.accept()); // never a greeting: the client waits mid-send
                  } catch (java.io.IOException closed) {
                    return;
                  }
                }
              });
      ControlPlane first = TestControlPlane.start(senderEnv(base, silent.getLocalPort()));
      int mails;
      try {
        mails = outboxOfOperators(first, domain, 5, 4);
        Eventually.holds(
            "the first control plane is in the middle of sending",
            () -> count(base, "status = 'sending'") > 0 && !held.isEmpty(),
            WAIT);
      } finally {
        first.close(); // dies mid-send: what it claimed stays 'sending'
      }
      assertThat(count(base, "status = 'sending'")).isPositive();
      assertThat(count(base, "status = 'sent'")).isZero();
      Map<String, String> secondEnv = senderEnv(base, mailpit.smtpPort());
      secondEnv.put("WINGU_HTTP_PORT", String.valueOf(FreePort.find()));
      try (ControlPlane second = TestControlPlane.start(secondEnv)) {
        Eventually.holds("every mail sent", () -> count(base, "status = 'sent'") == mails, WAIT);
        assertThat(senders(base)).hasSize(1).containsValue(mails); // all by the second one
        assertThat(second.url()).isNotNull();
      }
      List<Mailpit.Message> got =
          mailpit.messages().stream().filter(m -> m.to().get(0).endsWith("@" + domain)).toList();
      assertThat(got).hasSize(mails);
      assertThat(got.stream().map(Mailpit.Message::messageId).distinct()).hasSize(mails);
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
  }

  @Test
  void twoReplicasOnOneDatabaseSendEachMailOnce() throws Exception {
    Map<String, String> base = TestControlPlane.env("notify_replicas");
    String domain = unique("p") + ".go.tz";
    Map<String, String> envA = senderEnv(base, mailpit.smtpPort());
    Map<String, String> envB = new HashMap<>(envA);
    envB.put("WINGU_HTTP_PORT", String.valueOf(FreePort.find()));
    try (ControlPlane a = TestControlPlane.start(envA);
        ControlPlane b = TestControlPlane.start(envB)) {
      // the changes come through both replicas
      outboxOfOperators(a, domain, 20, 5);
      outboxOfOperators(b, domain, 0, 5);
      int mails = 20 * 10; // every operator hears of every request
      Eventually.holds("every mail sent", () -> count(base, "status = 'sent'") == mails, WAIT);
      List<Mailpit.Message> got =
          mailpit.messages().stream().filter(m -> m.to().get(0).endsWith("@" + domain)).toList();
      assertThat(got).hasSize(mails);
      Set<String> ids = new HashSet<>();
      got.forEach(m -> ids.add(m.messageId()));
      assertThat(ids).hasSize(mails);
      System.out.println("two replicas: mails per sender " + senders(base));
    }
  }

  /**
   * Makes {@code operators} operators with addresses at {@code domain} and has {@code requests}
   * requests submitted: operators × requests mails in the outbox, which it returns.
   */
  static int outboxOfOperators(ControlPlane plane, String domain, int operators, int requests)
      throws Exception {
    ApiClient op =
        ApiClient.signIn(
            plane.url(), TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD);
    List<ApiClient> ops = new ArrayList<>();
    for (int i = 0; i < operators; i++) {
      ops.add(platformOperator(op, "en", domain));
    }
    JsonObject inst = institution(op, null);
    ApiClient admin = person(op, inst, "institution-admin", "en");
    for (int i = 0; i < requests; i++) {
      submit(admin, inst, "s" + i);
    }
    return operators * requests;
  }

  static int count(Map<String, String> env, String where) throws Exception {
    try (Connection c = TestDatabase.superuser(env.get("WINGU_DB_URL"));
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM notification WHERE " + where)) {
      rs.next();
      return rs.getInt(1);
    }
  }

  static Map<String, Integer> senders(Map<String, String> env) throws Exception {
    Map<String, Integer> out = new HashMap<>();
    try (Connection c = TestDatabase.superuser(env.get("WINGU_DB_URL"));
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT sent_by, count(*) FROM notification GROUP BY sent_by")) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getInt(2));
      }
    }
    return out;
  }
}
