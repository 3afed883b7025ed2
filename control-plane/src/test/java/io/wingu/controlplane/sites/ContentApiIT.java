package io.wingu.controlplane.sites;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.SamplePdf;
import io.wingu.controlplane.testing.SharedControlPlane;
import io.wingu.controlplane.testing.TenantSite;
import io.wingu.templates.render.Bundle;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
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
    assertThat(events(s, "site.document.upload")).hasSize(1);
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

  /** The audit events of the site's institution with this action. */
  static List<JsonObject> events(TenantSite s, String action) {
    var audit =
        s.admin()
            .get("/api/v1/audit?institutionId=" + s.institution().getString("id") + "&limit=500")
            .json();
    return audit.getJsonArray("items").stream()
        .map(JsonObject.class::cast)
        .filter(e -> e.getString("action").equals(action))
        .toList();
  }

  static HttpResponse<byte[]> download(ApiClient client, String path) {
    return client.getBytes(path, "Authorization", "Bearer " + client.token());
  }

  /** A bundle as stored, un-gzipped: a tar, whose files' bytes stand in it as they are. */
  static String storedTar(String digest) throws Exception {
    try (Connection c = SharedControlPlane.get().database().dataSource().getConnection();
        var st = c.prepareStatement("SELECT bytes FROM content_blob WHERE digest = ?")) {
      st.setString(1, digest);
      try (var rs = st.executeQuery()) {
        assertThat(rs.next()).as("bundle " + digest + " is stored").isTrue();
        var tar = new ByteArrayOutputStream();
        try (var in = new GZIPInputStream(rs.getBinaryStream(1))) {
          in.transferTo(tar);
        }
        return tar.toString(StandardCharsets.ISO_8859_1);
      }
    }
  }

  @Test
  void aDocumentIsDownloadedAsUploadedAndDeletedWhileEarlierRevisionsKeepIt() throws Exception {
    TenantSite s = TenantSite.create(operator, "portal");
    TenantSite other = TenantSite.create(operator, "portal");
    ApiClient auditor = SharedControlPlane.newPlatformUser("auditor");
    byte[] pdf = SamplePdf.withText("Water tariffs 2026");
    var uploaded =
        s.webmaster()
            .postFile(
                s.path("/documents"), "file", "tariffs_2026.pdf", "application/pdf", pdf, Map.of());
    assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(201);
    String id = uploaded.json().getString("id");
    String document = s.path("/documents/" + id);

    // every reader of the site gets the bytes as uploaded, as a file to save in a sandbox
    for (ApiClient reader : List.of(s.webmaster(), s.admin(), operator, auditor)) {
      var got = download(reader, document);
      assertThat(got.statusCode()).isEqualTo(200);
      assertThat(got.body()).isEqualTo(pdf);
      var headers = got.headers();
      assertThat(headers.firstValue("Content-Type")).hasValue("application/pdf");
      assertThat(headers.firstValue("Content-Disposition"))
          .hasValue("attachment; filename=\"tariffs_2026.pdf\"");
      assertThat(headers.firstValue("X-Content-Type-Options")).hasValue("nosniff");
      assertThat(headers.firstValue("Content-Security-Policy").orElse(""))
          .startsWith("sandbox")
          .contains("default-src 'none'");
      assertThat(headers.firstValue("Cache-Control")).hasValue("no-store");
    }

    // another institution finds nothing; the platform's roles read but do not delete
    for (ApiClient stranger : List.of(other.admin(), other.webmaster())) {
      var refused = download(stranger, document);
      assertThat(refused.statusCode()).isEqualTo(404);
      assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      assertThat(refused.body()).isNotEqualTo(pdf);
      assertThat(stranger.delete(document).status()).isEqualTo(404);
      assertThat(download(stranger, other.path("/documents/" + id)).statusCode()).isEqualTo(404);
    }
    for (ApiClient platform : List.of(operator, auditor)) {
      var forbidden = platform.delete(document);
      assertThat(forbidden.status()).isEqualTo(403);
      assertThat(forbidden.contentType()).isEqualTo("application/problem+json");
    }
    var unknown = download(s.webmaster(), s.path("/documents/" + java.util.UUID.randomUUID()));
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/problem+json");

    // revision 1 publishes the document
    var first = s.webmaster().post(s.path("/deployments"), TenantSite.sampleDeployment(operator));
    assertThat(first.status()).as(first.body()).isEqualTo(201);
    String withDocument = first.json().getString("digest");
    assertThat(storedTar(withDocument))
        .contains("documents/" + id + "/tariffs_2026.pdf")
        .contains(new String(pdf, StandardCharsets.ISO_8859_1));

    // deleted: gone from the list and the download, and audited
    var deleted = s.webmaster().delete(document);
    assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
    var gone = download(s.webmaster(), document);
    assertThat(gone.statusCode()).isEqualTo(404);
    assertThat(gone.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    var again = s.admin().delete(document);
    assertThat(again.status()).isEqualTo(404);
    assertThat(again.contentType()).isEqualTo("application/problem+json");
    assertThat(s.webmaster().get(s.path("/documents")).json().getJsonArray("items")).isEmpty();
    assertThat(events(s, "site.document.delete"))
        .singleElement()
        .satisfies(e -> assertThat(e.getString("target")).endsWith("/documents/" + id));

    // the next revision leaves it out; a rollback to revision 1 serves it again, bytes and all
    var second = s.webmaster().post(s.path("/deployments"), TenantSite.sampleDeployment(operator));
    assertThat(second.status()).as(second.body()).isEqualTo(201);
    assertThat(second.json().getString("digest")).isNotEqualTo(withDocument);
    assertThat(storedTar(second.json().getString("digest"))).doesNotContain("documents/" + id);
    var back = s.webmaster().post(s.path("/rollback"), new JsonObject().put("revision", 1));
    assertThat(back.status()).as(back.body()).isEqualTo(200);
    assertThat(back.json().getString("digest")).isEqualTo(withDocument);
    assertThat(storedTar(withDocument))
        .contains("documents/" + id + "/tariffs_2026.pdf")
        .contains(new String(pdf, StandardCharsets.ISO_8859_1));
  }
}
