package io.wingu.controlplane.scorecard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.Eventually;
import io.wingu.controlplane.testing.SharedControlPlane;
import io.wingu.controlplane.testing.TenantSite;
import io.wingu.controlplane.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scorecard on real PostgreSQL and the real API server: institutions with known evidence get
 * known scores; a published month never changes, a recalculation is a new visible version.
 */
class ScorecardApiIT {

  static ApiClient operator;
  static String month;
  static TenantSite model;
  static JsonObject laggard;
  static ApiClient laggardAdmin;

  @BeforeAll
  static void evidence() throws Exception {
    operator = SharedControlPlane.operator();
    month = YearMonth.now(ZoneOffset.UTC).toString();

    // the model institution: a site on the newest template, deployed today, TLS on its Ingress, a
    // reviewed register
    model = TenantSite.create(operator, "portal");
    JsonObject template = operator.get("/api/v1/templates").array().getJsonObject(0);
    var deployed =
        model
            .webmaster()
            .post(
                model.path("/deployments"),
                new JsonObject()
                    .put("templateId", template.getString("id"))
                    .put("parameters", template.getJsonObject("example")));
    assertThat(deployed.status()).as(deployed.body()).isEqualTo(201);
    var cluster = SharedControlPlane.get().kubernetes();
    Eventually.holds(
        "the site's Ingress carries TLS",
        () -> {
          var ingress =
              cluster
                  .network()
                  .v1()
                  .ingresses()
                  .inNamespace(model.namespace())
                  .withName("portal")
                  .get();
          return ingress != null && !ingress.getSpec().getTls().isEmpty();
        },
        Duration.ofSeconds(60));
    insertSystem(
        UUID.fromString(model.institution().getString("id")),
        LocalDate.now(ZoneOffset.UTC).minusMonths(2));

    // the laggard: a request rejected for missing information, a quota passed, a register not
    // reviewed for 2 years
    laggard = SharedControlPlane.newInstitution(operator);
    laggardAdmin =
        SharedControlPlane.newInstitutionUser(
            operator, laggard.getString("id"), "institution-admin");
    var request =
        laggardAdmin.post(
            "/api/v1/requests",
            new JsonObject()
                .put("siteName", "web")
                .put(
                    "hostnames", new JsonArray().add("www." + laggard.getString("code") + ".go.tz"))
                .put("plan", "small")
                .put("justification", "?"));
    assertThat(request.status()).as(request.body()).isEqualTo(201);
    var badKind =
        operator.post(
            "/api/v1/requests/" + request.json().getString("id") + "/reject",
            new JsonObject().put("reason", "No details").put("kind", "lazy"));
    assertThat(badKind.status()).isEqualTo(400);
    var rejected =
        operator.post(
            "/api/v1/requests/" + request.json().getString("id") + "/reject",
            new JsonObject()
                .put("reason", "The justification says nothing")
                .put("kind", "incomplete"));
    assertThat(rejected.status()).as(rejected.body()).isEqualTo(200);
    assertThat(rejected.json().getString("rejectionKind")).isEqualTo("incomplete");
    UUID laggardId = UUID.fromString(laggard.getString("id"));
    insertSystem(laggardId, LocalDate.now(ZoneOffset.UTC).minusYears(2));
    try (Connection c = superuser();
        var st =
            c.prepareStatement(
                "INSERT INTO usage_alert (institution_id, resource,"
                    + " threshold, day, used, quota, raised_at) VALUES (?, 'cpu', 100, current_date, 2, 1, now())")) {
      st.setObject(1, laggardId);
      st.executeUpdate();
    }
  }

  static Connection superuser() throws SQLException {
    return TestDatabase.superuser(SharedControlPlane.env().get("WINGU_DB_URL"));
  }

