package io.wingu.controlplane.web;

import static io.wingu.controlplane.testing.SharedControlPlane.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.ControllerAccount;
import io.wingu.controlplane.testing.Eventually;
import io.wingu.controlplane.testing.TenantDatabaseServer;
import io.wingu.controlplane.testing.TestCluster;
import io.wingu.controlplane.testing.TestControlPlane;
import io.wingu.controlplane.wiring.ControlPlane;
import io.wingu.templates.testing.AxeBrowser;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The console's journeys in headless Chromium against a control plane that provisions for real: an
 * operator onboards an institution, its admin asks for a site in Swahili, the operator approves it
 * and watches its conditions appear. Every page visited passes axe-core in both languages.
 */
class ConsoleJourneyIT {

  static ControlPlane plane;
  static AxeBrowser browser;
  static ConsolePageCheck pages;
  static ConsoleBrowser ui;

  @BeforeAll
  static void start() {
    Map<String, String> env = new HashMap<>(TestControlPlane.env("console_journey"));
    env.putAll(TenantDatabaseServer.env());
    env.put("WINGU_KUBECONFIG", ControllerAccount.kubeconfig().toString());
    env.put("WINGU_CONTROLLER_SERVICE_ACCOUNT", ControllerAccount.reference());
    plane = TestControlPlane.start(env);
    ui = ConsoleBrowser.start(plane.url());
    browser = ui.axe();
    pages = ui.pages();
  }

  @AfterAll
  static void stop() {
    ConsoleBrowser.stop(ui, plane);
  }

  static void open(String path) {
    ui.open(path);
  }

  static WebElement find(String css) {
    return ui.find(css);
  }

  static void press(String css) {
    ui.press(css);
  }

  static void type(String id, String text) {
    ui.type(id, text);
  }

  static void signIn(String lang, String username, String password) {
    ui.signIn(lang, username, password);
  }

  static void signOut() {
    ui.signOut();
  }

  static String text() {
    return ui.text();
  }

