package io.wingu.controlplane.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.OlderCatalogue;
import io.wingu.controlplane.testing.SamplePdf;
import io.wingu.controlplane.testing.TempDirs;
import io.wingu.controlplane.testing.TenantSite;
import io.wingu.controlplane.testing.TestControlPlane;
import io.wingu.controlplane.wiring.ControlPlane;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The webmaster's content in the console, after a release brought a newer version of the site's
 * template: writing a page with a preview, deleting one after a confirmation, uploading documents,
 * downloading and deleting them after a confirmation (JavaScript on and off), and taking the
 * upgrade the site offers; the operator's list of outdated sites. In headless Chromium with
 * axe-core on every page in both languages, and again with plain HTTP (no script).
 */
class ConsoleContentIT {

  static final String TEMPLATE = "minimal-landing";

  static ControlPlane plane;
  static ConsolePageCheck pages;
  static ConsoleBrowser ui;
  static TenantSite browsed;
  static TenantSite plain;
  static TenantSite retired;

  @BeforeAll
  static void start() {
    Map<String, String> env = new HashMap<>(TestControlPlane.env("console_content"));
    env.put("WINGU_LOGIN_RATE", "10000");
    plane =
        OlderCatalogue.release(
            env,
            TEMPLATE,
            "0.9.0",
            old -> {
              ApiClient operator =
                  ApiClient.signIn(
                      old.url(), TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD);
              JsonObject example =
                  operator.get("/api/v1/templates").array().stream()
                      .map(JsonObject.class::cast)
                      .filter(t -> t.getString("id").equals(TEMPLATE))
                      .findFirst()
                      .orElseThrow()
                      .getJsonObject("example");
              browsed = TenantSite.create(operator, "tovuti");
              plain = TenantSite.create(operator, "misitu");
              for (TenantSite s : new TenantSite[] {browsed, plain}) {
                var r =
                    s.webmaster()
                        .post(
                            s.path("/deployments"),
                            new JsonObject()
                                .put("templateId", TEMPLATE)
                                .put("parameters", example));
                assertThat(r.status()).as(r.body()).isEqualTo(201);
              }
              retired = TenantSite.create(operator, "zamani");
              var r =
                  retired
                      .webmaster()
                      .post(
                          retired.path("/deployments"),
                          new JsonObject()
                              .put("templateId", TEMPLATE)
                              .put(
                                  "parameters",
                                  example
                                      .copy()
                                      .put(OlderCatalogue.RETIRED_PARAMETER, "Old notice")));
              assertThat(r.status()).as(r.body()).isEqualTo(201);
            });
    ui = ConsoleBrowser.start(plane.url());
    pages = ui.pages();
  }

  @AfterAll
  static void stop() {
    ConsoleBrowser.stop(ui, plane);
  }

  static String webmaster(TenantSite s) {
    return s.code() + "-web";
  }

  static String password(String username) {
    return "password-" + username;
  }

  static String sitePath(TenantSite s) {
    return "/sites/" + s.siteId();
  }

