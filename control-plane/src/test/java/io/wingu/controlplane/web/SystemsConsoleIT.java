package io.wingu.controlplane.web;

import static io.wingu.controlplane.testing.SharedControlPlane.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.TestControlPlane;
import io.wingu.controlplane.wiring.ControlPlane;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/**
 * The ICT systems register in the console: an institution admin keeps it in headless Chromium and
 * with plain forms (no JavaScript), a webmaster reads it, the operator sees the duplicated systems.
 * Every page passes axe-core (WCAG 2.1 AA) in both languages; markup typed into an entry stays
 * text.
 */
class SystemsConsoleIT {

  static final LocalDate TODAY = LocalDate.now(ZoneId.of("Africa/Dar_es_Salaam"));
  static final String SCRIPT_NAME = "<script>alert('x')</script> **HRMIS**";

  static ControlPlane plane;
  static ConsoleBrowser ui;
  static ApiClient operator;

  @BeforeAll
  static void start() {
    Map<String, String> env = new HashMap<>(TestControlPlane.env("console_systems"));
    env.put("WINGU_LOGIN_RATE", "10000");
    plane = TestControlPlane.start(env);
    operator =
        ApiClient.signIn(
            plane.url(), TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD);
    ui = ConsoleBrowser.start(plane.url());
  }

  @AfterAll
  static void stop() {
    ConsoleBrowser.stop(ui, plane);
  }

  /** An institution and a user of it, made over the API; returns the institution. */
  static JsonObject institution(String code, String... users) {
    var r =
        operator.post(
            "/api/v1/institutions",
            new JsonObject()
                .put("code", code)
                .put("name", "Ministry of Lands " + code)
                .put("nameSw", "Wizara ya Ardhi " + code)
                .put("domains", new JsonArray().add(code + ".go.tz"))
                .put("contactEmail", "ict@" + code + ".go.tz"));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    JsonObject inst = r.json();
    for (String user : users) {
      String role = user.endsWith("-web") ? "webmaster" : "institution-admin";
      var u =
          operator.post(
              "/api/v1/institutions/" + inst.getString("id") + "/users",
              new JsonObject()
                  .put("username", user)
                  .put("password", "password-" + user)
                  .put("role", role));
      assertThat(u.status()).as(u.body()).isEqualTo(201);
    }
    return inst;
  }

