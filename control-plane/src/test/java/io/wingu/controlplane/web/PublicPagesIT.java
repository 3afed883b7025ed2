package io.wingu.controlplane.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.SharedRealNode;
import io.wingu.controlplane.testing.TenantSite;
import io.wingu.templates.testing.AxeBrowser;
import io.wingu.templates.testing.LintTools;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The citizens' pages, /directory and /scorecard: in Chromium in both languages with axe-core, and
 * without JavaScript, showing only what is public; on the shared real node, where the institution's
 * site is listed because its pod serves it.
 */
@SharedRealNode.User
class PublicPagesIT {

  static ConsoleBrowser ui;
  static TenantSite site;
  static String word;
  static String hiddenId;

  @BeforeAll
  static void start() {
    ApiClient operator = SharedRealNode.operator();
    // its pod starts while the entries are made
    site = TenantSite.create(operator, "tovuti").deploy(operator);
    word = "zpub" + Long.toString(System.nanoTime() % 1_000_000_000L, 36).replaceAll("[0-9]", "q");
    String path = "/api/v1/institutions/" + site.institution().getString("id") + "/services";
    var created =
        site.admin()
            .post(
                path,
                entry(
                    "Cheti cha kuzaliwa " + word,
                    "Birth certificate " + word,
                    "Omba cheti cha kuzaliwa mtandaoni. <script>alert(1)</script>",
                    "Apply for a birth certificate online.",
                    "identity",
                    "dar-es-salaam"));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    var hidden =
        site.admin()
            .post(
                path,
                entry(
                    "Huduma iliyofichwa " + word,
                    "Hidden service " + word,
                    "Siri",
                    "Secret",
                    "identity",
                    "national"));
    hiddenId = hidden.json().getString("id");
    assertThat(
            operator
                .post(
                    path + "/" + hiddenId + "/hide", new JsonObject().put("reason", "Broken link"))
                .status())
        .isEqualTo(200);
    site.awaitAvailable(operator);
    var published =
        operator.post(
            "/api/v1/scorecard/" + YearMonth.now(ZoneOffset.UTC) + "/publish", new JsonObject());
    assertThat(published.status()).as(published.body()).isEqualTo(201);
    ui = ConsoleBrowser.start(SharedRealNode.url());
  }

  @AfterAll
  static void stop() {
    ConsoleBrowser.stop(ui, null);
  }

  static JsonObject entry(
      String nameSw, String nameEn, String descSw, String descEn, String category, String region) {
    return new JsonObject()
        .put("name", new JsonObject().put("sw", nameSw).put("en", nameEn))
        .put("description", new JsonObject().put("sw", descSw).put("en", descEn))
        .put("url", "https://huduma.example.go.tz/" + category)
        .put("category", category)
        .put("region", region);
  }

  @Test
  void theDirectoryAndTheScorecardPassAxeInBothLanguages() {
    ui.open("/directory?lang=sw");
    ui.pages().checkBoth("public-directory", "sw");
    ui.type("q", "cheti " + word.toUpperCase());
    // the search form sends a GET and the next page replaces this one
    ui.press("form.search-form button[type=submit]");
    assertThat(ui.text())
        .contains("Cheti cha kuzaliwa " + word)
        .contains("<script>alert(1)</script>")
        .doesNotContain("Huduma iliyofichwa");
    ui.pages().checkBoth("public-directory-search", "sw");

    ui.open("/scorecard?lang=en");
    assertThat(ui.find("h1").getText()).startsWith("Institutions scorecard");
    assertThat(ui.findAll("table th[scope=row]")).isNotEmpty();
    ui.pages().checkBoth("public-scorecard", "en");
  }

  /**
   * The public pages, each in both languages: the directory, a search, one institution, sign-in.
   */
  static List<String> publicPages() {
    List<String> pages = new ArrayList<>();
    for (String lang : List.of("sw", "en")) {
      pages.add("/directory?lang=" + lang);
      pages.add("/directory?q=" + word + "&lang=" + lang);
      pages.add("/directory?q=" + site.code() + "&lang=" + lang);
      pages.add("/scorecard?lang=" + lang);
      pages.add("/login?lang=" + lang);
    }
    return pages;
  }

  @Test
  void thePublicPagesPassEveryAxeRuleInBothLanguages() {
    List<String> failures = new ArrayList<>();
    for (String page : publicPages()) {
      ui.open(page);
      ui.axe()
          .violations(AxeBrowser.EVERY_RULE)
          .forEach(violation -> failures.add(page + ": " + violation));
    }
    assertThat(failures).as("axe-core violations of any impact").isEmpty();
  }