  @Test
  void theWebmasterWritesAPageWithAPreviewUploadsADocumentAndTakesTheUpgrade() throws Exception {
    // the operator sees which sites run an outdated template, and reads content without changing it
    ui.signIn("en", TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD);
    ui.open("/sites");
    ui.find("#outdated").click();
    ui.press("form[action='/sites'] button[type=submit]");
    assertThat(ui.text()).contains(browsed.siteName()).contains("0.9.0");
    assertThat(ui.find("main table").getText()).contains("available");
    pages.checkBoth("sites-outdated", "en");
    ui.open(sitePath(browsed) + "/content/pages");
    assertThat(ui.findAll("a[href$='/_new']")).isEmpty();
    pages.check("content-list-read-only", "en");
    ui.signOut();

    // the webmaster is offered the upgrade on the site's page, in Swahili
    String username = webmaster(browsed);
    ui.signIn("sw", username, password(username));
    ui.open(sitePath(browsed));
    assertThat(ui.find("#upgrade").getText()).contains("0.9.0");
    pages.checkBoth("site-upgrade-offer", "sw");

    // a page: a refused form, a preview, the save
    ui.press("a[href$='/content/pages']");
    pages.checkBoth("content-list", "sw");
    ui.press("a[href$='/content/pages/_new']");
    pages.checkBoth("content-form", "sw");
    ui.press("button[name=action][value=save]");
    pages.check("content-form-errors", "sw");
    assertThat(
            ui.findAll(".error-summary a").stream()
                .map(a -> a.getAttribute("href").replaceAll(".*#", "")))
        .contains("slug", "titleSw", "titleEn");
    ui.find(".error-summary a[href='#titleSw']").click();
    assertThat(ui.axe().driver().switchTo().activeElement().getAttribute("id"))
        .isEqualTo("titleSw");
    ui.type("slug", "kuhusu");
    ui.type("titleSw", "Kuhusu wizara");
    ui.type("titleEn", "About the ministry");
    ui.type(
        "bodySw", "## Historia\n\nWizara ilianzishwa mwaka **1961**.\n\n<script>alert(1)</script>");
    ui.type("bodyEn", "## History\n\nThe ministry was founded in **1961**.");
    ui.press("button[name=action][value=preview]");
    assertThat(ui.find("#preview-sw").getAttribute("innerHTML"))
        .contains("<h2>Historia</h2>")
        .contains("<strong>1961</strong>")
        .doesNotContain("<script");
    assertThat(ui.find("#slug").getAttribute("value")).isEqualTo("kuhusu");
    pages.check("content-preview", "sw");
    ui.press("button[name=action][value=save]");
    assertThat(ui.text()).contains("Maudhui yamehifadhiwa").contains("Kuhusu wizara");
    pages.check("content-saved", "sw");

    // edit it, then write a second entry and delete it after the confirmation page
    ui.press("a[href$='/content/pages/kuhusu']");
    pages.checkBoth("content-edit", "sw");
    ui.type("titleEn", "About us");
    ui.press("button[name=action][value=save]");
    ui.press("a[href$='/content/pages/_new']");
    ui.type("slug", "ya-muda");
    ui.type("titleSw", "Tangazo la muda");
    ui.type("titleEn", "A passing notice");
    ui.press("button[name=action][value=save]");
    ui.press("a[href$='/content/pages/ya-muda/delete']");
    pages.checkBoth("content-delete", "sw");
    ui.press("form[action$='/ya-muda/delete'] button[type=submit]");
    assertThat(ui.text())
        .contains("Maudhui yamefutwa")
        .contains("Kuhusu wizara")
        .doesNotContain("Tangazo la muda");

    // documents: a file that is not a PDF is refused on the form, a PDF is listed
    ui.press("a[href$='/documents']");
    pages.checkBoth("documents", "sw");
    Path folder = TempDirs.create("console-documents");
    Path notPdf = Files.writeString(folder.resolve("barua.pdf"), "not a PDF at all");
    ui.find("#file").sendKeys(notPdf.toAbsolutePath().toString());
    ui.press("form[action$='/documents'] button[type=submit]");
    assertThat(ui.find("#file-error").getText()).contains("Faili si PDF");
    assertThat(ui.find(".error-summary a[href='#file']").getText()).contains("Faili si PDF");
    pages.check("documents-errors", "sw");
    Path pdf = Files.write(folder.resolve("bajeti-2026.pdf"), SamplePdf.withText("Bajeti 2026"));
    ui.find("#file").sendKeys(pdf.toAbsolutePath().toString());
    ui.type("title", "Bajeti ya 2026");
    ui.press("form[action$='/documents'] button[type=submit]");
    assertThat(ui.text())
        .contains("Nyaraka imepakiwa")
        .contains("Bajeti ya 2026")
        .contains("bajeti-2026.pdf");
    pages.check("documents-uploaded", "sw");

    // the upgrade, after a confirmation page
    ui.open(sitePath(browsed));
    ui.press("a[href$='/upgrade']");
    pages.checkBoth("site-upgrade", "sw");
    ui.press("form[action$='/upgrade'] button[type=submit]");
    assertThat(ui.text()).contains("Tovuti imehamishiwa toleo jipya");
    assertThat(ui.findAll("#upgrade")).isEmpty();
    pages.check("site-upgraded", "sw");
    ui.press("a[href$='/deploy']");
    assertThat(ui.find("table tbody tr:first-child").getText())
        .contains("la sasa")
        .doesNotContain("0.9.0");
    ui.signOut();
  }

