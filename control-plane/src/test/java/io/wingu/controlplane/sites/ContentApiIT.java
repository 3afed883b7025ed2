package io.wingu.controlplane.sites;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.SamplePdf;
import io.wingu.controlplane.testing.SharedControlPlane;
import io.wingu.controlplane.testing.TenantSite;
import io.wingu.templates.render.Bundle;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pages, news, publications and documents of a site through the real API on real PostgreSQL. */
class ContentApiIT {

  static ApiClient operator;

  @BeforeAll
  static void start() {
    operator = SharedControlPlane.operator();
  }

  static JsonObject entry(String titleEn) {
    return new JsonObject()
        .put("title", new JsonObject().put("sw", "Kichwa " + titleEn).put("en", titleEn))
        .put(
            "body",
            new JsonObject()
                .put("sw", "Maandishi **muhimu**")
                .put("en", "Some **important** text"));
  }

  @Test
  void entriesOfEachKindAreWrittenReadListedAndDeleted() {
    TenantSite s = TenantSite.create(operator, "portal");
    for (String kind : List.of("pages", "news", "publications")) {
      var created =
          s.webmaster()
              .put(
                  s.path("/content/" + kind + "/annual-report"),
                  entry("Annual report").put("publishedAt", "2026-03-01"));
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      assertThat(created.json().getString("kind")).isEqualTo(kind);
      assertThat(created.json().getString("publishedAt")).isEqualTo("2026-03-01");
      var replaced =
          s.admin().put(s.path("/content/" + kind + "/annual-report"), entry("Annual report 2026"));
      assertThat(replaced.status()).isEqualTo(200);
      assertThat(replaced.json().getValue("publishedAt")).isNull();
      s.webmaster().put(s.path("/content/" + kind + "/budget"), entry("Budget"));

      var read = s.webmaster().get(s.path("/content/" + kind + "/annual-report"));
      assertThat(read.status()).isEqualTo(200);
      assertThat(read.json().getJsonObject("title").getString("en"))
          .isEqualTo("Annual report 2026");
      assertThat(read.json().getJsonObject("body").getString("sw"))
          .isEqualTo("Maandishi **muhimu**");
      assertThat(read.json().getString("updatedBy"))
          .isEqualTo(s.admin().get("/api/v1/me").json().getString("username"));

      var page = s.webmaster().get(s.path("/content/" + kind + "?limit=1")).json();
      assertThat(page.getJsonArray("items").getJsonObject(0).getString("slug"))
          .isEqualTo("annual-report");
      var next =
          s.webmaster()
              .get(s.path("/content/" + kind + "?limit=1&cursor=" + page.getString("nextCursor")))
              .json();
      assertThat(next.getJsonArray("items").getJsonObject(0).getString("slug")).isEqualTo("budget");

      assertThat(s.webmaster().delete(s.path("/content/" + kind + "/budget")).status())
          .isEqualTo(204);
      assertThat(s.webmaster().get(s.path("/content/" + kind + "/budget")).status()).isEqualTo(404);
      assertThat(s.webmaster().delete(s.path("/content/" + kind + "/budget")).status())
          .isEqualTo(404);
    }
    var audit =
        s.admin()
            .get("/api/v1/audit?institutionId=" + s.institution().getString("id") + "&limit=500")
            .json();
    assertThat(
            audit.getJsonArray("items").stream()
                .map(JsonObject.class::cast)
                .map(e -> e.getString("action"))
                .filter(a -> a.startsWith("site.content.")))
        .hasSize(12);
  }

