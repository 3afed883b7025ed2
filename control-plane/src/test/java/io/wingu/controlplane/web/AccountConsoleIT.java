package io.wingu.controlplane.web;

import static io.wingu.controlplane.testing.SharedControlPlane.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.TestControlPlane;
import io.wingu.controlplane.wiring.ControlPlane;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A person's sessions, password change, an institution admin's people page (disable, reset code)
 * and the reset page, in headless Chromium with axe-core in Swahili and English.
 */
class AccountConsoleIT {

  static ControlPlane plane;
  static ConsoleBrowser ui;
  static ApiClient operator;

  @BeforeAll
  static void start() {
    Map<String, String> env = new HashMap<>(TestControlPlane.env("console_accounts"));
    env.put("WINGU_LOGIN_RATE", "10000");
    plane = TestControlPlane.start(env);
    operator =
        ApiClient.signIn(
            plane.url(), TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD);
    ui = ConsoleBrowser.start(plane.url());
  }

  @BeforeEach
  void signedOut() {
    ui.axe().driver().manage().deleteAllCookies();
  }

  @AfterAll
  static void stop() {
    ConsoleBrowser.stop(ui, plane);
  }

  private static String newAuditor() {
    String username = unique("acc").toLowerCase();
    var made =
        operator.post(
            "/api/v1/users",
            new JsonObject()
                .put("username", username)
                .put("password", "password-" + username)
                .put("role", "auditor"));
    assertThat(made.status()).as(made.body()).isEqualTo(201);
    return username;
  }

  @Test
  void aPersonSeesTheirSessionsEndsThemAndChangesThePassword() {
    for (String lang : List.of("sw", "en")) {
      String username = newAuditor();
      String password = "password-" + username;
      ApiClient elsewhere = ApiClient.signIn(plane.url(), username, password);
      ui.signIn(lang, username, password);
      ui.press("nav a[href='/account/sessions']");
      ui.pages().checkBoth("sessions", lang);
      assertThat(ui.findAll("#session-table tbody tr")).hasSize(2);
      assertThat(ui.find("#current-session").getText()).isNotBlank();

      ui.press("#session-table form[action$='/end'] button");
      assertThat(elsewhere.get("/api/v1/me").status()).isEqualTo(401);
      assertThat(ui.findAll("#session-table tbody tr")).hasSize(1);
      ui.pages().check("session-ended", lang);

      ui.open("/account/password?lang=" + lang);
      ui.type("current", "not-my-password");
      ui.type("new", "a-brand-new-password-" + username);
      ui.press("#change-password");
      ui.pages().check("password-wrong-current", lang);
      ui.type("current", password);
      ui.type("new", "123qweasdzxc");
      ui.press("#change-password");
      ui.pages().check("password-breached", lang);
      ui.type("current", password);
      ui.type("new", "a-brand-new-password-" + username);
      ui.press("#change-password");
      assertThat(ui.path()).isEqualTo("/account/sessions");
      ui.pages().check("password-changed", lang);
      ui.press("#end-others");
      assertThat(ui.path()).isEqualTo("/account/sessions");
      ui.signOut();
    }
  }

  @Test
  void anInstitutionAdminDisablesAPersonAndIssuesAResetCodeTheyUse() {
    String code = unique("ac").toLowerCase();
    var inst =
        operator.post(
            "/api/v1/institutions",
            new JsonObject()
                .put("code", code)
                .put("name", "Institution " + code)
                .put("nameSw", "Taasisi " + code)
                .put("domains", new JsonArray().add(code + ".go.tz"))
                .put("contactEmail", "ict@" + code + ".go.tz"));
    assertThat(inst.status()).as(inst.body()).isEqualTo(201);
    String id = inst.json().getString("id");
    for (String[] user :
        List.of(
            new String[] {code + "-admin", "institution-admin"},
            new String[] {code + "-web", "webmaster"})) {
      var made =
          operator.post(
              "/api/v1/institutions/" + id + "/users",
              new JsonObject()
                  .put("username", user[0])
                  .put("password", "password-" + user[0])
                  .put("role", user[1]));
      assertThat(made.status()).as(made.body()).isEqualTo(201);
    }
    String webmaster = code + "-web";
    ApiClient webSession = ApiClient.signIn(plane.url(), webmaster, "password-" + webmaster);

    for (String lang : List.of("en", "sw")) {
      ui.signIn(lang, code + "-admin", "password-" + code + "-admin");
      ui.open("/institutions/" + id + "?lang=" + lang);
      ui.press("#people-link");
      ui.pages().checkBoth("people", lang);
      ui.press("#people-table form[action$='/disable'] button");
      ui.pages().check("people-disabled", lang);
      assertThat(webSession.get("/api/v1/me").status()).isEqualTo(401);
      ui.press("#people-table form[action$='/enable'] button");
      ui.press("#people-table form[action$='/reset'] button");
      ui.pages().check("people-reset-code", lang);
      String resetCode = ui.find("#reset-code code").getText();
      ui.signOut();

      String newPassword = "reset-password-" + lang + "-" + webmaster;
      ui.open("/login?lang=" + lang);
      ui.press("#reset-link");
      ui.pages().checkBoth("password-reset", lang);
      ui.type("username", webmaster);
      ui.type("code", "WRONG-WRONG-WRONG-WRONG");
      ui.type("newPassword", newPassword);
      ui.press("#reset-password");
      ui.pages().check("password-reset-wrong", lang);
      ui.type("code", resetCode);
      ui.type("newPassword", newPassword);
      ui.press("#reset-password");
      assertThat(ui.path()).isEqualTo("/login");
      ui.pages().check("password-reset-done", lang);
      webSession = ApiClient.signIn(plane.url(), webmaster, newPassword);
    }
  }
}
