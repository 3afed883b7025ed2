package io.wingu.controlplane.web;

import static io.wingu.controlplane.testing.SharedControlPlane.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.app.ControlPlane;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.TestControlPlane;
import io.wingu.templates.testing.AxeBrowser;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The ICT systems register in the console: an institution admin keeps it in headless Chromium and
 * with plain forms (no JavaScript), a webmaster reads it, the operator sees the duplicated systems.
 * Every page passes axe-core (WCAG 2.1 AA) in both languages; markup typed into an entry stays text.
 */
class SystemsConsoleIT {

  static final LocalDate TODAY = LocalDate.now(ZoneId.of("Africa/Dar_es_Salaam"));
  static final String SCRIPT_NAME = "<script>alert('x')</script> **HRMIS**";

  static ControlPlane plane;
  static AxeBrowser browser;
  static ConsolePageCheck pages;
  static ApiClient operator;

  @BeforeAll
  static void start() {
    Map<String, String> env = new HashMap<>(TestControlPlane.env("console_systems"));
    env.put("WINGU_LOGIN_RATE", "10000");
    plane = TestControlPlane.start(env);
    operator = ApiClient.signIn(plane.url(), TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD);
    browser = AxeBrowser.start();
    pages = new ConsolePageCheck(browser);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (plane != null) {
      plane.close();
    }
  }

  /** An institution and a user of it, made over the API; returns the institution. */
  static JsonObject institution(String code, String... users) {
    var r = operator.post("/api/v1/institutions", new JsonObject().put("code", code)
        .put("name", "Ministry of Lands " + code).put("nameSw", "Wizara ya Ardhi " + code)
        .put("domains", new JsonArray().add(code + ".go.tz")).put("contactEmail", "ict@" + code + ".go.tz"));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    JsonObject inst = r.json();
    for (String user : users) {
      String role = user.endsWith("-web") ? "webmaster" : "institution-admin";
      var u = operator.post("/api/v1/institutions/" + inst.getString("id") + "/users", new JsonObject()
          .put("username", user).put("password", "password-" + user).put("role", role));
      assertThat(u.status()).as(u.body()).isEqualTo(201);
    }
    return inst;
  }

  static void open(String path) {
    browser.open(plane.url().resolve(path).toString());
  }

  static WebElement find(String css) {
    return browser.driver().findElement(By.cssSelector(css));
  }

  static void press(String css) {
    WebElement page = find("html");
    find(css).click();
    new WebDriverWait(browser.driver(), Duration.ofSeconds(30)).until(d -> gone(page));
    new WebDriverWait(browser.driver(), Duration.ofSeconds(30)).until(d ->
        "complete".equals(((org.openqa.selenium.JavascriptExecutor) d).executeScript("return document.readyState")));
  }

  private static boolean gone(WebElement oldRoot) {
    try {
      oldRoot.isEnabled();
      return false;
    } catch (org.openqa.selenium.StaleElementReferenceException e) {
      return true;
    } catch (org.openqa.selenium.WebDriverException e) {
      if (e.getMessage() != null && e.getMessage().contains("does not belong to the document")) {
        return true;
      }
      throw e;
    }
  }

  static void type(String id, String text) {
    WebElement field = find("#" + id);
    field.clear();
    field.sendKeys(text);
  }

  static void signIn(String lang, String username, String password) {
    open("/login?lang=" + lang);
    type("username", username);
    type("password", password);
    press("form[action='/login'] button[type=submit]");
  }

  static void signOut() {
    press("form[action='/logout'] button");
  }

  static String text() {
    return find("main").getText();
  }

