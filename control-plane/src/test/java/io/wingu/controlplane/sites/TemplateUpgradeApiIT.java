package io.wingu.controlplane.sites;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.OlderCatalogue;
import io.wingu.controlplane.testing.TenantSite;
import io.wingu.controlplane.testing.TestControlPlane;
import io.wingu.controlplane.wiring.ControlPlane;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A release brings a newer version of a template: sites deployed on the old version (by a control
 * plane on the older catalogue) are offered the upgrade by the control plane on the shipped one,
 * operators list them with ?outdated=true, and POST /sites/{id}/upgrade moves them, on real
 * PostgreSQL and the real API server.
 */
class TemplateUpgradeApiIT {

  static final String TEMPLATE = "minimal-landing";
  static final String OLD = "0.9.0";

  static ControlPlane plane;
  static ApiClient operator;
  static TenantSite plain;
  static TenantSite retired;
  static TenantSite current;
  static String latest;

  @BeforeAll
  static void release() {
    Map<String, String> env = new HashMap<>(TestControlPlane.env("template_upgrade"));
    env.put("WINGU_LOGIN_RATE", "10000");
    plane =
        OlderCatalogue.release(
            env,
            TEMPLATE,
            OLD,
            old -> {
              ApiClient op =
                  ApiClient.signIn(
                      old.url(), TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD);
              JsonObject template = template(op, TEMPLATE);
              assertThat(template.getString("version")).isEqualTo(OLD);
              plain = TenantSite.create(op, "portal");
              deploy(plain, TEMPLATE, template.getJsonObject("example"));
              retired = TenantSite.create(op, "legacy");
              deploy(
                  retired,
                  TEMPLATE,
                  template
                      .getJsonObject("example")
                      .copy()
                      .put(OlderCatalogue.RETIRED_PARAMETER, "Old notice"));
              current = TenantSite.create(op, "news");
              deploy(
                  current,
                  "news-announcements",
                  template(op, "news-announcements").getJsonObject("example"));
              var before = plain.webmaster().get(plain.path(""));
              assertThat(before.json().getBoolean("upgradeAvailable")).as(before.body()).isFalse();
              assertThat(plain.webmaster().post(plain.path("/upgrade"), null).status())
                  .isEqualTo(409);
            });
    operator =
        ApiClient.signIn(
            plane.url(), TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD);
    latest = template(operator, TEMPLATE).getString("version");
  }

  @AfterAll
  static void stop() {
    if (plane != null) {
      plane.close();
    }
  }

  static JsonObject template(ApiClient client, String id) {
    return client.get("/api/v1/templates").array().stream()
        .map(JsonObject.class::cast)
        .filter(t -> t.getString("id").equals(id))
        .findFirst()
        .orElseThrow();
  }

  static void deploy(TenantSite s, String templateId, JsonObject parameters) {
    var r =
        s.webmaster()
            .post(
                s.path("/deployments"),
                new JsonObject().put("templateId", templateId).put("parameters", parameters));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
  }

  /**
   * The same signed-in person against the control plane after the release (tokens outlive
   * restarts).
   */
  static ApiClient after(ApiClient before) {
    return ApiClient.withToken(plane.url(), before.token());
  }

  static List<String> ids(ApiClient client, String query) {
    JsonArray items = client.get("/api/v1/sites" + query).json().getJsonArray("items");
    return items.stream().map(JsonObject.class::cast).map(s -> s.getString("id")).toList();
  }

  @Test
  void sitesOnTheOldVersionShowItNextToTheCatalogues() {
    assertThat(TemplateVersions.compare(OLD, latest)).isNegative();
    JsonObject site = after(plain.webmaster()).get(plain.path("")).json();
    assertThat(site.getString("templateId")).isEqualTo(TEMPLATE);
    assertThat(site.getString("templateVersion")).isEqualTo(OLD);
    assertThat(site.getString("latestTemplateVersion")).isEqualTo(latest);
    assertThat(site.getBoolean("upgradeAvailable")).isTrue();
    JsonObject news = after(current.webmaster()).get(current.path("")).json();
    assertThat(news.getString("templateVersion"))
        .isEqualTo(news.getString("latestTemplateVersion"));
    assertThat(news.getBoolean("upgradeAvailable")).isFalse();
  }