  static void insertSystem(UUID institutionId, LocalDate reviewed) throws SQLException {
    try (Connection c = superuser();
        var st =
            c.prepareStatement(
                "INSERT INTO ict_system (id, institution_id, name,"
                    + " purpose, category, hosting, built_by, users, reviewed_at, created_at, updated_at, updated_by)"
                    + " VALUES (?, ?, 'HR', 'Staff records', 'hr', 'wingu', 'In-house', 40, ?, now(), now(), 'test')")) {
      st.setObject(1, UUID.randomUUID());
      st.setObject(2, institutionId);
      st.setObject(3, reviewed);
      st.executeUpdate();
    }
  }

  static JsonObject entry(JsonObject ranking, String code) {
    return ranking.getJsonArray("items").stream()
        .map(JsonObject.class::cast)
        .filter(i -> i.getString("code").equals(code))
        .findFirst()
        .orElseThrow(() -> new AssertionError(code + " not in " + ranking.encode()));
  }

  static JsonObject criterion(JsonObject entry, String id) {
    return entry.getJsonArray("criteria").stream()
        .map(JsonObject.class::cast)
        .filter(c -> c.getString("id").equals(id))
        .findFirst()
        .orElseThrow();
  }

  static JsonObject fullDraft() {
    var r = operator.get("/api/v1/scorecard?draft=true&limit=500&month=" + month);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonObject all = r.json();
    String cursor = all.getString("nextCursor");
    while (cursor != null) {
      JsonObject next =
          operator
              .get("/api/v1/scorecard?draft=true&limit=500&month=" + month + "&cursor=" + cursor)
              .json();
      all.getJsonArray("items").addAll(next.getJsonArray("items"));
      cursor = next.getString("nextCursor");
    }
    return all;
  }

