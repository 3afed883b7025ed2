package io.wingu.controlplane.sites;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.SharedControlPlane;
import io.wingu.controlplane.testing.TenantSite;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

/** The template catalogue as the API serves it, and requests naming templates. */
class TemplatesApiIT {

  @Test
  void everySignedInCallerSeesTheCatalogueWithSchemasAndExamples() {
    ApiClient operator = SharedControlPlane.operator();
    TenantSite s = TenantSite.create(operator, "portal");
    for (ApiClient caller :
        List.of(
            operator, s.webmaster(), s.admin(), SharedControlPlane.newPlatformUser("auditor"))) {
      var r = caller.get("/api/v1/templates");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.array().stream().map(JsonObject.class::cast).map(t -> t.getString("id")))
          .contains(
              "ministry-portal",
              "regional-office",
              "agency-services",
              "news-announcements",
              "minimal-landing");
    }
    for (Object o : operator.get("/api/v1/templates").array()) {
      JsonObject t = (JsonObject) o;
      assertThat(t.getString("version")).matches("\\d+\\.\\d+\\.\\d+.*");
      assertThat(t.getJsonObject("name").getString("sw")).isNotBlank();
      assertThat(t.getJsonObject("description").getString("en")).isNotBlank();
      assertThat(t.getJsonObject("parameters").getString("type")).isEqualTo("object");
      assertThat(t.getJsonObject("parameters").encode()).doesNotContain("shared#");
      // the example validates: a deployment with it succeeds
      var deployed =
          s.webmaster()
              .post(
                  s.path("/deployments"),
                  new JsonObject()
                      .put("templateId", t.getString("id"))
                      .put("parameters", t.getJsonObject("example")));
      assertThat(deployed.status()).as(t.getString("id") + ": " + deployed.body()).isEqualTo(201);
    }
    assertThat(ApiClient.anonymous(SharedControlPlane.url()).get("/api/v1/templates").status())
        .isEqualTo(401);
  }

  @Test
  void aTemplatePreviewIsItsExampleHomePage() {
    ApiClient operator = SharedControlPlane.operator();
    JsonObject portal =
        operator.get("/api/v1/templates").array().stream()
            .map(JsonObject.class::cast)
            .filter(t -> t.getString("id").equals("ministry-portal"))
            .findFirst()
            .orElseThrow();
    var r = operator.get("/api/v1/templates/ministry-portal/preview");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).startsWith("text/html");
    Document page = Jsoup.parse(r.body());
    String name =
        portal
            .getJsonObject("example")
            .getJsonObject("institution")
            .getJsonObject("name")
            .getString(portal.getJsonObject("example").getString("defaultLanguage", "sw"));
    assertThat(page.text()).contains(name);
    assertThat(page.selectFirst("html").attr("lang")).isIn("sw", "en");
    DeploymentsApiIT.assertHarmless(r.body());
    assertThat(operator.get("/api/v1/templates/no-such-template/preview").status()).isEqualTo(404);
    assertThat(
            ApiClient.anonymous(SharedControlPlane.url())
                .get("/api/v1/templates/ministry-portal/preview")
                .status())
        .isEqualTo(401);
  }

  @Test
  void aRequestNamingAnUnknownTemplateIsRefusedAndAKnownOneAccepted() {
    ApiClient operator = SharedControlPlane.operator();
    JsonObject inst = SharedControlPlane.newInstitution(operator);
    ApiClient admin =
        SharedControlPlane.newInstitutionUser(operator, inst.getString("id"), "institution-admin");
    var unknown =
        admin.post(
            "/api/v1/requests",
            SharedControlPlane.siteRequest(inst, "portal").put("templateId", "no-such-template"));
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.json().getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("templateId");
    var known =
        admin.post(
            "/api/v1/requests",
            SharedControlPlane.siteRequest(inst, "portal").put("templateId", "regional-office"));
    assertThat(known.status()).as(known.body()).isEqualTo(201);
    assertThat(known.json().getString("templateId")).isEqualTo("regional-office");
  }
}