  @Test
  void anAdminKeepsTheRegisterAWebmasterReadsItAndTheOperatorSeesTheDuplicates() {
    String code = unique("s").toLowerCase();
    JsonObject inst = institution(code, code + "-admin", code + "-web");
    String other = unique("o").toLowerCase();
    JsonObject otherInst = institution(other, other + "-admin");
    ApiClient otherAdmin = ApiClient.signIn(plane.url(), other + "-admin", "password-" + other + "-admin");
    assertThat(otherAdmin.post("/api/v1/institutions/" + otherInst.getString("id") + "/systems", new JsonObject()
        .put("name", "Staff records").put("purpose", "Staff files").put("category", "hr").put("hosting", "wingu")
        .put("builtBy", "In-house").put("users", 80).put("reviewedAt", TODAY.toString())).status()).isEqualTo(201);
    String register = "/institutions/" + inst.getString("id") + "/systems";

    // the admin reaches its register from the menu, empty at first
    signIn("en", code + "-admin", "password-" + code + "-admin");
    press("nav a[href='/systems']");
    assertThat(URI.create(browser.driver().getCurrentUrl()).getPath()).isEqualTo(register);
    assertThat(text()).contains("No systems are registered yet");
    pages.checkBoth("systems-register-empty", "en");
    press("a[href$='/systems/new']");
    pages.checkBoth("system-form", "en");

    // a form sent empty names every field in its error summary, in both languages
    open(register + "/new?lang=sw");
    press("form[action$='/systems/new'] button[type=submit]");
    pages.check("system-form-errors", "sw");
    assertThat(find(".error-summary h2").getText()).isEqualTo("Kuna tatizo");
    open(register + "/new?lang=en");
    type("name", SCRIPT_NAME);
    press("form[action$='/systems/new'] button[type=submit]");
    pages.check("system-form-errors", "en");
    assertThat(browser.driver().findElements(By.cssSelector(".error-summary a")).stream()
        .map(a -> a.getAttribute("href").replaceAll(".*#", "")))
        .containsExactlyInAnyOrder("purpose", "category", "hosting", "builtBy", "users", "reviewedAt");
    assertThat(find("#name").getAttribute("value")).isEqualTo(SCRIPT_NAME);
    find(".error-summary a[href='#users']").click();
    assertThat(browser.driver().switchTo().activeElement().getAttribute("id")).isEqualTo("users");

    type("purpose", "<b>Payroll</b> and leave for all staff");
    new Select(find("#category")).selectByValue("hr");
    find("#hosting-own-server-room").click();
    type("builtBy", "Soft & Co <i>Ltd</i>");
    type("users", "1200");
    type("reviewedAt", TODAY.minusMonths(14).toString());
    press("form[action$='/systems/new'] button[type=submit]");
    assertThat(text()).contains("The system has been added to the register").contains(SCRIPT_NAME)
        .contains("<b>Payroll</b> and leave").contains("Soft & Co <i>Ltd</i>").contains("1,200");
    assertThat(find("table .tag-overdue").getText()).isEqualTo("Review overdue");
    assertThat(browser.driver().findElements(By.cssSelector("main script, main b, main i"))).isEmpty();
    assertThat(browser.driver().getPageSource()).contains("&lt;script&gt;alert(");
    pages.checkBoth("systems-register", "en");

    // editing keeps the entry's values in the form; a fresh review clears the flag
    press("a[href$='/edit']");
    assertThat(find("#name").getAttribute("value")).isEqualTo(SCRIPT_NAME);
    assertThat(find("#hosting-own-server-room").isSelected()).isTrue();
    pages.checkBoth("system-form-edit", "en");
    type("reviewedAt", TODAY.toString());
    type("users", "1300");
    press("form[action$='/edit'] button[type=submit]");
    assertThat(text()).contains("The register entry has been changed").contains("1,300");
    assertThat(find("table").getText()).doesNotContain("Review overdue");

    // removing asks first
    press("a.danger-link[href$='/delete']");
    assertThat(text()).contains(SCRIPT_NAME).contains("This cannot be undone");
    pages.checkBoth("system-delete", "en");
    press("main .actions a");
    assertThat(URI.create(browser.driver().getCurrentUrl()).getPath()).isEqualTo(register);
    assertThat(text()).contains(SCRIPT_NAME);
    signOut();

    // a webmaster reads the register in Swahili, without the admin's buttons
    signIn("sw", code + "-web", "password-" + code + "-web");
    press("nav a[href='/systems']");
    assertThat(text()).contains("Rejista ya mifumo ya TEHAMA").contains(SCRIPT_NAME).contains("Rasilimali watu");
    assertThat(browser.driver().findElements(By.cssSelector("a[href$='/edit'], a[href$='/systems/new']"))).isEmpty();
    pages.checkBoth("systems-register-webmaster", "sw");
    open(register + "/new");
    assertThat(find("h1").getText()).isEqualTo("Hairuhusiwi");
    signOut();

    // the operator finds both institutions' HR systems side by side
    signIn("en", TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD);
    press("nav a[href='/systems/duplicates']");
    assertThat(find("h2#group-hr").getText()).isEqualTo("Human resources");
    String hr = find("section[aria-labelledby='group-hr']").getText();
    assertThat(hr).contains("Ministry of Lands " + code).contains("Ministry of Lands " + other).contains(SCRIPT_NAME)
        .contains("Staff records").contains("1,380");
    pages.checkBoth("system-duplicates", "en");
    open("/institutions/" + inst.getString("id"));
    press("main a[href$='/systems']");
    assertThat(text()).contains(SCRIPT_NAME);
    assertThat(browser.driver().findElements(By.cssSelector("a[href$='/edit']"))).isEmpty();
    pages.check("systems-register-operator", "en");
    signOut();
  }