  @Test
  void operatorsAndAuditorsListTheOutdatedSitesAndInstitutionsOnlyTheirOwn() {
    assertThat(ids(operator, "?outdated=true"))
        .contains(retired.siteId())
        .doesNotContain(current.siteId());
    assertThat(ids(operator, "?outdated=false")).contains(retired.siteId(), current.siteId());
    JsonObject listed =
        operator.get("/api/v1/sites?outdated=true").json().getJsonArray("items").stream()
            .map(JsonObject.class::cast)
            .filter(s -> s.getString("id").equals(retired.siteId()))
            .findFirst()
            .orElseThrow();
    assertThat(listed.getBoolean("upgradeAvailable")).isTrue();
    var auditorMade =
        operator.post(
            "/api/v1/users",
            new JsonObject()
                .put("username", "upgrade-auditor")
                .put("password", "auditor-password-1")
                .put("role", "auditor"));
    assertThat(auditorMade.status()).as(auditorMade.body()).isEqualTo(201);
    ApiClient auditor = ApiClient.signIn(plane.url(), "upgrade-auditor", "auditor-password-1");
    assertThat(ids(auditor, "?outdated=true"))
        .contains(retired.siteId())
        .doesNotContain(current.siteId());
    assertThat(ids(after(retired.webmaster()), "?outdated=true")).containsExactly(retired.siteId());
    assertThat(ids(after(current.admin()), "?outdated=true")).isEmpty();
    assertThat(operator.get("/api/v1/sites?outdated=maybe").status()).isEqualTo(400);
    // one site per page: the cursor walks the outdated sites only
    List<String> walked = new java.util.ArrayList<>();
    String cursor = "";
    do {
      var page =
          operator
              .get(
                  "/api/v1/sites?outdated=true&limit=1"
                      + (cursor.isEmpty() ? "" : "&cursor=" + cursor))
              .json();
      page.getJsonArray("items").stream()
          .map(JsonObject.class::cast)
          .forEach(s -> walked.add(s.getString("id")));
      cursor = java.util.Objects.requireNonNullElse(page.getString("nextCursor"), "");
    } while (!cursor.isEmpty());
    assertThat(walked).isEqualTo(ids(operator, "?outdated=true")).contains(retired.siteId());
  }

  @Test
  void theUpgradeDeploysTheNewVersionFromTheCurrentRevisionOnce() {
    ApiClient webmaster = after(plain.webmaster());
    assertThat(operator.post(plain.path("/upgrade"), null).status()).isEqualTo(403);
    assertThat(after(current.webmaster()).post(plain.path("/upgrade"), null).status())
        .isEqualTo(404);

    var upgraded = webmaster.post(plain.path("/upgrade"), null);
    assertThat(upgraded.status()).as(upgraded.body()).isEqualTo(201);
    assertThat(upgraded.json().getInteger("revision")).isEqualTo(2);
    assertThat(upgraded.json().getString("templateVersion")).isEqualTo(latest);
    JsonObject site = webmaster.get(plain.path("")).json();
    assertThat(site.getInteger("currentRevision")).isEqualTo(2);
    assertThat(site.getString("templateVersion")).isEqualTo(latest);
    assertThat(site.getBoolean("upgradeAvailable")).isFalse();
    assertThat(ids(operator, "?outdated=true")).doesNotContain(plain.siteId());

    var again = webmaster.post(plain.path("/upgrade"), null);
    assertThat(again.status()).as(again.body()).isEqualTo(409);
    assertThat(again.contentType()).startsWith("application/problem+json");
    var revisions = webmaster.get(plain.path("/deployments")).json().getJsonArray("items");
    assertThat(revisions.getJsonObject(1).getString("templateVersion")).isEqualTo(OLD);
    assertThat(webmaster.get(plain.path("/preview")).body())
        .contains("Youth Development Fund Board");
    JsonArray events =
        operator
            .get("/api/v1/audit?institutionId=" + plain.institution().getString("id"))
            .json()
            .getJsonArray("items");
    assertThat(events.stream().map(JsonObject.class::cast).map(e -> e.getString("action")))
        .contains("site.upgrade");
  }

  @Test
  void parametersTheNewVersionRefusesAreEachNamedAndNothingIsDeployed() {
    ApiClient webmaster = after(retired.webmaster());
    var refused = webmaster.post(retired.path("/upgrade"), null);
    assertThat(refused.status()).as(refused.body()).isEqualTo(400);
    JsonArray errors = refused.json().getJsonArray("errors");
    assertThat(errors).isNotEmpty();
    assertThat(errors.stream().map(JsonObject.class::cast))
        .allSatisfy(e -> assertThat(e.getString("field")).startsWith("parameters"))
        .anySatisfy(
            e ->
                assertThat(e.getString("field") + " " + e.getString("message"))
                    .contains(OlderCatalogue.RETIRED_PARAMETER));
    JsonObject site = webmaster.get(retired.path("")).json();
    assertThat(site.getInteger("currentRevision")).isEqualTo(1);
    assertThat(site.getBoolean("upgradeAvailable")).isTrue();
  }
}
