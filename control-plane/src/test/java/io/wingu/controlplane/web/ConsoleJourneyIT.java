package io.wingu.controlplane.web;

import static io.wingu.controlplane.testing.SharedControlPlane.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.wingu.controlplane.app.ControlPlane;
import io.wingu.controlplane.testing.ControllerAccount;
import io.wingu.controlplane.testing.TenantDatabaseServer;
import io.wingu.controlplane.testing.TestControlPlane;
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
 * The console's journeys in headless Chromium against a control plane that provisions for real:
 * an operator onboards an institution, its admin asks for a site in Swahili, the operator approves
 * it and watches its conditions appear. Every page visited passes axe-core in both languages.
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

    // the institution admin asks for a site: a look at the form in English first, then for real in Swahili
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
    assertThat(browser.driver().findElements(By.cssSelector(".error-summary a")).stream()
        .map(a -> a.getAttribute("href").replaceAll(".*#", "")))
        .contains("siteName", "hostnames", "plan", "justification");
    fillRequest(code);
    pages.check("request-check", "sw");
    assertThat(text()).contains("Hakiki majibu yako").contains("www." + code + ".go.tz");
    press("button[name=action][value=submit]");
    assertThat(text()).contains("Ombi limetumwa").contains("Inasubiri");
    pages.checkBoth("request-submitted", "sw");
    signOut();

    // the operator approves it from the queue and watches the site's conditions
    signIn("en", TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD);
    open("/requests?status=PENDING");
    pages.checkBoth("request-queue", "en");
    press("a[href^='/requests/']:not([href='/requests/new'])");
    pages.checkBoth("request-decide", "en");
    press("form[action$='/approve'] button[type=submit]");
    assertThat(text()).contains("The request has been approved");
    pages.checkBoth("request-approved", "en");
    press("a[href^='/sites/']");
    awaitCondition("Namespace ready");
    assertThat(text()).contains("Quota applied");
    pages.checkBoth("site-conditions", "en");
    String sitePath = URI.create(browser.driver().getCurrentUrl()).getPath();
    open("/audit");
    assertThat(text()).contains("The hash chain is intact").contains("request.approve");
    pages.checkBoth("audit", "en");

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
    type("p-institution-name-sw", "");
    press("form[method=post][action$='/deploy'] button[type=submit]");
    pages.check("deploy-errors", "sw");
    assertThat(find("#p-institution-name-sw-error").getText()).contains("Hili halilingani na kiolezo");
    type("p-institution-name-sw", "Wizara ya Maji");
    press("form[method=post][action$='/deploy'] button[type=submit]");
    assertThat(text()).contains("Toleo jipya limesambazwa");
    type("p-institution-tagline-sw", "Maji safi kwa kila mwananchi, kila siku");
    type("p-institution-tagline-en", "Clean water for every citizen, every day");
    press("form[method=post][action$='/deploy'] button[type=submit]");
    assertThat(browser.driver().findElements(By.cssSelector("form[action$='/rollback']"))).hasSize(1);
    pages.checkBoth("deploy-revisions", "sw");
    press("form[action$='/rollback'] button[type=submit]");
    assertThat(text()).contains("Tovuti imerudishwa");
    assertThat(find("table tbody tr:last-child").getText()).contains("la sasa");
    press("a[href*='/preview?revision=2']");
    assertThat(browser.driver().getPageSource()).containsAnyOf("Maji safi kwa kila mwananchi, kila siku",
        "Clean water for every citizen, every day");
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

  /** Reloads the site's page until the condition's row says Yes (the reconciler works meanwhile). */
  static void awaitCondition(String label) {
    Instant end = Instant.now().plus(Duration.ofSeconds(120));
    while (Instant.now().isBefore(end)) {
      boolean ready = browser.driver().findElements(By.cssSelector("#conditions tbody tr")).stream()
          .anyMatch(row -> row.getText().startsWith(label) && row.getText().contains("Yes"));
      if (ready) {
        return;
      }
      browser.driver().navigate().refresh();
    }
    throw new AssertionError("the condition '" + label + "' did not become true: " + text());
  }
}