  @Test
  void theContentJourneyWorksWithPlainFormsAndNoScript() {
    String username = webmaster(plain);
    ConsoleClient web = new ConsoleClient(plane.url()).acceptLanguage("en");
    web.signIn(username, password(username));
    String site = sitePath(plain);

    // two pages, written with a preview first
    web.get(site + "/content/pages/_new");
    var preview =
        web.submit(
            "form[action$='/_new']",
            Map.of(
                "slug",
                "about",
                "titleSw",
                "Kuhusu",
                "titleEn",
                "About",
                "bodySw",
                "Habari *zetu*",
                "bodyEn",
                "Our <b onclick=\"x()\">story</b>\n\n<iframe></iframe>",
                "action",
                "preview"));
    assertThat(preview.status()).isEqualTo(200);
    assertThat(preview.document().select("#preview-sw em").text()).isEqualTo("zetu");
    assertThat(preview.document().select("#preview-en").html())
        .contains("<b>story</b>")
        .doesNotContain("onclick")
        .doesNotContain("iframe");
    assertThat(preview.document().select("#titleEn").attr("value")).isEqualTo("About");
    var saved = web.submit("form[action$='/_new']", Map.of("action", "save"));
    assertThat(saved.text()).contains("The entry has been saved").contains("About");
    web.get(site + "/content/pages/_new");
    var taken =
        web.submit(
            "form[action$='/_new']",
            Map.of("slug", "about", "titleSw", "Tena", "titleEn", "Again", "action", "save"));
    assertThat(taken.status()).isEqualTo(409);
    assertThat(taken.document().select("#slug-error").text()).contains("exists already");
    var badDate =
        web.submit(
            "form[action$='/_new']",
            Map.of("slug", "contact", "publishedAt", "31/01/2026", "action", "save"));
    assertThat(badDate.status()).isEqualTo(400);
    assertThat(badDate.document().select(".error-summary a").eachAttr("href"))
        .containsExactly("#publishedAt");
    assertThat(badDate.document().select("#titleSw").attr("value")).isEqualTo("Tena");
    web.submit("form[action$='/_new']", Map.of("publishedAt", "2026-01-31", "action", "save"));

    // one entry per page: Next and Previous are plain links carrying the cursor
    var first = web.get(site + "/content/pages?limit=1");
    assertThat(first.document().select("main tbody tr")).hasSize(1);
    assertThat(first.text()).contains("About");
    assertThat(first.document().select("a[rel=prev]")).isEmpty();
    var second = web.get(first.document().select("a[rel=next]").attr("href"));
    assertThat(second.text()).contains("contact").doesNotContain("About");
    assertThat(second.document().select("a[rel=next]")).isEmpty();
    var back = web.get(second.document().select("a[rel=prev]").attr("href"));
    assertThat(back.text()).contains("About");

    // deletion goes through its confirmation page
    web.get(site + "/content/pages/contact/delete");
    var deleted = web.submit("form[action$='/contact/delete']", Map.of());
    assertThat(deleted.text()).contains("The entry has been deleted").doesNotContain("contact ");

    // documents: none chosen, too large, not a PDF, a PDF; a forged upload has no CSRF token
    web.get(site + "/documents");
    var none = web.submitFile("form[action$='/documents']", Map.of(), "file", "", new byte[0]);
    assertThat(none.status()).isEqualTo(400);
    assertThat(none.document().select("#file-error").text()).contains("Choose a PDF file");
    assertThat(web.submit("form[action$='/documents']", Map.of()).status()).isEqualTo(400);
    var tooLarge =
        web.submitFile(
            "form[action$='/documents']",
            Map.of("title", "Huge"),
            "file",
            "huge.pdf",
            new byte[(int) io.wingu.controlplane.sites.ContentService.MAX_DOCUMENT_BYTES + 1]);
    assertThat(tooLarge.status()).isEqualTo(413);
    assertThat(tooLarge.document().select("#file-error").text()).contains("larger than 20 MB");
    assertThat(tooLarge.document().select("#title").attr("value")).isEqualTo("Huge");
    var notPdf =
        web.submitFile(
            "form[action$='/documents']",
            Map.of(),
            "file",
            "letter.pdf",
            "hello".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(notPdf.status()).isEqualTo(400);
    assertThat(notPdf.document().select("#file-error").text()).contains("not a PDF");
    var uploaded =
        web.submitFile(
            "form[action$='/documents']",
            Map.of("title", "Annual report"),
            "file",
            "annual-report.pdf",
            SamplePdf.withText("Annual report"));
    assertThat(uploaded.text())
        .contains("The document has been uploaded")
        .contains("Annual report");
    var forged =
        web.submitFile(
            "form[action$='/documents']",
            Map.of("_csrf", "forged"),
            "file",
            "x.pdf",
            SamplePdf.withText("x"));
    assertThat(forged.status()).isEqualTo(403);

    // a document is downloaded as a file to save, and deleted only through its confirmation form
    var listed = web.get(site + "/documents");
    String document = listed.document().select("a.download").attr("href");
    assertThat(document).startsWith(site + "/documents/");
    var file = web.get(document);
    assertThat(file.status()).isEqualTo(200);
    var fileHeaders = file.response().headers();
    assertThat(fileHeaders.firstValue("Content-Type")).hasValue("application/pdf");
    assertThat(fileHeaders.firstValue("Content-Disposition"))
        .hasValue("attachment; filename=\"annual-report.pdf\"");
    assertThat(fileHeaders.firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(fileHeaders.firstValue("Content-Security-Policy").orElse("")).startsWith("sandbox");
    assertThat(web.postRaw(document + "/delete", Map.of()).status()).isEqualTo(403);
    var confirm = web.get(document + "/delete");
    assertThat(confirm.status()).isEqualTo(200);
    assertThat(confirm.document().select("h1").text()).contains("Annual report");
    assertThat(web.get(site + "/documents").text()).contains("annual-report.pdf");
    web.get(document + "/delete");
    var documentDeleted = web.submit("form[action$='/delete']", Map.of());
    assertThat(documentDeleted.text())
        .contains("The document has been deleted")
        .doesNotContain("annual-report.pdf");
    assertThat(web.get(document).status()).isEqualTo(404);
    assertThat(web.get(document + "/delete").status()).isEqualTo(404);

    // the upgrade, through its confirmation form
    var offer = web.get(site);
    assertThat(offer.document().select("#upgrade a[href$='/upgrade']")).hasSize(1);
    web.get(site + "/upgrade");
    var upgraded = web.submit("form[action$='/upgrade']", Map.of());
    assertThat(upgraded.text()).contains("moved to the newest template version");
    assertThat(upgraded.document().select("#upgrade")).isEmpty();
    web.get(site + "/upgrade");
    var again = web.submit("form[action$='/upgrade']", Map.of());
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.text()).contains("The site changed in the meantime");

    assertThat(web.get(site + "/preview").status()).isEqualTo(200);

    // an upgrade the new version refuses names the parameters and leaves the site as it was
    String other = webmaster(retired);
    ConsoleClient refusedWeb = new ConsoleClient(plane.url()).acceptLanguage("en");
    refusedWeb.signIn(other, password(other));
    refusedWeb.get(sitePath(retired) + "/upgrade");
    var refused = refusedWeb.submit("form[action$='/upgrade']", Map.of());
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.document().select("#upgrade .error-summary li").text())
        .contains(OlderCatalogue.RETIRED_PARAMETER);
    assertThat(refused.document().select("#upgrade a[href$='/upgrade']")).hasSize(1);
  }