  @Test
  void anAdminAsksForASiteInSwahiliAndTheOperatorApprovesItUntilItsConditionsShow() {
    String code = unique("c").toLowerCase();
    String admin = code + "-admin";
    String adminPassword = "admin-password-" + code;

    // the operator onboards the institution and its admin, in English
    open("/login?lang=en");
    pages.checkBoth("login", "en");
    signIn("en", TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD);
    pages.checkBoth("operator-home", "en");
    open("/institutions/new?lang=sw");
    press("form[action='/institutions/new'] button[type=submit]");
    pages.check("institution-form-errors", "sw");
    open("/institutions/new?lang=en");
    pages.checkBoth("institution-form", "en");
    press("form[action='/institutions/new'] button[type=submit]");
    pages.check("institution-form-errors", "en");
    assertThat(find(".error-summary a[href='#code']").getText()).startsWith("Enter a code");
    find(".error-summary a[href='#code']").click();
    assertThat(browser.driver().switchTo().activeElement().getAttribute("id")).isEqualTo("code");
    type("code", code);
    type("name", "Ministry of Water " + code);
    type("nameSw", "Wizara ya Maji " + code);
    type("domains", code + ".go.tz");
    type("contactEmail", "ict@" + code + ".go.tz");
    press("form[action='/institutions/new'] button[type=submit]");
    assertThat(text()).contains("The institution has been onboarded");
    pages.checkBoth("institution-detail", "en");
    type("username", admin);
    type("password", adminPassword);
    press("form[action$='/users'] button[type=submit]");
    assertThat(text()).contains("The user has been added").contains(admin);
    signOut();

    // the institution admin asks for a site: a look at the form in English first, then for real in
    // Swahili
    signIn("en", admin, adminPassword);
    pages.checkBoth("admin-home", "en");
    open("/requests/new?lang=en");
    press("form[action='/requests/new'] button[type=submit]");
    pages.check("request-form-errors", "en");
    fillRequest(code);
    pages.check("request-check", "en");
    press("button[name=action][value=change]");
    assertThat(find("#siteName").getAttribute("value")).isEqualTo("tovuti");
    pages.check("request-form-changed", "en");

    open("/requests/new?lang=sw");
    pages.check("request-form", "sw");
    press("form[action='/requests/new'] button[type=submit]");
    pages.check("request-form-errors", "sw");
    assertThat(find(".error-summary h2").getText()).isEqualTo("Kuna tatizo");
    // the summary lists the problems in the order of the fields
    assertThat(
            browser.driver().findElements(By.cssSelector(".error-summary a")).stream()
                .map(a -> a.getAttribute("href").replaceAll(".*#", "")))
        .containsExactly("siteName", "hostnames", "plan", "justification");
    // a hostname outside the institution's domains is refused on the first step, not after sending
    type("siteName", "nje");
    type("hostnames", "www.nje-ya-taasisi.go.tz");
    find("#plan").click();
    type("justification", "x");
    press("form[action='/requests/new'] button[type=submit]");
    assertThat(find("h1").getText()).isEqualTo(Messages.load().text("sw", "requestForm.title"));
    assertThat(find(".error-summary a[href='#hostnames']").getText())
        .startsWith("Jina la mwenyeji haliko ndani ya vikoa vya taasisi yako");
    pages.check("request-form-outside-domains", "sw");
    fillRequest(code);
    pages.check("request-check", "sw");
    assertThat(text())
        .contains("Hakiki majibu yako")
        .contains("www." + code + ".go.tz")
        .contains("Ndogo")
        .doesNotContain("ministry-portal");
    press("button[name=action][value=submit]");
    assertThat(text()).contains("Ombi limetumwa").contains("Inasubiri");
    assertThat(text())
        .contains("Wizara ya Maji " + code)
        .contains("PostgreSQL")
        .contains("vCPU 0.5, kumbukumbu 512 MB, hifadhi 5 GB")
        .doesNotContain("postgresql")
        .doesNotContain("(hostnames)")
        .doesNotContain("512Mi");
    pages.checkBoth("request-submitted", "sw");
    // the admin's home page shows the request just made and its state, not "no sites yet"
    open("/?lang=sw");
    assertThat(find("ul.requests").getText()).contains("tovuti").contains("Inasubiri");
    assertThat(text()).doesNotContain(Messages.load().text("sw", "sites.none"));
    pages.check("admin-home-request", "sw");
    // the Taasisi menu's one row is named with a link
    open("/institutions?lang=sw");
    assertThat(find("table tbody tr td a").getText()).isEqualTo("Wizara ya Maji " + code);
    signOut();

    // the operator approves it from the queue and watches the site's conditions
    signIn("en", TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD);
    // the queue names the institution that asked, in the page's language
    open("/requests?status=PENDING&lang=sw");
    assertThat(
            browser.driver().findElements(By.cssSelector("table tbody tr")).stream()
                .map(WebElement::getText))
        .anyMatch(row -> row.startsWith("Wizara ya Maji " + code) && row.contains("tovuti"));
    open("/requests?status=PENDING&lang=en");
    assertThat(text()).contains("Ministry of Water " + code);
    pages.checkBoth("request-queue", "en");
    browser.driver().findElements(By.cssSelector("table tbody tr")).stream()
        .filter(row -> row.getText().startsWith("Ministry of Water " + code))
        .findFirst()
        .orElseThrow()
        .findElement(By.cssSelector("a[href^='/requests/']"))
        .click();
    assertThat(find("p.caption").getText()).isEqualTo("Ministry of Water " + code);
    pages.checkBoth("request-decide", "en");
    type("note", "Imekaguliwa na kukubaliwa");
    press("form[action$='/approve'] button[type=submit]");
    assertThat(text()).contains("The request has been approved");
    pages.checkBoth("request-approved", "en");
    press("a[href^='/sites/']");
    awaitCondition("Namespace ready");
    assertThat(text()).contains("Quota applied").contains("Applied to the platform");
    pages.checkBoth("site-conditions", "en");
    String sitePath = URI.create(browser.driver().getCurrentUrl()).getPath();
    // the conditions in Swahili: every type and reason in words, no English
    open(sitePath + "?lang=sw");
    assertThat(find("#conditions").getText())
        .contains("Imewekwa kwenye jukwaa")
        .doesNotContain("Applied")
        .doesNotContain("no replica")
        .doesNotContain("No quota alert");
    open("/audit?lang=en");
    assertThat(text())
        .contains("The hash chain is intact")
        .contains("Approved a request")
        .doesNotContain("request.approve");
    pages.checkBoth("audit", "en");
    // in Swahili, filtered by action and institution: named in words, the note shown, linked
    open("/audit?lang=sw&action=request.approve&actor=" + TestControlPlane.OPERATOR);
    new org.openqa.selenium.support.ui.Select(find("#institution"))
        .selectByVisibleText("Wizara ya Maji " + code);
    press("form[action='/audit'] button[type=submit]");
    java.util.List<WebElement> rows =
        browser.driver().findElements(By.cssSelector("table.audit tbody tr"));
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).getText())
        .contains("Wizara ya Maji " + code)
        .contains("Ameidhinisha ombi")
        .contains("Imekaguliwa na kukubaliwa")
        .doesNotContainPattern("[0-9a-f]{8}-[0-9a-f]{4}-");
    assertThat(rows.get(0).findElement(By.cssSelector("a[href^='/requests/']")).getText())
        .isEqualTo("tovuti");
    pages.check("audit-filtered", "sw");

    // the operator gives the institution a webmaster
    open("/institutions");
    press("a[href^='/institutions/']:not([href='/institutions/new'])");
    type("username", code + "-web");
    type("password", "webmaster-password-" + code);
    find("#role-webmaster").click();
    press("form[action$='/users'] button[type=submit]");
    assertThat(text()).contains(code + "-web");
    signOut();

    // the webmaster publishes the site in Swahili: deploy, deploy again, roll back
    signIn("sw", code + "-web", "webmaster-password-" + code);
    open(sitePath);
    pages.checkBoth("webmaster-site", "sw");
    press("a[href$='/deploy']");
    pages.checkBoth("deploy", "sw");
    // publishing with nothing filled: what is missing, by the form's own names
    press("form[method=post][action$='/deploy'] button[type=submit]");
    pages.check("deploy-missing", "sw");
    assertThat(find(".error-summary").getText()).contains("Weka jina (Kiswahili)");
    press("a[href*='/deploy/institution']");
    pages.checkBoth("deploy-institution", "sw");
    assertThat(find("#p-institution-name-sw").getAttribute("value")).isEmpty();
    type("p-institution-name-sw", "Wizara ya Maji na Umwagiliaji");
    type("p-institution-name-en", "Ministry of Water and Irrigation");
    new org.openqa.selenium.support.ui.Select(find("#p-palette")).selectByValue("bahari");
    press(
        "form[action$='/deploy/institution'] button.button:not(.secondary):not(.visually-hidden)");
    // the head of institution, with a photo picked in the form
    assertThat(text()).contains("Sehemu imehifadhiwa kama rasimu");
    type("p-head-name", "Mhandisi Juma Hassan");
    type("p-head-title-sw", "Waziri");
    type("p-head-title-en", "Minister");
    java.nio.file.Path photo;
    try {
      photo = java.nio.file.Files.createTempFile("picha", ".png");
      java.nio.file.Files.write(photo, ConsoleWithoutJavaScriptIT.png());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    find("#p-head-photo").sendKeys(photo.toString());
    press("form[action$='/deploy/head'] button.button:not(.secondary):not(.visually-hidden)");
    // contacts: an invalid e-mail is answered in Swahili by name
    type("p-contacts-address-sw", "Mtumba, Dodoma");
    type("p-contacts-address-en", "Mtumba, Dodoma");
    type("p-contacts-email", "barua-isiyo-sahihi");
    press("form[action$='/deploy/contacts'] button.button:not(.secondary):not(.visually-hidden)");
    pages.check("deploy-section-errors", "sw");
    assertThat(find("#p-contacts-email-error").getText()).contains("Barua pepe si sahihi");
    assertThat(find("#p-contacts-address-sw").getAttribute("value")).isEqualTo("Mtumba, Dodoma");
    type("p-contacts-email", "info@maji.go.tz");
    press("form[action$='/deploy/contacts'] button.button:not(.secondary):not(.visually-hidden)");
    // services: a list edited with its buttons
    press("button[value='add:services']");
    type("p-services-0--title-sw", "Kuunganishiwa maji");
    type("p-services-0--title-en", "Water connections");
    type("p-services-0--description-sw", "Jinsi ya kuomba");
    type("p-services-0--description-en", "How to apply");
    press("button[value='add:services']");
    pages.checkBoth("deploy-services", "sw");
    press("button[value='remove:services:1']");
    assertThat(browser.driver().findElements(By.cssSelector("input[name$='.title.sw']")))
        .hasSize(1);
    open(sitePath + "/deploy/head");
    assertThat(find("img.thumbnail").getAttribute("src")).contains("/images/");
    pages.checkBoth("deploy-head", "sw");
    open(sitePath + "/deploy");
    assertThat(text()).contains("tovuti iko tayari kuchapishwa");
    press("form[method=post][action$='/deploy'] button[type=submit]");
    assertThat(text()).contains("Toleo jipya limesambazwa");
    open(sitePath + "/deploy/institution");
    type("p-institution-tagline-sw", "Maji safi kwa kila mwananchi, kila siku");
    type("p-institution-tagline-en", "Clean water for every citizen, every day");
    press(
        "form[action$='/deploy/institution'] button.button:not(.secondary):not(.visually-hidden)");
    open(sitePath + "/deploy");
    press("form[method=post][action$='/deploy'] button[type=submit]");
    assertThat(browser.driver().findElements(By.cssSelector("form[action$='/rollback']")))
        .hasSize(1);
    pages.checkBoth("deploy-revisions", "sw");
    press("form[action$='/rollback'] button[type=submit]");
    assertThat(text()).contains("Tovuti imerudishwa");
    assertThat(find("table tbody tr:last-child").getText()).contains("la sasa");
    press("a[href*='/preview?revision=2']");
    assertThat(browser.driver().getPageSource())
        .containsAnyOf(
            "Maji safi kwa kila mwananchi, kila siku", "Clean water for every citizen, every day")
        .doesNotContain("Amina Juma");
  }

  @Test
  void usageAgainstQuotaCapacityPerNodeAndTheMonthlyReportAreDrawnAndTabled() throws Exception {
    String code = unique("u").toLowerCase();
    String node = "node-" + code;
    // an institution with an approved site, through the API
    ApiClient operator =
        ApiClient.signIn(
            plane.url(), TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD);
    String institution =
        operator
            .post(
                "/api/v1/institutions",
                new JsonObject()
                    .put("code", code)
                    .put("name", "Ministry of Energy " + code)
                    .put("nameSw", "Wizara ya Nishati " + code)
                    .put("domains", new JsonArray().add(code + ".go.tz"))
                    .put("contactEmail", "ict@" + code + ".go.tz"))
            .json()
            .getString("id");
    assertThat(
            operator
                .post(
                    "/api/v1/institutions/" + institution + "/users",
                    new JsonObject()
                        .put("username", code + "-admin")
                        .put("password", "admin-password-" + code)
                        .put("role", "institution-admin"))
                .status())
        .isEqualTo(201);
    ApiClient admin = ApiClient.signIn(plane.url(), code + "-admin", "admin-password-" + code);
    String request =
        admin
            .post(
                "/api/v1/requests",
                new JsonObject()
                    .put("siteName", "nishati")
                    .put("hostnames", new JsonArray().add("www." + code + ".go.tz"))
                    .put("plan", "small")
                    .put("database", new JsonObject().put("engine", "postgresql"))
                    .put("justification", "x"))
            .json()
            .getString("id");
    assertThat(operator.post("/api/v1/requests/" + request + "/approve", new JsonObject()).status())
        .isEqualTo(200);
    String site = operator.get("/api/v1/requests/" + request).json().getString("siteId");
    // its database on the tenant server is measured once an hour
    Eventually.holds(
        "the site's database is ready",
        () ->
            operator.get("/api/v1/sites/" + site).json().getJsonArray("conditions").stream()
                .map(JsonObject.class::cast)
                .anyMatch(
                    c ->
                        c.getString("type").equals("DatabaseReady")
                            && c.getString("status").equals("True")),
        Duration.ofSeconds(60));
    plane.provisioner().sampleDatabaseSizes().toCompletionStage().toCompletableFuture().get();
    assertThat(
            plane
                .provisioner()
                .sampleDatabaseSizes()
                .toCompletionStage()
                .toCompletableFuture()
                .get())
        .as("each database is measured once an hour")
        .isZero();
    JsonObject usage = admin.get("/api/v1/usage/institutions/" + institution).json();
    assertThat(usage.getJsonObject("quota").getLong("databaseBytes")).isPositive();
    assertThat(usage.getJsonArray("databaseSeries"))
        .singleElement()
        .satisfies(p -> assertThat(((JsonObject) p).getLong("bytes")).isGreaterThan(1L << 20));
    // a node Kubernetes knows, with a pod placed on it asking 300m and 1Gi
    try (KubernetesClient k8s = TestCluster.adminClient()) {
      k8s.nodes()
          .resource(new NodeBuilder().withNewMetadata().withName(node).endMetadata().build())
          .create();
      k8s.nodes()
          .withName(node)
          .editStatus(
              n ->
                  new NodeBuilder(n)
                      .withNewStatus()
                      .addToAllocatable("cpu", new Quantity("3800m"))
                      .addToAllocatable("memory", new Quantity("15Gi"))
                      .endStatus()
                      .build());
      k8s.namespaces()
          .resource(
              new NamespaceBuilder()
                  .withNewMetadata()
                  .withName("console-usage")
                  .endMetadata()
                  .build())
          .serverSideApply();
      k8s.pods()
          .inNamespace("console-usage")
          .resource(
              new PodBuilder()
                  .withNewMetadata()
                  .withName("app-" + code)
                  .endMetadata()
                  .withNewSpec()
                  .withNodeName(node)
                  .addNewContainer()
                  .withName("app")
                  .withImage("nginx")
                  .withNewResources()
                  .addToRequests("cpu", new Quantity("300m"))
                  .addToRequests("memory", new Quantity("1Gi"))
                  .endResources()
                  .endContainer()
                  .endSpec()
                  .build())
          .create();
    }
    // the institution's pod on that node (an agent's samples count only for pods the cluster places
    // there)
    String webUid =
        io.wingu.controlplane.usage.ClusterPods.placed(plane, "inst-" + code, "web", node);
    // its agent reports the institution's pods at 90 % of the CPU quota; the rollup raises the
    // alert
    ApiClient agent =
        ApiClient.withToken(
            plane.url(),
            operator
                .post("/api/v1/agent/tokens", new JsonObject().put("nodeName", node))
                .json()
                .getString("accessToken"));
    Instant now = Instant.now();
    for (int i = 0; i < 3; i++) {
      JsonObject report =
          new JsonObject()
              .put("nodeName", node)
              .put("seq", i)
              .put("collectedAt", now.minusSeconds(i).toString())
              .put(
                  "node",
                  new JsonObject()
                      .put("cpuCapacityMillis", 4000)
                      .put("cpuUsedMillis", 1200)
                      .put("memoryCapacityBytes", 16L << 30)
                      .put("memoryUsedBytes", 6L << 30)
                      .put("fsCapacityBytes", 100L << 30)
                      .put("fsUsedBytes", 10L << 30))
              .put(
                  "pods",
                  new JsonArray()
                      .add(
                          new JsonObject()
                              .put("namespace", "inst-" + code)
                              .put("name", "web")
                              .put("uid", webUid)
                              .put("cpuMillis", 450)
                              .put("memoryBytes", 200L << 20)
                              .put("netRxBytes", 1000 * i)
                              .put("netTxBytes", 500 * i)));
      assertThat(agent.post("/api/v1/agent/reports", report).status()).isEqualTo(202);
    }
    plane.usage().rollUp().toCompletionStage().toCompletableFuture().get();

    // the operator: capacity per node, the monthly report, the institution's usage (in a session of
    // its own, whichever journey ran before in this browser)
    open("/login");
    browser.driver().manage().deleteAllCookies();
    signIn("en", TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD);
    press("a[href='/usage/nodes']");
    assertThat(
            find("svg[role=img][aria-labelledby='node-cpu-chart-title node-cpu-chart-desc'] title")
                .getAttribute("textContent"))
        .isEqualTo("CPU per node, in cores: allocatable, requested and used");
    WebElement row =
        browser.driver().findElements(By.cssSelector("table tbody tr")).stream()
            .filter(r -> r.getText().startsWith(node))
            .findFirst()
            .orElseThrow();
    assertThat(row.getText()).contains("3.8").contains("0.3").contains("1.2").contains("15");
    pages.checkBoth("usage-nodes", "en");
    press("a[href='/usage/report']");
    String month = java.time.YearMonth.now(java.time.ZoneOffset.UTC).toString();
    assertThat(find("input#month").getAttribute("value")).isEqualTo(month);
    assertThat(text()).contains("Ministry of Energy " + code);
    pages.checkBoth("usage-report", "en");
    open("/usage/report?lang=sw");
    assertThat(text()).contains("Wizara ya Nishati " + code).doesNotContain("Ministry of Energy");
    open("/usage/report?month=2026-13&lang=en");
    assertThat(find(".error-summary a[href='#month']").getText()).startsWith("Enter a month");
    pages.check("usage-report-errors", "en");
    open("/institutions/" + institution);
    press("main a[href$='/usage']");
    assertThat(find("svg[role=img] desc").getAttribute("textContent"))
        .contains("0.45")
        .contains("0.5");
    assertThat(text()).contains("Quota alerts").contains("80 %").contains("Databases (MiB)");
    assertThat(browser.driver().findElements(By.cssSelector("svg[role=img]"))).hasSize(3);
    pages.checkBoth("usage-institution", "en");
    open("/sites/" + site + "?lang=en");
    assertThat(
            browser.driver().findElements(By.cssSelector("#conditions tbody tr")).stream()
                .map(WebElement::getText))
        .anyMatch(
            t ->
                t.startsWith("Within quota")
                    && t.contains("No")
                    && t.contains("Today the institution used 80 % or more of its quota"));
    signOut();

    // the institution's admin sees its usage against quota in Swahili; the platform's pages are not
    // theirs
    signIn("sw", code + "-admin", "admin-password-" + code);
    open("/institutions/" + institution);
    press("main a[href$='/usage']");
    new org.openqa.selenium.support.ui.Select(find("#range")).selectByValue("7d");
    press("form[action$='/usage'] button[type=submit]");
    assertThat(browser.driver().getCurrentUrl()).contains("range=7d");
    assertThat(find("h1").getText()).isEqualTo("Matumizi: Wizara ya Nishati " + code);
    pages.checkBoth("admin-usage", "sw");
    open("/institutions/" + institution + "/usage?range=forever&lang=sw");
    assertThat(find(".error-summary a[href='#range']").getText()).startsWith("Chagua mojawapo");
    pages.check("admin-usage-errors", "sw");
    open("/usage/nodes");
    assertThat(find("h1").getText()).isEqualTo(Messages.load().text("sw", "error.forbidden.title"));
    signOut();

    // without a browser: the GET forms and the CSV download
    ConsoleClient client = new ConsoleClient(plane.url());
    client.signIn(TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD);
    client.get("/usage/report");
    var chosen = client.submit("form[action='/usage/report']", Map.of("month", month));
    assertThat(chosen.status()).isEqualTo(200);
    String csvPath = chosen.document().select("a[href^='/usage/report.csv']").attr("href");
    var csv = client.get(csvPath);
    assertThat(csv.response().headers().firstValue("Content-Type").orElseThrow())
        .startsWith("text/csv");
    assertThat(csv.response().body())
        .startsWith("institution_id,code,name,cpu_core_hours")
        .contains(institution + "," + code + ",\"Ministry of Energy " + code + "\"");
    assertThat(client.get("/usage/report.csv?month=soon").status()).isEqualTo(400);
  }

  static void fillRequest(String code) {
    type("siteName", "tovuti");
    type("hostnames", "www." + code + ".go.tz\n" + code + ".go.tz");
    find("#plan").click();
    find("#templateId-ministry-portal").click();
    find("#database").click();
    type("justification", "Tovuti rasmi ya wizara / the ministry's official site");
    press("form[action='/requests/new'] button[type=submit]");
  }

  /**
   * Reloads the site's page until the condition's row says Yes (the reconciler works meanwhile).
   */
  static void awaitCondition(String label) {
    Instant end = Instant.now().plus(Duration.ofSeconds(120));
    while (Instant.now().isBefore(end)) {
      boolean ready =
          browser.driver().findElements(By.cssSelector("#conditions tbody tr")).stream()
              .anyMatch(row -> row.getText().startsWith(label) && row.getText().contains("Yes"));
      if (ready) {
        return;
      }
      browser.driver().navigate().refresh();
    }
    throw new AssertionError("the condition '" + label + "' did not become true: " + text());
  }
}