  @Test
  void addingChangingAndRemovingWorkWithPlainForms() {
    String code = unique("j").toLowerCase();
    JsonObject inst = institution(code, code + "-admin");
    String register = "/institutions/" + inst.getString("id") + "/systems";
    ConsoleClient admin = new ConsoleClient(plane.url()).acceptLanguage("sw");
    admin.signIn(code + "-admin", "password-" + code + "-admin");

    admin.get(register + "/new");
    var refused = admin.submit("form[action$=/systems/new]", Map.of("name", "Mfumo wa fedha",
        "purpose", "Malipo\nna bajeti", "users", "mia moja", "reviewedAt", TODAY.plusDays(3).toString()));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.document().select(".error-summary a").eachAttr("href"))
        .containsExactlyInAnyOrder("#category", "#hosting", "#builtBy", "#users", "#reviewedAt");
    assertThat(refused.document().select("#users-error").text()).contains("namba kamili");
    assertThat(refused.document().select("#name").attr("value")).isEqualTo("Mfumo wa fedha");
    assertThat(refused.document().select("#purpose").first().wholeText()).isEqualTo("Malipo\nna bajeti");
    assertThat(refused.document().select("#users").attr("value")).isEqualTo("mia moja");

    var added = admin.submit("form[action$=/systems/new]", Map.of("category", "finance",
        "hosting", "government-data-centre", "builtBy", "Wakala wa Serikali Mtandao", "users", "75",
        "reviewedAt", TODAY.minusYears(2).toString()));
    assertThat(added.status()).isEqualTo(200);
    assertThat(added.response().uri().getPath()).isEqualTo(register);
    assertThat(added.text()).contains("Mfumo umeongezwa kwenye rejista").contains("Mfumo wa fedha")
        .contains("Fedha");
    assertThat(added.document().select("table .tag-overdue").text()).isEqualTo("Mapitio yamechelewa");

    admin.get(added.document().select("a[href$=/edit]").attr("href"));
    assertThat(admin.current().document().select("#category option[selected]").attr("value")).isEqualTo("finance");
    var changed = admin.submit("form[action$=/edit]", Map.of("name", "Mfumo wa fedha na bajeti",
        "reviewedAt", TODAY.toString()));
    assertThat(changed.text()).contains("Taarifa za mfumo zimebadilishwa").contains("Mfumo wa fedha na bajeti");
    assertThat(changed.document().select("table").text()).doesNotContain("Mapitio yamechelewa");

    var confirm = admin.get(changed.document().select("a[href$=/delete]").attr("href"));
    assertThat(confirm.document().select("h1").text()).contains("Mfumo wa fedha na bajeti");
    var removed = admin.submit("form[action$=/delete]", Map.of());
    assertThat(removed.text()).contains("Mfumo umeondolewa kwenye rejista").contains("Bado hakuna mfumo uliosajiliwa");

    // a form without the session's token is refused; another institution's register is not found
    var forged = admin.postRaw(register + "/new", Map.of("name", "x"));
    assertThat(forged.status()).isEqualTo(403);
    String otherCode = unique("k").toLowerCase();
    JsonObject otherInst = institution(otherCode);
    assertThat(admin.get("/institutions/" + otherInst.getString("id") + "/systems").status()).isEqualTo(404);
    assertThat(admin.get("/institutions/" + otherInst.getString("id") + "/systems/new").status()).isEqualTo(404);
    assertThat(List.of(admin.get(register).status())).containsExactly(200);
  }
}