  @Test
  void badEntriesAreA400AndChangeNothing() {
    TenantSite s = TenantSite.create(operator, "portal");
    s.webmaster().put(s.path("/content/pages/about"), entry("About"));
    JsonObject noEnglish = entry("About");
    noEnglish.getJsonObject("title").remove("en");
    var r = s.webmaster().put(s.path("/content/pages/about"), noEnglish);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.contentType()).isEqualTo("application/problem+json");
    assertThat(r.body()).contains("title");
    assertThat(
            s.webmaster()
                .put(
                    s.path("/content/pages/about"), entry("About").put("publishedAt", "31/01/2026"))
                .status())
        .isEqualTo(400);
    assertThat(s.webmaster().put(s.path("/content/pages/About%20Us"), entry("About")).status())
        .isEqualTo(400);
    assertThat(s.webmaster().put(s.path("/content/pages/..%2Fetc"), entry("About")).status())
        .isIn(400, 404);
    assertThat(s.webmaster().put(s.path("/content/videos/about"), entry("About")).status())
        .isEqualTo(400);
    assertThat(
            s.webmaster()
                .get(s.path("/content/pages/about"))
                .json()
                .getJsonObject("title")
                .getString("en"))
        .isEqualTo("About");
  }

  @Test
  void onlyTheSitesOwnInstitutionWritesAndOthersSeeNothing() {
    TenantSite s = TenantSite.create(operator, "portal");
    TenantSite other = TenantSite.create(operator, "portal");
    ApiClient auditor = SharedControlPlane.newPlatformUser("auditor");
    s.webmaster().put(s.path("/content/news/launch"), entry("Launch"));
    byte[] pdf = SamplePdf.withText("Budget 2026");
    s.webmaster()
        .postFile(s.path("/documents"), "file", "budget.pdf", "application/pdf", pdf, Map.of());

    for (ApiClient platform : List.of(operator, auditor)) {
      assertThat(platform.put(s.path("/content/news/launch"), entry("Mine")).status())
          .isEqualTo(403);
      assertThat(platform.delete(s.path("/content/news/launch")).status()).isEqualTo(403);
      assertThat(
              platform
                  .postFile(s.path("/documents"), "file", "x.pdf", "application/pdf", pdf, Map.of())
                  .status())
          .isEqualTo(403);
      assertThat(platform.get(s.path("/content/news/launch")).status()).isEqualTo(200);
      assertThat(platform.get(s.path("/content/news")).status()).isEqualTo(200);
      assertThat(platform.get(s.path("/documents")).json().getJsonArray("items")).hasSize(1);
    }
    for (ApiClient stranger : List.of(other.admin(), other.webmaster())) {
      assertThat(stranger.get(s.path("/content/news/launch")).status()).isEqualTo(404);
      assertThat(stranger.get(s.path("/content/news")).status()).isEqualTo(404);
      assertThat(stranger.put(s.path("/content/news/launch"), entry("Mine")).status())
          .isEqualTo(404);
      assertThat(stranger.delete(s.path("/content/news/launch")).status()).isEqualTo(404);
      assertThat(
              stranger
                  .postFile(s.path("/documents"), "file", "x.pdf", "application/pdf", pdf, Map.of())
                  .status())
          .isEqualTo(404);
      assertThat(stranger.get(s.path("/documents")).status()).isEqualTo(404);
    }
    assertThat(
            s.webmaster()
                .get(s.path("/content/news/launch"))
                .json()
                .getJsonObject("title")
                .getString("en"))
        .isEqualTo("Launch");
    assertThat(s.webmaster().get(s.path("/documents")).json().getJsonArray("items")).hasSize(1);
  }

  @Test
  void aRealPdfIsStoredByItsDigest() {
    TenantSite s = TenantSite.create(operator, "portal");
    byte[] pdf = SamplePdf.withText("Annual report 2026");
    var r =
        s.webmaster()
            .postFile(
                s.path("/documents"),
                "file",
                "annual-report-2026.pdf",
                "application/pdf",
                pdf,
                Map.of("title", "Annual report 2026"));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    assertThat(r.json().getString("id")).isNotBlank();
    assertThat(r.json().getString("digest")).isEqualTo(Bundle.sha256Hex(pdf));
    assertThat(r.json().getLong("size")).isEqualTo(pdf.length);
    assertThat(r.json().getJsonObject("title").getString("en")).isEqualTo("Annual report 2026");
    var listed = s.admin().get(s.path("/documents")).json().getJsonArray("items").getJsonObject(0);
    assertThat(listed.getString("id")).isEqualTo(r.json().getString("id"));
    assertThat(listed.getString("fileName")).isEqualTo("annual-report-2026.pdf");
    var audit =
        s.admin()
            .get("/api/v1/audit?institutionId=" + s.institution().getString("id") + "&limit=500")
            .json();
    assertThat(
            audit.getJsonArray("items").stream()
                .map(JsonObject.class::cast)
                .filter(e -> e.getString("action").equals("site.document.upload")))
        .hasSize(1);
  }

  @Test
  void anythingButOneSafelyNamedPdfOfAtMost20MiBIsRefused() {
    TenantSite s = TenantSite.create(operator, "portal");
    byte[] notPdf =
        "MZ\u0090\u0000 this is an executable, renamed".getBytes(StandardCharsets.ISO_8859_1);
    var renamed =
        s.webmaster()
            .postFile(
                s.path("/documents"), "file", "report.pdf", "application/pdf", notPdf, Map.of());
    assertThat(renamed.status()).as(renamed.body()).isEqualTo(400);
    assertThat(renamed.json().getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("file");

    byte[] pdf = SamplePdf.withText("x");
    for (String name : List.of("../x.pdf", "/etc/x.pdf", "..\\x.pdf", ".x.pdf", "x.exe")) {
      var r =
          s.webmaster()
              .postFile(s.path("/documents"), "file", name, "application/pdf", pdf, Map.of());
      assertThat(r.status()).as(name + ": " + r.body()).isEqualTo(400);
    }
    var wrongPart =
        s.webmaster()
            .postFile(s.path("/documents"), "document", "x.pdf", "application/pdf", pdf, Map.of());
    assertThat(wrongPart.status()).isEqualTo(400);
    var json = s.webmaster().post(s.path("/documents"), new JsonObject().put("file", "JVBERi0="));
    assertThat(json.status()).isEqualTo(400);

    byte[] huge = new byte[20 * 1024 * 1024 + 1];
    System.arraycopy(pdf, 0, huge, 0, pdf.length);
    var tooLarge =
        s.webmaster()
            .postFile(s.path("/documents"), "file", "huge.pdf", "application/pdf", huge, Map.of());
    assertThat(tooLarge.status()).isEqualTo(413);
    assertThat(tooLarge.contentType()).isEqualTo("application/problem+json");
    byte[] farTooLarge = new byte[22 * 1024 * 1024];
    System.arraycopy(pdf, 0, farTooLarge, 0, pdf.length);
    var refused =
        s.webmaster()
            .postFile(
                s.path("/documents"), "file", "huge.pdf", "application/pdf", farTooLarge, Map.of());
    assertThat(refused.status()).isEqualTo(413);

    assertThat(s.webmaster().get(s.path("/documents")).json().getJsonArray("items")).isEmpty();
  }
}
