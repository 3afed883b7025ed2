package io.wingu.controlplane.deploytokens;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.SharedControlPlane;
import io.wingu.controlplane.testing.TenantSite;
import io.wingu.controlplane.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Deploy tokens on a real control plane and PostgreSQL: a pipeline publishes with one, within its
 * site and scopes only, and an expired, revoked or foreign token writes nothing.
 */
class DeployTokensIT {

  private static ApiClient operator;
  private static TenantSite site;
  private static TenantSite otherSite;
  private static JsonObject example;

  @BeforeAll
  static void sites() {
    operator = SharedControlPlane.operator();
    site = TenantSite.create(operator, "portal");
    otherSite = TenantSite.create(operator, "portal");
    example =
        operator.get("/api/v1/templates").array().stream()
            .map(JsonObject.class::cast)
            .filter(t -> t.getString("id").equals("minimal-landing"))
            .findFirst()
            .orElseThrow()
            .getJsonObject("example");
  }

  private static JsonObject tokenRequest(String name, String... scopes) {
    return new JsonObject()
        .put("name", name)
        .put("scopes", new JsonArray(java.util.List.of((Object[]) scopes)))
        .put("expiresAt", Instant.now().plus(30, ChronoUnit.DAYS).toString());
  }

  private static JsonObject makeToken(ApiClient by, TenantSite on, String name, String... scopes) {
    var r = by.post(on.path("/tokens"), tokenRequest(name, scopes));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json();
  }

  private static ApiClient pipeline(JsonObject token) {
    return ApiClient.withToken(SharedControlPlane.url(), token.getString("token"));
  }

  private static ApiClient.Response deploy(ApiClient client, TenantSite on) {
    return client.post(
        on.path("/deployments"),
        new JsonObject().put("templateId", "minimal-landing").put("parameters", example));
  }

  private static int revisions(TenantSite on) {
    return operator.get(on.path("/deployments")).json().getJsonArray("items").size();
  }

  private static JsonObject page(String title) {
    return new JsonObject()
        .put("title", new JsonObject().put("sw", title).put("en", title))
        .put("body", new JsonObject().put("sw", "Habari " + title).put("en", "News " + title));
  }

  private static Connection superuser() throws SQLException {
    return TestDatabase.superuser(SharedControlPlane.env().get("WINGU_DB_URL"));
  }

  @Test
  void aPipelineDeploysWithATokenThatIsShownOnceAndListedWithItsLastUse() {
    JsonObject made = makeToken(site.webmaster(), site, "ci-deploy", "deploy");
    assertThat(made.getString("token")).startsWith("wgd_");
    assertThat(made.getJsonArray("scopes")).containsExactly("deploy");

    int before = revisions(site);
    var deployed = deploy(pipeline(made), site);
    assertThat(deployed.status()).as(deployed.body()).isEqualTo(201);
    assertThat(revisions(site)).isEqualTo(before + 1);

    JsonObject listed =
        site.admin().get(site.path("/tokens")).json().getJsonArray("items").stream()
            .map(JsonObject.class::cast)
            .filter(t -> t.getString("id").equals(made.getString("id")))
            .findFirst()
            .orElseThrow();
    assertThat(listed.containsKey("token")).isFalse();
    assertThat(listed.getString("lastUsedAt")).isNotNull();
    assertThat(listed.getString("createdBy")).isEqualTo(site.code() + "-web");
    assertThat(site.admin().get(site.path("/tokens")).body())
        .doesNotContain(made.getString("token"));
  }

