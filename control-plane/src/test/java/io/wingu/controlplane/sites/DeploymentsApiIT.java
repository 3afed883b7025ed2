package io.wingu.controlplane.sites;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.SharedControlPlane;
import io.wingu.controlplane.testing.TenantSite;
import java.sql.Connection;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Deployments, revisions, rollback and previews through the real API on real PostgreSQL. */
class DeploymentsApiIT {

  static final String TEMPLATE = "minimal-landing";
  static ApiClient operator;
  static JsonObject example;

  @BeforeAll
  static void start() {
    operator = SharedControlPlane.operator();
    example =
        operator.get("/api/v1/templates").array().stream()
            .map(JsonObject.class::cast)
            .filter(t -> t.getString("id").equals(TEMPLATE))
            .findFirst()
            .orElseThrow()
            .getJsonObject("example");
  }

  /** The template's example parameters, with the institution's English name changed. */
  static JsonObject parameters(String englishName) {
    JsonObject p = example.copy();
    p.getJsonObject("institution").getJsonObject("name").put("en", englishName);
    return p;
  }

  static JsonObject deployment(JsonObject parameters) {
    return new JsonObject().put("templateId", TEMPLATE).put("parameters", parameters);
  }

  static long blobCount(String digest) throws Exception {
    try (Connection c = SharedControlPlane.get().database().dataSource().getConnection();
        var st = c.prepareStatement("SELECT count(*) FROM content_blob WHERE digest = ?")) {
      st.setString(1, digest);
      try (var rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  @Test
  void eachDeploymentIsTheNextRevisionAndIdenticalBundlesAreStoredOnce() throws Exception {
    TenantSite s = TenantSite.create(operator, "portal");
    var first = s.webmaster().post(s.path("/deployments"), deployment(parameters("Fund Board")));
    assertThat(first.status()).as(first.body()).isEqualTo(201);
    assertThat(first.json().getInteger("revision")).isEqualTo(1);
    String digest = first.json().getString("digest");
    assertThat(digest).matches("[0-9a-f]{64}");
    assertThat(first.json().getString("createdAt")).isNotBlank();

    var second = s.admin().post(s.path("/deployments"), deployment(parameters("Fund Board")));
    assertThat(second.status()).as(second.body()).isEqualTo(201);
    assertThat(second.json().getInteger("revision")).isEqualTo(2);
    assertThat(second.json().getString("digest")).isEqualTo(digest);
    assertThat(blobCount(digest)).isEqualTo(1);

    var third = s.webmaster().post(s.path("/deployments"), deployment(parameters("Renamed Board")));
    assertThat(third.json().getInteger("revision")).isEqualTo(3);
    assertThat(third.json().getString("digest")).isNotEqualTo(digest);

    var list = s.webmaster().get(s.path("/deployments")).json();
    assertThat(
            list.getJsonArray("items")
                .getJsonObject(0)
                .getJsonObject("accessibility")
                .getBoolean("passed"))
        .as("every built revision carries its accessibility check")
        .isTrue();
    assertThat(
            list.getJsonArray("items").stream()
                .map(JsonObject.class::cast)
                .map(r -> r.getInteger("revision")))
        .containsExactly(3, 2, 1);
    assertThat(list.getJsonArray("items").getJsonObject(0).getBoolean("current")).isTrue();
    assertThat(list.getJsonArray("items").getJsonObject(0).getString("templateVersion"))
        .matches("\\d+\\.\\d+\\.\\d+");
    var paged = s.webmaster().get(s.path("/deployments?limit=2")).json();
    assertThat(paged.getJsonArray("items")).hasSize(2);
    var rest =
        s.webmaster()
            .get(s.path("/deployments?limit=2&cursor=" + paged.getString("nextCursor")))
            .json();
    assertThat(rest.getJsonArray("items").getJsonObject(0).getInteger("revision")).isEqualTo(1);
    assertThat(rest.getString("nextCursor")).isNull();

    JsonObject site = s.webmaster().get(s.path("")).json();
    assertThat(site.getInteger("currentRevision")).isEqualTo(3);
    assertThat(site.getString("templateId")).isEqualTo(TEMPLATE);
    var audit =
        s.admin()
            .get("/api/v1/audit?institutionId=" + s.institution().getString("id") + "&limit=500")
            .json();
    assertThat(
            audit.getJsonArray("items").stream()
                .map(JsonObject.class::cast)
                .filter(e -> e.getString("action").equals("site.deploy")))
        .hasSize(3);
  }

  @Test
  void parametersTheTemplateRefusesAreA400NamingEachFieldAndStoreNothing() {
    TenantSite s = TenantSite.create(operator, "portal");
    JsonObject bad = parameters("Board");
    bad.put("palette", "neon-pink");
    bad.remove("contacts");
    bad.getJsonObject("institution").getJsonObject("name").remove("sw");
    var r = s.webmaster().post(s.path("/deployments"), deployment(bad));
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.contentType()).isEqualTo("application/problem+json");
    assertThat(
            r.json().getJsonArray("errors").stream()
                .map(JsonObject.class::cast)
                .map(e -> e.getString("field")))
        .containsExactlyInAnyOrder(
            "parameters.palette", "parameters.institution.name.sw", "parameters.contacts");

    var unknown =
        s.webmaster()
            .post(
                s.path("/deployments"),
                deployment(parameters("Board")).put("templateId", "no-such"));
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.json().getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("templateId");
    var duplicateSlugs =
        s.webmaster()
            .post(
                s.path("/deployments"),
                deployment(parameters("Board"))
                    .put(
                        "content",
                        new JsonObject()
                            .put("pages", new JsonArray().add(page("about")).add(page("about")))));
    assertThat(duplicateSlugs.status()).as(duplicateSlugs.body()).isEqualTo(400);
    assertThat(duplicateSlugs.json().getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("content");

    assertThat(s.webmaster().get(s.path("/deployments")).json().getJsonArray("items")).isEmpty();
    assertThat(s.webmaster().get(s.path("")).json().getValue("currentRevision")).isNull();
  }

  static JsonObject page(String slug) {
    return new JsonObject()
        .put("slug", slug)
        .put("title", new JsonObject().put("sw", "Kuhusu").put("en", "About"))
        .put("body", new JsonObject().put("sw", "Maelezo").put("en", "Details"));
  }

  @Test
  void rollbackRePointsToAnEarlierRevisionAndAnUnknownOneIsA400() {
    TenantSite s = TenantSite.create(operator, "portal");
    String d1 =
        s.webmaster()
            .post(s.path("/deployments"), deployment(parameters("First")))
            .json()
            .getString("digest");
    s.webmaster().post(s.path("/deployments"), deployment(parameters("Second")));
    var back = s.webmaster().post(s.path("/rollback"), new JsonObject().put("revision", 1));
    assertThat(back.status()).as(back.body()).isEqualTo(200);
    assertThat(back.json().getInteger("currentRevision")).isEqualTo(1);
    assertThat(back.json().getString("digest")).isEqualTo(d1);
    assertThat(s.webmaster().get(s.path("")).json().getInteger("currentRevision")).isEqualTo(1);
    assertThat(s.webmaster().get(s.path("/deployments")).json().getJsonArray("items")).hasSize(2);

    var unknown = s.admin().post(s.path("/rollback"), new JsonObject().put("revision", 7));
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.json().getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("revision");
    assertThat(s.webmaster().get(s.path("")).json().getInteger("currentRevision")).isEqualTo(1);
    var forward = s.admin().post(s.path("/rollback"), new JsonObject().put("revision", 2));
    assertThat(forward.json().getInteger("currentRevision")).isEqualTo(2);
  }

  @Test
  void aDecommissionedSiteTakesNoMoreDeploymentsOrRollbacks() {
    TenantSite s = TenantSite.create(operator, "portal");
    s.webmaster().post(s.path("/deployments"), deployment(parameters("Board")));
    assertThat(operator.send(s.path(""))).isEqualTo(202);
    var deploy = s.webmaster().post(s.path("/deployments"), deployment(parameters("Board")));
    assertThat(deploy.status()).isEqualTo(409);
    assertThat(
            s.webmaster().post(s.path("/rollback"), new JsonObject().put("revision", 1)).status())
        .isEqualTo(409);
  }

  @Test
  void previewsShowTheRevisionAskedForOrTheCurrentOne() {
    TenantSite s = TenantSite.create(operator, "portal");
    var none = s.webmaster().get(s.path("/preview"));
    assertThat(none.status()).isEqualTo(404);
    assertThat(none.contentType()).isEqualTo("application/problem+json");
    s.webmaster().post(s.path("/deployments"), deployment(parameters("Old Name Board")));
    s.webmaster().post(s.path("/deployments"), deployment(parameters("New Name Board")));
    var current = s.webmaster().get(s.path("/preview"));
    assertThat(current.status()).isEqualTo(200);
    assertThat(current.contentType()).startsWith("text/html");
    assertThat(current.raw().headers().firstValue("Content-Security-Policy").orElseThrow())
        .startsWith("sandbox");
    assertThat(Jsoup.parse(current.body()).text())
        .contains("New Name Board")
        .doesNotContain("Old Name Board");
    assertThat(Jsoup.parse(s.webmaster().get(s.path("/preview?revision=1")).body()).text())
        .contains("Old Name Board");
    assertThat(s.webmaster().get(s.path("/preview?revision=9")).status()).isEqualTo(404);
  }

  @Test
  void scriptInParametersAndContentComesOutAsTextOrNotAtAll() {
    TenantSite s = TenantSite.create(operator, "portal");
    JsonObject p = parameters("<script>alert('name')</script>Board");
    p.getJsonObject("institution")
        .put(
            "tagline",
            new JsonObject()
                .put("sw", "\"><img src=x onerror=alert(1)>")
                .put("en", "\"><img src=x onerror=alert(1)>"));
    JsonObject news =
        new JsonObject()
            .put(
                "title",
                new JsonObject()
                    .put("sw", "<svg onload=alert(2)>Habari")
                    .put("en", "<svg onload=alert(2)>News"))
            .put(
                "body",
                new JsonObject()
                    .put("sw", "<script>alert(3)</script>[bonyeza](javascript:alert(4))")
                    .put(
                        "en",
                        "<iframe src=javascript:alert(5)></iframe>[click](javascript:alert(6)) <b onclick=alert(7)>x</b>"))
            .put("publishedAt", "2026-01-31");
    var put =
        s.webmaster()
            .put(
                s.path("/content/news/launch"),
                new JsonObject()
                    .put("title", news.getJsonObject("title"))
                    .put("body", news.getJsonObject("body"))
                    .put("publishedAt", "2026-01-31"));
    assertThat(put.status()).as(put.body()).isEqualTo(201);
    var deployed =
        s.webmaster()
            .post(
                s.path("/deployments"),
                deployment(p)
                    .put(
                        "content",
                        new JsonObject()
                            .put(
                                "pages",
                                new JsonArray()
                                    .add(
                                        new JsonObject()
                                            .put("slug", "about")
                                            .put(
                                                "title",
                                                new JsonObject()
                                                    .put("sw", "<script>x()</script>")
                                                    .put("en", "<script>x()</script>"))
                                            .put(
                                                "body",
                                                new JsonObject()
                                                    .put(
                                                        "sw",
                                                        "<a href=\"javascript:alert(8)\">a</a>")
                                                    .put("en", "ok"))))));
    assertThat(deployed.status()).as(deployed.body()).isEqualTo(201);

    String html = s.webmaster().get(s.path("/preview")).body();
    assertHarmless(html);
    Document doc = Jsoup.parse(html);
    assertThat(doc.text()).contains("<script>alert('name')</script>Board");
    assertThat(doc.text()).contains("<svg onload=alert(2)>News");
  }

  /** No inline script, no event handler, no javascript: URL, no frame or object survives. */
  static void assertHarmless(String html) {
    Document doc = Jsoup.parse(html);
    for (Element script : doc.select("script")) {
      assertThat(script.data()).as("inline script").isBlank();
      assertThat(script.attr("src")).doesNotContainIgnoringCase("javascript:");
    }
    assertThat(doc.select("iframe, object, embed, svg[onload], img[onerror]")).isEmpty();
    for (Element e : doc.getAllElements()) {
      e.attributes()
          .forEach(
              a -> {
                assertThat(a.getKey())
                    .as("attribute of <%s>", e.tagName())
                    .doesNotStartWithIgnoringCase("on");
                assertThat(a.getValue())
                    .as("attribute %s", a.getKey())
                    .doesNotContainIgnoringCase("javascript:");
              });
    }
  }

  @Test
  void onlyTheSitesOwnInstitutionWritesAndOthersSeeNothing() {
    TenantSite s = TenantSite.create(operator, "portal");
    TenantSite other = TenantSite.create(operator, "portal");
    ApiClient auditor = SharedControlPlane.newPlatformUser("auditor");
    s.webmaster().post(s.path("/deployments"), deployment(parameters("Board")));

    for (ApiClient platform : List.of(operator, auditor)) {
      assertThat(platform.post(s.path("/deployments"), deployment(parameters("X"))).status())
          .isEqualTo(403);
      assertThat(platform.post(s.path("/rollback"), new JsonObject().put("revision", 1)).status())
          .isEqualTo(403);
      assertThat(platform.get(s.path("/deployments")).status()).isEqualTo(200);
      assertThat(platform.get(s.path("/preview")).status()).isEqualTo(200);
    }
    for (ApiClient stranger : List.of(other.admin(), other.webmaster())) {
      var deploy = stranger.post(s.path("/deployments"), deployment(parameters("X")));
      assertThat(deploy.status()).as(deploy.body()).isEqualTo(404);
      assertThat(stranger.post(s.path("/rollback"), new JsonObject().put("revision", 1)).status())
          .isEqualTo(404);
      assertThat(stranger.get(s.path("/deployments")).status()).isEqualTo(404);
      assertThat(stranger.get(s.path("/preview")).status()).isEqualTo(404);
      assertThat(stranger.get(s.path("/preview?revision=1")).status()).isEqualTo(404);
    }
    assertThat(ApiClient.anonymous(SharedControlPlane.url()).get(s.path("/deployments")).status())
        .isEqualTo(401);
    assertThat(s.webmaster().get(s.path("")).json().getInteger("currentRevision")).isEqualTo(1);
  }

  @Test
  void theBundleEndpointWantsASiteTokenNotAUserToken() {
    TenantSite s = TenantSite.create(operator, "portal");
    String digest =
        s.webmaster()
            .post(s.path("/deployments"), deployment(parameters("Board")))
            .json()
            .getString("digest");
    ApiClient anonymous = ApiClient.anonymous(SharedControlPlane.url());
    assertThat(anonymous.getBytes("/api/v1/bundles/" + digest).statusCode()).isEqualTo(404);
    assertThat(
            anonymous
                .getBytes(
                    "/api/v1/bundles/" + digest, "Authorization", "Bearer " + s.webmaster().token())
                .statusCode())
        .isEqualTo(404);
    assertThat(
            anonymous
                .getBytes(
                    "/api/v1/bundles/" + digest, "Authorization", "Bearer " + operator.token())
                .statusCode())
        .isEqualTo(404);
    assertThat(
            anonymous
                .getBytes("/api/v1/bundles/not-a-digest", "Authorization", "Bearer x")
                .statusCode())
        .isEqualTo(400);
  }
}