  @Test
  void knownEvidenceGivesKnownScoresAndPublishedMonthsNeverChange() throws Exception {
    JsonObject draft = fullDraft();
    assertThat(draft.getString("status")).isEqualTo("draft");
    assertThat(draft.getJsonObject("weights").getInteger("tls")).isEqualTo(20);

    JsonObject best = entry(draft, model.code());
    assertThat(best.getDouble("score")).as(best.encode()).isEqualTo(100.0);
    assertThat(best.getInteger("rank")).isEqualTo(1);
    assertThat(criterion(best, "tls").getJsonObject("evidence").getInteger("count")).isEqualTo(1);
    assertThat(criterion(best, "accessibility").getBoolean("met")).isTrue();
    assertThat(criterion(best, "template-current").getBoolean("met")).isTrue();

    JsonObject worst = entry(draft, laggard.getString("code"));
    // no site: only quota (10), register (10) and requests (15) apply, and all three are missed
    assertThat(worst.getDouble("score")).as(worst.encode()).isEqualTo(0.0);
    assertThat(criterion(worst, "template-current").getBoolean("applicable")).isFalse();
    assertThat(criterion(worst, "within-quota").getJsonObject("evidence").getInteger("alerts"))
        .isEqualTo(1);
    assertThat(
            criterion(worst, "complete-requests")
                .getJsonObject("evidence")
                .getInteger("rejectedIncomplete"))
        .isEqualTo(1);
    assertThat(criterion(worst, "register-reviewed").getString("howToImprove")).contains("review");

    // an institution admin sees its own score and the median, nothing of others
    JsonObject own = laggardAdmin.get("/api/v1/scorecard?month=" + month).json();
    assertThat(own.getJsonArray("items")).hasSize(1);
    assertThat(own.getJsonArray("items").getJsonObject(0).getString("code"))
        .isEqualTo(laggard.getString("code"));
    assertThat(own.getDouble("median")).isEqualTo(draft.getDouble("median"));
    assertThat(
            laggardAdmin.post("/api/v1/scorecard/" + month + "/publish", new JsonObject()).status())
        .isEqualTo(403);

    // publish, then correct: version 1 stays as it was
    assertThat(operator.post("/api/v1/scorecard/2999-01/publish", new JsonObject()).status())
        .as("a month still to come has no scorecard yet")
        .isEqualTo(404);
    var first =
        operator.post(
            "/api/v1/scorecard/" + month + "/publish", new JsonObject().put("note", "First"));
    assertThat(first.status()).as(first.body()).isEqualTo(201);
    int v1 = first.json().getInteger("version");
    try (Connection c = superuser();
        var st =
            c.prepareStatement(
                "UPDATE ict_system SET reviewed_at = current_date WHERE institution_id = ?")) {
      st.setObject(1, UUID.fromString(laggard.getString("id")));
      st.executeUpdate();
    }
    var second =
        operator.post(
            "/api/v1/scorecard/" + month + "/publish",
            new JsonObject().put("note", "The register was reviewed"));
    assertThat(second.status()).as(second.body()).isEqualTo(201);
    assertThat(second.json().getInteger("version")).isEqualTo(v1 + 1);
    assertThat(second.json().getInteger("correctionOf")).isEqualTo(v1);
    assertThat(scoreIn(v1, laggard.getString("id"))).isEqualTo(0.0);
    assertThat(scoreIn(v1 + 1, laggard.getString("id"))).isEqualTo(28.6); // register met: 10 of 35

    try (Connection c = SharedControlPlane.get().database().dataSource().getConnection();
        var st = c.createStatement()) {
      assertThatThrownBy(() -> st.executeUpdate("UPDATE scorecard_entry SET score = 100"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("permission denied");
      assertThatThrownBy(() -> st.executeUpdate("DELETE FROM scorecard_publication"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("permission denied");
    }
    try (Connection c = superuser();
        var st = c.createStatement()) {
      assertThatThrownBy(() -> st.executeUpdate("UPDATE scorecard_entry SET score = 100"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("never changes");
    }

    // the public sees the newest version, its corrections, and the lagging named with what they
    // miss
    var pub =
        ApiClient.anonymous(SharedControlPlane.url())
            .get("/api/v1/public/scorecard?limit=500&month=" + month);
    assertThat(pub.status()).as(pub.body()).isEqualTo(200);
    assertThat(pub.json().getInteger("version")).isEqualTo(v1 + 1);
    assertThat(pub.json().getJsonArray("versions")).hasSizeGreaterThanOrEqualTo(2);
    JsonObject publicLaggard = entry(allPublic(pub.json()), laggard.getString("code"));
    assertThat(publicLaggard.getBoolean("lagging")).isTrue();
    assertThat(publicLaggard.getJsonArray("missed"))
        .containsExactlyInAnyOrder("within-quota", "complete-requests");
    assertThat(publicLaggard.encode()).doesNotContain("evidence", "howToImprove", "institutionId");
    assertThat(pub.body())
        .as("no user names in public")
        .doesNotContain("publishedBy")
        .doesNotContain("\"operator\"");

    var history = laggardAdmin.get("/api/v1/scorecard/history").json();
    assertThat(history.getJsonArray("scores").getJsonObject(0).getDouble("score")).isEqualTo(28.6);
    var audit = operator.get("/api/v1/audit?actor=operator&limit=500").json();
    assertThat(audit.encode()).contains("scorecard.publish");
  }

  static JsonObject allPublic(JsonObject first) {
    JsonObject all = first.copy();
    String cursor = first.getString("nextCursor");
    while (cursor != null) {
      JsonObject next =
          ApiClient.anonymous(SharedControlPlane.url())
              .get("/api/v1/public/scorecard?limit=500&month=" + month + "&cursor=" + cursor)
              .json();
      all.getJsonArray("items").addAll(next.getJsonArray("items"));
      cursor = next.getString("nextCursor");
    }
    return all;
  }

  static double scoreIn(int version, String institutionId) throws SQLException {
    try (Connection c = superuser();
        var st =
            c.prepareStatement(
                "SELECT score FROM scorecard_entry WHERE month = ? AND version = ? AND institution_id = ?")) {
      st.setObject(1, YearMonth.parse(month).atDay(1));
      st.setInt(2, version);
      st.setObject(3, UUID.fromString(institutionId));
      try (var rs = st.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return rs.getDouble(1);
      }
    }
  }
}
