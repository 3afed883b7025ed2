package io.wingu.controlplane.web;

import static io.wingu.controlplane.testing.SharedControlPlane.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.SharedControlPlane;
import io.wingu.controlplane.testing.SharedRealNode;
import io.wingu.controlplane.testing.TenantSite;
import io.wingu.controlplane.testing.TestControlPlane;
import io.wingu.templates.testing.AxeBrowser;
import io.wingu.templates.testing.LintTools;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every console page, as each role sees it, in both languages: the W3C Nu HTML Checker finds no
 * error and axe-core (every rule, any impact) no violation. The pages are found by following the
 * console's own links from each role's home page, starting also from pages no link leads to; each
 * kind of page (its path with ids left out, the names of its query and the template it shows) is
 * checked once per role. Forms answered with errors are checked too. On the shared real node, so
 * the site's pages show a site its pod really serves.
 */
@SharedRealNode.User
class ConsolePagesLintIT {

  /** Pages a role reaches by a link from the home page, at most: a guard against a loop. */
  private static final int MOST_PAGES = 120;

  record Role(String name, String username, String password, List<String> seeds) {}

  static ConsoleBrowser ui;
  static List<Role> roles;
  static Map<Role, List<String>> pagesByRole = new LinkedHashMap<>();

  @BeforeAll
  static void start() {
    ApiClient operator = SharedRealNode.operator();
    // its pod starts while the rest is made
    TenantSite site = TenantSite.create(operator, "tovuti").deploy(operator);
    String institution = site.institution().getString("id");
    // a request still pending, a directory entry, a page of content
    var pending =
        site.admin()
            .post("/api/v1/requests", SharedControlPlane.siteRequest(site.institution(), "habari"));
    assertThat(pending.status()).as(pending.body()).isEqualTo(201);
    var service =
        site.admin()
            .post(
                "/api/v1/institutions/" + institution + "/services",
                PublicPagesIT.entry(
                    "Kibali cha maji",
                    "Water permit",
                    "Omba kibali cha maji",
                    "Apply for a water permit",
                    "identity",
                    "national"));
    assertThat(service.status()).as(service.body()).isEqualTo(201);
    site.withPage("kuhusu", "Kuhusu", "About");
    // a document, so the documents page links to its download and its deletion's confirmation
    var document =
        site.webmaster()
            .postFile(
                site.path("/documents"),
                "file",
                "ripoti.pdf",
                "application/pdf",
                io.wingu.controlplane.testing.SamplePdf.withText("Ripoti"),
                Map.of("title", "Ripoti"));
    assertThat(document.status()).as(document.body()).isEqualTo(201);
    String auditor = unique("aud").toLowerCase();
    var made =
        operator.post(
            "/api/v1/users",
            new JsonObject()
                .put("username", auditor)
                .put("password", "password-" + auditor)
                .put("role", "auditor"));
    assertThat(made.status()).as(made.body()).isEqualTo(201);

    String sitePage = "/sites/" + site.siteId();
    String institutionPage = "/institutions/" + institution;
    roles =
        List.of(
            new Role(
                "operator",
                TestControlPlane.OPERATOR,
                TestControlPlane.OPERATOR_PASSWORD,
                List.of(
                    "/",
                    "/institutions/new",
                    institutionPage,
                    "/requests/" + pending.json().getString("id"),
                    sitePage + "/decommission",
                    "/scores/publish",
                    "/systems/duplicates",
                    "/usage/nodes",
                    "/usage/report",
                    "/settings/notifications",
                    "/no-such-page")),
            new Role(
                "auditor",
                auditor,
                "password-" + auditor,
                List.of("/", "/audit", sitePage, "/account/notifications")),
            new Role(
                "admin",
                site.code() + "-admin",
                "password-" + site.code() + "-admin",
                List.of(
                    "/",
                    "/requests/new",
                    institutionPage,
                    institutionPage + "/services/new",
                    institutionPage + "/systems/new",
                    institutionPage + "/usage",
                    sitePage + "/backups",
                    "/usage/nodes")),
            new Role(
                "webmaster",
                site.code() + "-web",
                "password-" + site.code() + "-web",
                List.of(
                    "/",
                    sitePage,
                    sitePage + "/deploy",
                    sitePage + "/deploy?template=ministry-portal",
                    sitePage + "/documents",
                    sitePage + "/upgrade",
                    sitePage + "/content/pages",
                    sitePage + "/content/pages/_new",
                    sitePage + "/content/pages/kuhusu")));
    site.awaitAvailable(operator);
    for (Role role : roles) {
      pagesByRole.put(role, crawl(role));
    }
    ui = ConsoleBrowser.start(SharedRealNode.url());
  }

  @AfterAll
  static void stop() {
    ConsoleBrowser.stop(ui, null);
  }