  @Test
  void theSecretIsKeptOnlyAsItsHash() throws SQLException {
    JsonObject made = makeToken(site.webmaster(), site, "hashed", "deploy");
    try (Connection c = superuser();
        var st = c.prepareStatement("SELECT secret_hash FROM deploy_token WHERE id = ?::uuid")) {
      st.setString(1, made.getString("id"));
      var rs = st.executeQuery();
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1))
          .isEqualTo(DeployTokenService.hash(made.getString("token")))
          .doesNotContain(made.getString("token").substring(4));
    }
  }

  @Test
  void everyChangeThroughATokenIsAuditedAsTheTokenOfItsMaker() {
    JsonObject made = makeToken(site.webmaster(), site, "ci-content", "content:write");
    var put = pipeline(made).put(site.path("/content/pages/about"), page("About"));
    assertThat(put.status()).as(put.body()).isIn(200, 201);
    var events =
        operator
            .get("/api/v1/audit?institutionId=" + site.institution().getString("id") + "&limit=500")
            .json()
            .getJsonArray("items")
            .stream()
            .map(JsonObject.class::cast)
            .toList();
    assertThat(events)
        .anyMatch(
            e ->
                e.getString("action").equals("site.content.put")
                    && e.getString("actor").equals(site.code() + "-web (deploy token ci-content)"));
    assertThat(events)
        .anyMatch(
            e ->
                e.getString("action").equals("site.token.create")
                    && e.getString("actor").equals(site.code() + "-web"));
  }

  @Test
  void aTokenWithoutTheScopeIsRefusedAndWritesNothing() {
    JsonObject contentOnly = makeToken(site.admin(), site, "content-only", "content:write");
    int before = revisions(site);
    var refused = deploy(pipeline(contentOnly), site);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.contentType()).startsWith("application/problem+json");
    assertThat(refused.json().getString("detail")).contains("lacks the scope").contains("deploy");
    assertThat(revisions(site)).isEqualTo(before);

    JsonObject deployOnly = makeToken(site.admin(), site, "deploy-only", "deploy");
    var page = pipeline(deployOnly).put(site.path("/content/pages/secret"), page("Secret"));
    assertThat(page.status()).isEqualTo(403);
    assertThat(operator.get(site.path("/content/pages/secret")).status()).isEqualTo(404);
  }

  @Test
  void aTokenOnAnotherSiteFindsNothingThere() {
    JsonObject made = makeToken(site.webmaster(), site, "wrong-site", "deploy", "content:write");
    int before = revisions(otherSite);
    var refused = deploy(pipeline(made), otherSite);
    assertThat(refused.status()).isEqualTo(404);
    assertThat(refused.json().getString("detail")).contains("one other site");
    assertThat(revisions(otherSite)).isEqualTo(before);
    assertThat(pipeline(made).get(otherSite.path("")).status()).isEqualTo(404);
  }

  @Test
  void aTokenMayNotDoWhatOnlyAPersonMay() {
    JsonObject made = makeToken(site.webmaster(), site, "narrow", "deploy", "content:write");
    ApiClient ci = pipeline(made);
    assertThat(ci.get("/api/v1/me").status()).isEqualTo(403);
    assertThat(ci.get("/api/v1/sites").status()).isEqualTo(403);
    var another = ci.post(site.path("/tokens"), tokenRequest("more", "deploy"));
    assertThat(another.status()).isEqualTo(403);
    assertThat(another.json().getString("detail")).contains("only a person signed in may");
    assertThat(ci.get(site.path("")).status()).isEqualTo(200);
  }

  @Test
  void revokedAndExpiredTokensGet401AndWriteNothing() throws SQLException {
    JsonObject revoked = makeToken(site.webmaster(), site, "to-revoke", "deploy");
    assertThat(site.admin().delete(site.path("/tokens/" + revoked.getString("id"))).status())
        .isEqualTo(204);
    int before = revisions(site);
    var afterRevoke = deploy(pipeline(revoked), site);
    assertThat(afterRevoke.status()).isEqualTo(401);
    assertThat(afterRevoke.json().getString("detail"))
        .contains("invalid, has expired or was revoked");

    JsonObject expiring = makeToken(site.webmaster(), site, "to-expire", "deploy");
    try (Connection c = superuser();
        var st =
            c.prepareStatement(
                "UPDATE deploy_token SET created_at = now() - interval '2 days',"
                    + " expires_at = now() - interval '1 second' WHERE id = ?::uuid")) {
      st.setString(1, expiring.getString("id"));
      assertThat(st.executeUpdate()).isEqualTo(1);
    }
    assertThat(deploy(pipeline(expiring), site).status()).isEqualTo(401);
    assertThat(revisions(site)).isEqualTo(before);
    assertThat(
            ApiClient.withToken(SharedControlPlane.url(), "wgd_not-a-token")
                .get(site.path(""))
                .status())
        .isEqualTo(401);
  }

  @Test
  void onlyTheSitesOwnPublishersMakeTokensAndWithinAYear() {
    assertThat(operator.post(site.path("/tokens"), tokenRequest("op", "deploy")).status())
        .isEqualTo(403);
    assertThat(otherSite.admin().post(site.path("/tokens"), tokenRequest("x", "deploy")).status())
        .isEqualTo(404);
    assertThat(otherSite.admin().get(site.path("/tokens")).status()).isEqualTo(404);

    var tooLong =
        site.admin()
            .post(
                site.path("/tokens"),
                tokenRequest("long", "deploy")
                    .put("expiresAt", Instant.now().plus(400, ChronoUnit.DAYS).toString()));
    assertThat(tooLong.status()).isEqualTo(400);
    assertThat(tooLong.body()).contains("expiresAt").contains("at most a year");
    var past =
        site.admin()
            .post(
                site.path("/tokens"),
                tokenRequest("past", "deploy")
                    .put("expiresAt", Instant.now().minus(1, ChronoUnit.DAYS).toString()));
    assertThat(past.status()).isEqualTo(400);
    var badScope = site.admin().post(site.path("/tokens"), tokenRequest("bad", "admin"));
    assertThat(badScope.status()).isEqualTo(400);
  }
}