  /** A GET with the browser's own cookies: what following the page's link fetches. */
  static HttpResponse<byte[]> withBrowserSession(String path) throws Exception {
    String cookies =
        ui.axe().driver().manage().getCookies().stream()
            .map(c -> c.getName() + "=" + c.getValue())
            .collect(Collectors.joining("; "));
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(
          HttpRequest.newBuilder(URI.create(plane.url().resolve(path).toString()))
              .header("Cookie", cookies)
              .GET()
              .build(),
          HttpResponse.BodyHandlers.ofByteArray());
    }
  }

  @ParameterizedTest(name = "JavaScript {0}")
  @ValueSource(strings = {"on", "off"})
  void aDocumentIsDownloadedAndDeletedAfterAConfirmation(String javaScript) throws Exception {
    boolean withScripts = javaScript.equals("on");
    String lang = withScripts ? "sw" : "en";
    ApiClient operator =
        ApiClient.signIn(
            plane.url(), TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD);
    TenantSite s = TenantSite.create(operator, "nyaraka");
    byte[] pdf = SamplePdf.withText("Ripoti ya mwaka 2026");
    var report =
        s.webmaster()
            .postFile(
                s.path("/documents"),
                "file",
                "ripoti-2026.pdf",
                "application/pdf",
                pdf,
                Map.of("title", "Ripoti ya mwaka"));
    assertThat(report.status()).as(report.body()).isEqualTo(201);
    var plan =
        s.webmaster()
            .postFile(
                s.path("/documents"),
                "file",
                "mpango.pdf",
                "application/pdf",
                SamplePdf.withText("Mpango"),
                Map.of());
    assertThat(plan.status()).as(plan.body()).isEqualTo(201);
    String document = sitePath(s) + "/documents/" + report.json().getString("id");

    ui.open("/login");
    ui.axe().driver().manage().deleteAllCookies();
    ui.javaScript(withScripts);
    try {
      String username = webmaster(s);
      ui.signIn(lang, username, password(username));
      ui.open(sitePath(s) + "/documents");
      var link = ui.find("a.download[href='" + document + "']");
      assertThat(link.getText())
          .isEqualTo((withScripts ? "Pakua " : "Download ") + "ripoti-2026.pdf");
      assertThat(link.getAttribute("download")).isEqualTo("ripoti-2026.pdf");
      if (withScripts) {
        // axe is a script: the pages are checked in the run that lets scripts run
        pages.checkBoth("documents-actions-js-" + javaScript, lang);
      }

      // the link gives the bytes as uploaded, as an attachment this origin never shows
      var file = withBrowserSession(document);
      assertThat(file.statusCode()).isEqualTo(200);
      assertThat(file.body()).isEqualTo(pdf);
      assertThat(file.headers().firstValue("Content-Disposition"))
          .hasValue("attachment; filename=\"ripoti-2026.pdf\"");
      assertThat(file.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
      assertThat(file.headers().firstValue("Content-Security-Policy").orElse(""))
          .startsWith("sandbox");

      // Delete asks first; keeping it changes nothing
      ui.press("a.delete[href='" + document + "/delete']");
      assertThat(ui.find("h1").getText())
          .contains(withScripts ? "Futa nyaraka" : "Delete a document")
          .contains("Ripoti ya mwaka");
      if (withScripts) {
        pages.checkBoth("document-delete-js-" + javaScript, lang);
      }
      ui.press("form[action='" + document + "/delete'] a");
      assertThat(ui.text()).contains("ripoti-2026.pdf");
      ui.press("a.delete[href='" + document + "/delete']");
      ui.press("form[action='" + document + "/delete'] button[type=submit]");
      assertThat(ui.text())
          .contains(withScripts ? "Nyaraka imefutwa" : "The document has been deleted")
          .doesNotContain("ripoti-2026.pdf")
          .contains("mpango.pdf");
      if (withScripts) {
        pages.check("document-deleted-js-" + javaScript, lang);
      }
      assertThat(withBrowserSession(document).statusCode()).isEqualTo(404);
      assertThat(s.webmaster().get(s.path("/documents")).json().getJsonArray("items")).hasSize(1);
      ui.signOut();
    } finally {
      ui.javaScript(true);
    }
  }
}