  @Test
  void thePublicPagesPassTheNuHtmlChecker() throws Exception {
    ConsoleClient visitor = new ConsoleClient(SharedRealNode.url());
    Path folder = Files.createDirectories(Path.of("target", "nu-html-check", "public"));
    List<Path> files = new ArrayList<>();
    for (String page : publicPages()) {
      var answer = visitor.get(page);
      assertThat(answer.status()).as(page).isEqualTo(200);
      Path file = folder.resolve(page.substring(1).replaceAll("[^A-Za-z0-9=-]+", "_") + ".html");
      Files.writeString(file, answer.response().body(), StandardCharsets.UTF_8);
      files.add(file);
    }
    assertThat(LintTools.nuErrors(files)).as("Nu HTML Checker errors").isEmpty();
  }

  @Test
  void publicPagesDescribeThemselvesWearTheBannerInALandmarkAndHaveAnIcon() {
    ConsoleClient visitor = new ConsoleClient(SharedRealNode.url());
    for (String page : publicPages()) {
      var document = visitor.get(page).document();
      assertThat(document.select("meta[name=description]").attr("content")).as(page).isNotBlank();
      if (!page.startsWith("/login")) {
        assertThat(document.select("section.official-banner[aria-label]")).as(page).hasSize(1);
      }
    }
    assertThat(
            visitor
                .get("/directory?lang=sw")
                .document()
                .select("meta[name=description]")
                .attr("content"))
        .isNotEqualTo(
            visitor
                .get("/directory?lang=en")
                .document()
                .select("meta[name=description]")
                .attr("content"));
    var icon = ApiClient.anonymous(SharedRealNode.url()).getBytes("/favicon.ico");
    assertThat(icon.statusCode()).isEqualTo(200);
    assertThat(icon.headers().firstValue("Content-Type")).hasValue("image/x-icon");
    assertThat(icon.headers().firstValue("Cache-Control").orElse(""))
        .contains("public")
        .contains("max-age");
    // an ICO holding one PNG image
    assertThat(icon.body()).startsWith(0, 0, 1, 0);
    assertThat(new String(icon.body(), StandardCharsets.ISO_8859_1)).contains("PNG");
  }

  @Test
  void withoutJavaScriptTheDirectoryShowsOnlyWhatIsPublic() {
    ConsoleClient visitor = new ConsoleClient(SharedRealNode.url()).acceptLanguage("en");
    var page =
        visitor.get("/directory?q=" + URLEncoder.encode("birth " + word, StandardCharsets.UTF_8));
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.response().headers().firstValue("Cache-Control").orElse("")).contains("public");
    var org = page.document().select("[itemtype=https://schema.org/GovernmentOrganization]");
    assertThat(org).hasSize(1);
    assertThat(org.select("[itemprop=name]").first().text())
        .isEqualTo("Institution " + site.code());
    var service = org.select("[itemtype=https://schema.org/GovernmentService]");
    assertThat(service).hasSize(1);
    assertThat(service.select("[itemprop=name]").text()).isEqualTo("Birth certificate " + word);
    assertThat(org.select("a[itemprop=url]").eachAttr("href"))
        .contains("https://www." + site.code() + ".go.tz/");
    assertThat(page.document().select("script:containsData(alert)")).isEmpty();
    assertThat(page.response().body())
        .doesNotContain(hiddenId)
        .doesNotContain("Hidden service")
        .doesNotContain(site.code() + "-admin")
        .doesNotContain("wingu.svc");

    // the form filters work as plain GET forms; a forged filter or odd text is an empty list, not
    // an error
    assertThat(page.document().select("form.search-form").attr("method")).isEqualTo("get");
    var filtered = visitor.get("/directory?q=" + word + "&category=health&region=");
    assertThat(filtered.status()).isEqualTo(200);
    assertThat(filtered.document().select("article")).isEmpty();
    assertThat(visitor.get("/directory?category=weather&region=mars&cursor=Zm9v").status())
        .isEqualTo(200);
    assertThat(
            visitor
                .get("/directory?q=" + URLEncoder.encode("'\"<>&|!:*()\\", StandardCharsets.UTF_8))
                .status())
        .isEqualTo(200);

    assertThat(
            SharedRealNode.operator()
                .post(site.path("/suspend"), new JsonObject().put("reason", "Audit"))
                .status())
        .isEqualTo(200);
    var suspended = visitor.get("/directory?q=" + word);
    assertThat(suspended.response().body()).doesNotContain("www." + site.code() + ".go.tz");
    assertThat(
            SharedRealNode.operator()
                .post(site.path("/resume"), new JsonObject().put("reason", "Done"))
                .status())
        .isEqualTo(200);

    var scorecard = visitor.get("/scorecard?month=1999-13");
    assertThat(scorecard.status()).isEqualTo(200);
    var signIn = visitor.get("/scorecard");
    assertThat(signIn.document().select("nav a[href=/login]")).hasSize(1);
    assertThat(signIn.response().body()).doesNotContain("evidence").doesNotContain("_csrf");
  }
}