  @Test
  void anAdminKeepsTheRegisterAWebmasterReadsItAndTheOperatorSeesTheDuplicates() {
    String code = unique("s").toLowerCase();
    JsonObject inst = institution(code, code + "-admin", code + "-web");
    String other = unique("o").toLowerCase();
    JsonObject otherInst = institution(other, other + "-admin");
    ApiClient otherAdmin =
        ApiClient.signIn(plane.url(), other + "-admin", "password-" + other + "-admin");
    assertThat(
            otherAdmin
                .post(
                    "/api/v1/institutions/" + otherInst.getString("id") + "/systems",
                    new JsonObject()
                        .put("name", "Staff records")
                        .put("purpose", "Staff files")
                        .put("category", "hr")
                        .put("hosting", "wingu")
                        .put("builtBy", "In-house")
                        .put("users", 80)
                        .put("reviewedAt", TODAY.toString()))
                .status())
        .isEqualTo(201);
    String register = "/institutions/" + inst.getString("id") + "/systems";

    // the admin reaches its register from the menu, empty at first
    ui.signIn("en", code + "-admin", "password-" + code + "-admin");
    ui.press("nav a[href='/systems']");
    assertThat(ui.path()).isEqualTo(register);
    assertThat(ui.text()).contains("No systems are registered yet");
    ui.pages().checkBoth("systems-register-empty", "en");
    ui.press("a[href$='/systems/new']");
    ui.pages().checkBoth("system-form", "en");

    // a form sent empty names every field in its error summary, in both languages
    ui.open(register + "/new?lang=sw");
    ui.press("form[action$='/systems/new'] button[type=submit]");
    ui.pages().check("system-form-errors", "sw");
    assertThat(ui.find(".error-summary h2").getText()).isEqualTo("Kuna tatizo");
    ui.open(register + "/new?lang=en");
    ui.type("name", SCRIPT_NAME);
    ui.press("form[action$='/systems/new'] button[type=submit]");
    ui.pages().check("system-form-errors", "en");
    assertThat(
            ui.axe().driver().findElements(By.cssSelector(".error-summary a")).stream()
                .map(a -> a.getAttribute("href").replaceAll(".*#", "")))
        .containsExactlyInAnyOrder(
            "purpose", "category", "hosting", "builtBy", "users", "reviewedAt");
    assertThat(ui.find("#name").getAttribute("value")).isEqualTo(SCRIPT_NAME);
    ui.find(".error-summary a[href='#users']").click();
    assertThat(ui.axe().driver().switchTo().activeElement().getAttribute("id")).isEqualTo("users");

    ui.type("purpose", "<b>Payroll</b> and leave for all staff");
    new Select(ui.find("#category")).selectByValue("hr");
    ui.find("#hosting-own-server-room").click();
    ui.type("builtBy", "Soft & Co <i>Ltd</i>");
    ui.type("users", "1200");
    ui.type("reviewedAt", TODAY.minusMonths(14).toString());
    ui.press("form[action$='/systems/new'] button[type=submit]");
    assertThat(ui.text())
        .contains("The system has been added to the register")
        .contains(SCRIPT_NAME)
        .contains("<b>Payroll</b> and leave")
        .contains("Soft & Co <i>Ltd</i>")
        .contains("1,200");
    assertThat(ui.find("table .tag-overdue").getText()).isEqualTo("Review overdue");
    assertThat(ui.axe().driver().findElements(By.cssSelector("main script, main b, main i")))
        .isEmpty();
    assertThat(ui.axe().driver().getPageSource()).contains("&lt;script&gt;alert(");
    ui.pages().checkBoth("systems-register", "en");

    // editing keeps the entry's values in the form; a fresh review clears the flag
    ui.press("a[href$='/edit']");
    assertThat(ui.find("#name").getAttribute("value")).isEqualTo(SCRIPT_NAME);
    assertThat(ui.find("#hosting-own-server-room").isSelected()).isTrue();
    ui.pages().checkBoth("system-form-edit", "en");
    ui.type("reviewedAt", TODAY.toString());
    ui.type("users", "1300");
    ui.press("form[action$='/edit'] button[type=submit]");
    assertThat(ui.text()).contains("The register entry has been changed").contains("1,300");
    assertThat(ui.find("table").getText()).doesNotContain("Review overdue");

    // removing asks first
    ui.press("a.danger-link[href$='/delete']");
    assertThat(ui.text()).contains(SCRIPT_NAME).contains("This cannot be undone");
    ui.pages().checkBoth("system-delete", "en");
    ui.press("main .actions a");
    assertThat(ui.path()).isEqualTo(register);
    assertThat(ui.text()).contains(SCRIPT_NAME);
    ui.signOut();

    // a webmaster reads the register in Swahili, without the admin's buttons
    ui.signIn("sw", code + "-web", "password-" + code + "-web");
    ui.press("nav a[href='/systems']");
    assertThat(ui.text())
        .contains("Rejista ya mifumo ya TEHAMA")
        .contains(SCRIPT_NAME)
        .contains("Rasilimali watu");
    assertThat(
            ui.axe()
                .driver()
                .findElements(By.cssSelector("a[href$='/edit'], a[href$='/systems/new']")))
        .isEmpty();
    ui.pages().checkBoth("systems-register-webmaster", "sw");
    ui.open(register + "/new");
    assertThat(ui.find("h1").getText()).isEqualTo("Hairuhusiwi");
    ui.signOut();

    // the operator finds both institutions' HR systems side by side
    ui.signIn("en", TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD);
    ui.press("nav a[href='/systems/duplicates']");
    assertThat(ui.find("h2#group-hr").getText()).isEqualTo("Human resources");
    String hr = ui.find("section[aria-labelledby='group-hr']").getText();
    assertThat(hr)
        .contains("Ministry of Lands " + code)
        .contains("Ministry of Lands " + other)
        .contains(SCRIPT_NAME)
        .contains("Staff records")
        .contains("1,380");
    ui.pages().checkBoth("system-duplicates", "en");
    ui.open("/institutions/" + inst.getString("id"));
    ui.press("main a[href$='/systems']");
    assertThat(ui.text()).contains(SCRIPT_NAME);
    assertThat(ui.axe().driver().findElements(By.cssSelector("a[href$='/edit']"))).isEmpty();
    ui.pages().check("systems-register-operator", "en");
    ui.signOut();
  }