  /** The role's pages: the seeds and every console page their links lead to, one of each kind. */
  static List<String> crawl(Role role) {
    ConsoleClient client = new ConsoleClient(SharedRealNode.url()).acceptLanguage("sw");
    client.signIn(role.username(), role.password());
    Map<String, String> byKind = new LinkedHashMap<>();
    Deque<String> next = new ArrayDeque<>(role.seeds());
    while (!next.isEmpty() && byKind.size() < MOST_PAGES) {
      String path = next.poll();
      if (byKind.containsKey(kind(path))) {
        continue;
      }
      var answer = client.get(path);
      String type = answer.response().headers().firstValue("Content-Type").orElse("");
      if (!type.startsWith("text/html")) {
        continue;
      }
      byKind.put(kind(path), path);
      for (var link : answer.document().select("a[href]")) {
        URI to = answer.response().uri().resolve(link.attr("href").replace(" ", "%20"));
        if (consolePage(to)) {
          String found = to.getRawPath() + (to.getRawQuery() == null ? "" : "?" + to.getRawQuery());
          next.add(found);
        }
      }
    }
    return List.copyOf(byKind.values());
  }

  /** A page of this console the lint is about: not a file, a download or a site's own page. */
  static boolean consolePage(URI to) {
    URI base = SharedRealNode.url();
    if (to.getHost() == null
        || !to.getHost().equals(base.getHost())
        || to.getPort() != base.getPort()) {
      return false;
    }
    String path = to.getPath();
    return !path.startsWith("/static/")
        && !path.startsWith("/vendor/")
        && !path.startsWith("/api/")
        && !path.contains("/images/")
        && !path.endsWith("/preview")
        && !path.endsWith(".csv")
        && !path.endsWith(".ico");
  }

  /**
   * A page's kind: its path with ids left out, the names in its query but the language, and the
   * template a publishing page is about.
   */
  static String kind(String page) {
    URI uri = URI.create(page);
    String path =
        uri.getPath()
            .replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", ":id")
            .replaceAll("/[0-9]+(/|$)", "/:n$1");
    TreeSet<String> names = new TreeSet<>();
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        String name = pair.split("=", 2)[0];
        // the publishing page's sections differ from template to template
        if (name.equals("template")) {
          names.add(pair);
        } else if (!name.equals("lang")) {
          names.add(name);
        }
      }
    }
    return path + names;
  }

  static String inLanguage(String page, String lang) {
    return ConsolePageCheck.withLang(SharedRealNode.url().resolve(page), lang);
  }

  /** Forms each role sends with an answer the console refuses: the page that names the errors. */
  static List<String> refusedForms(Role role) {
    return switch (role.name()) {
      case "operator" -> List.of("/institutions/new");
      case "admin" -> List.of("/requests/new");
      default -> List.of();
    };
  }

  @Test
  void everyConsolePageHasNoNuHtmlCheckerError() throws Exception {
    Path folder = Files.createDirectories(Path.of("target", "nu-html-check", "console"));
    List<Path> files = new ArrayList<>();
    for (Role role : roles) {
      ConsoleClient client = new ConsoleClient(SharedRealNode.url());
      client.signIn(role.username(), role.password());
      for (String page : pagesByRole.get(role)) {
        for (String lang : List.of("sw", "en")) {
          String html = client.get(inLanguage(page, lang)).response().body();
          files.add(save(folder, role.name() + "-" + kind(page) + "-" + lang, html));
        }
      }
      for (String form : refusedForms(role)) {
        for (String lang : List.of("sw", "en")) {
          client.get(form + "?lang=" + lang);
          var refused = client.submit("form[method=post][action='" + form + "']", Map.of());
          assertThat(refused.status()).as(form).isBetween(400, 499);
          files.add(
              save(
                  folder,
                  role.name() + "-" + form + "-refused-" + lang,
                  refused.response().body()));
        }
      }
    }
    assertThat(pagesByRole.values().stream().mapToInt(List::size).sum()).isGreaterThan(40);
    assertThat(LintTools.nuErrors(files)).as("Nu HTML Checker errors on console pages").isEmpty();
  }

  static Path save(Path folder, String name, String html) throws java.io.IOException {
    Path file = folder.resolve(name.replaceAll("[^A-Za-z0-9=-]+", "_") + ".html");
    Files.writeString(file, html, StandardCharsets.UTF_8);
    return file;
  }

  @Test
  void everyConsolePagePassesEveryAxeRuleInBothLanguages() {
    List<String> failures = new ArrayList<>();
    for (Role role : roles) {
      ui.open("/login");
      ui.axe().driver().manage().deleteAllCookies();
      ui.signIn("sw", role.username(), role.password());
      for (String page : pagesByRole.get(role)) {
        for (String lang : List.of("sw", "en")) {
          ui.axe().open(inLanguage(page, lang));
          ui.axe()
              .violations(AxeBrowser.EVERY_RULE)
              .forEach(v -> failures.add(role.name() + " " + page + " (" + lang + "): " + v));
        }
      }
      for (String form : refusedForms(role)) {
        for (String lang : List.of("sw", "en")) {
          ui.open(form + "?lang=" + lang);
          ui.press("form[method=post][action='" + form + "'] button[type=submit]");
          ui.axe()
              .violations(AxeBrowser.EVERY_RULE)
              .forEach(
                  v -> failures.add(role.name() + " " + form + " refused (" + lang + "): " + v));
        }
      }
    }
    assertThat(failures).as("axe-core violations of any impact on console pages").isEmpty();
  }
}