  @Test
  void addingChangingAndRemovingWorkWithPlainForms() {
    String code = unique("j").toLowerCase();
    JsonObject inst = institution(code, code + "-admin");
    String register = "/institutions/" + inst.getString("id") + "/systems";
    ConsoleClient admin = new ConsoleClient(plane.url()).acceptLanguage("sw");
    admin.signIn(code + "-admin", "password-" + code + "-admin");

    admin.get(register + "/new");
    var refused =
        admin.submit(
            "form[action$=/systems/new]",
            Map.of(
                "name",
                "Mfumo wa fedha",
                "purpose",
                "Malipo\nna bajeti",
                "users",
                "mia moja",
                "reviewedAt",
                TODAY.plusDays(3).toString()));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.document().select(".error-summary a").eachAttr("href"))
        .containsExactlyInAnyOrder("#category", "#hosting", "#builtBy", "#users", "#reviewedAt");
    assertThat(refused.document().select("#users-error").text()).contains("namba kamili");
    assertThat(refused.document().select("#name").attr("value")).isEqualTo("Mfumo wa fedha");
    assertThat(refused.document().select("#purpose").first().wholeText())
        .isEqualTo("Malipo\nna bajeti");
    assertThat(refused.document().select("#users").attr("value")).isEqualTo("mia moja");

    var added =
        admin.submit(
            "form[action$=/systems/new]",
            Map.of(
                "category",
                "finance",
                "hosting",
                "government-data-centre",
                "builtBy",
                "Wakala wa Serikali Mtandao",
                "users",
                "75",
                "reviewedAt",
                TODAY.minusYears(2).toString()));
    assertThat(added.status()).isEqualTo(200);
    assertThat(added.response().uri().getPath()).isEqualTo(register);
    assertThat(added.text())
        .contains("Mfumo umeongezwa kwenye rejista")
        .contains("Mfumo wa fedha")
        .contains("Fedha");
    assertThat(added.document().select("table .tag-overdue").text())
        .isEqualTo("Mapitio yamechelewa");

    admin.get(added.document().select("a[href$=/edit]").attr("href"));
    assertThat(admin.current().document().select("#category option[selected]").attr("value"))
        .isEqualTo("finance");
    var changed =
        admin.submit(
            "form[action$=/edit]",
            Map.of("name", "Mfumo wa fedha na bajeti", "reviewedAt", TODAY.toString()));
    assertThat(changed.text())
        .contains("Taarifa za mfumo zimebadilishwa")
        .contains("Mfumo wa fedha na bajeti");
    assertThat(changed.document().select("table").text()).doesNotContain("Mapitio yamechelewa");

    var confirm = admin.get(changed.document().select("a[href$=/delete]").attr("href"));
    assertThat(confirm.document().select("h1").text()).contains("Mfumo wa fedha na bajeti");
    var removed = admin.submit("form[action$=/delete]", Map.of());
    assertThat(removed.text())
        .contains("Mfumo umeondolewa kwenye rejista")
        .contains("Bado hakuna mfumo uliosajiliwa");

    // a form without the session's token is refused; another institution's register is not found
    var forged = admin.postRaw(register + "/new", Map.of("name", "x"));
    assertThat(forged.status()).isEqualTo(403);
    String otherCode = unique("k").toLowerCase();
    JsonObject otherInst = institution(otherCode);
    assertThat(admin.get("/institutions/" + otherInst.getString("id") + "/systems").status())
        .isEqualTo(404);
    assertThat(admin.get("/institutions/" + otherInst.getString("id") + "/systems/new").status())
        .isEqualTo(404);
    assertThat(List.of(admin.get(register).status())).containsExactly(200);
  }
}
