package io.wingu.controlplane.web;

import static io.wingu.controlplane.testing.SharedControlPlane.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.Eventually;
import io.wingu.controlplane.testing.Mailpit;
import io.wingu.controlplane.testing.SharedControlPlane;
import io.wingu.controlplane.testing.TestControlPlane;
import io.wingu.controlplane.wiring.ControlPlane;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A person's sessions, password change, notifications (what was sent, what could not be delivered,
 * preferences), an institution admin's people page (disable, reset code), the reset page and an
 * operator's mandatory notifications, in headless Chromium with axe-core in Swahili and English.
 * Mail goes to a real SMTP server (Mailpit) that refuses every address outside {@code .go.tz}.
 */
class AccountConsoleIT {

  static ControlPlane plane;
  static ConsoleBrowser ui;
  static ApiClient operator;
  static Mailpit mailpit;

  @BeforeAll
  static void start() throws Exception {
    mailpit = Mailpit.start("go\\.tz>?$");
    Map<String, String> env = new HashMap<>(TestControlPlane.env("console_accounts"));
    env.put("WINGU_LOGIN_RATE", "10000");
    env.put("WINGU_SMTP_HOST", "127.0.0.1");
    env.put("WINGU_SMTP_PORT", String.valueOf(mailpit.smtpPort()));
    env.put("WINGU_SMTP_FROM", "Wingu <no-reply@wingu.go.tz>");
    env.put("WINGU_SMTP_STARTTLS", "DISABLED");
    env.put("WINGU_SMTP_POLL_MILLIS", "100");
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
    if (mailpit != null) {
      mailpit.close();
    }
  }

  /** Waits until the person's newest mail has left the outbox, delivered or refused. */
  private static JsonObject newestMail(ApiClient person, String status) throws Exception {
    Eventually.holds(
        "the newest mail " + status,
        () -> status.equals(newest(person).getString("status")),
        Duration.ofSeconds(60));
    return newest(person);
  }

  private static JsonObject newest(ApiClient person) {
    JsonArray items = person.get("/api/v1/me/notifications?limit=1").json().getJsonArray("items");
    return items.isEmpty() ? new JsonObject() : items.getJsonObject(0);
  }

  @Test
  void aPersonReadsWhatWasSentAndWhatCouldNotBeDeliveredAndChoosesWhatTheyReceive()
      throws Exception {
    Map<String, String> delivered = Map.of("sw", "kimewasilishwa", "en", "delivered");
    Map<String, String> refused =
        Map.of("sw", "hakikuweza kuwasilishwa", "en", "could not be delivered");
    for (String lang : List.of("sw", "en")) {
      JsonObject inst = SharedControlPlane.newInstitution(operator);
      String code = inst.getString("code");
      String id = inst.getString("id");
      String username = code + "-admin";
      var made =
          operator.post(
              "/api/v1/institutions/" + id + "/users",
              new JsonObject()
                  .put("username", username)
                  .put("password", "password-" + username)
                  .put("role", "institution-admin"));
      assertThat(made.status()).as(made.body()).isEqualTo(201);
      ApiClient admin = ApiClient.signIn(plane.url(), username, "password-" + username);
      contact(admin, username + "@" + code + ".go.tz", lang);
      decide(admin, code, "portal", "approve", new JsonObject());
      newestMail(admin, "sent");
      // an address the mail server refuses: recorded as failed, with why, and not tried again
      contact(admin, username + "@gone.example.org", lang);
      decide(admin, code, "library", "reject", new JsonObject().put("reason", "Exists already"));
      JsonObject failed = newestMail(admin, "failed");
      assertThat(failed.getString("error")).contains("refused by the mail server");
      assertThat(failed.getInteger("attempts")).isEqualTo(1);

      ui.signIn(lang, username, "password-" + username);
      ui.press("nav a[href='/account/notifications']");
      ui.pages().checkBoth("notifications", lang);
      var rows = ui.findAll("#notification-table tbody tr");
      assertThat(rows).hasSize(2);
      assertThat(rows.get(0).getText()).contains("library").contains(refused.get(lang));
      assertThat(rows.get(0).getText()).contains("refused by the mail server");
      assertThat(rows.get(1).getText()).contains("portal").contains(delivered.get(lang));
      // a mandatory kind is shown on and cannot be changed
      assertThat(ui.find("#kind-site-suspended").isSelected()).isTrue();
      assertThat(ui.find("#kind-site-suspended").isEnabled()).isFalse();
      assertThat(ui.find("#kind-quota-80").isSelected()).isTrue();
      ui.find("#kind-quota-80").click();
      ui.press("#save-preferences");
      assertThat(ui.find("#notifications-saved").isDisplayed()).isTrue();
      ui.pages().check("notifications-saved", lang);
      assertThat(ui.find("#kind-quota-80").isSelected()).isFalse();
      assertThat(ui.find("#kind-site-suspended").isSelected()).isTrue();
      JsonObject prefs = admin.get("/api/v1/me/notification-preferences").json();
      assertThat(prefs.getBoolean("quota-80")).isFalse();
      assertThat(prefs.getBoolean("site-suspended")).isTrue();
      ui.signOut();
    }
  }

  private static void contact(ApiClient person, String email, String lang) {
    var r =
        person.put(
            "/api/v1/me/contact", new JsonObject().put("email", email).put("language", lang));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
  }

  private static void decide(
      ApiClient admin, String code, String site, String decision, JsonObject body) {
    var request =
        admin.post(
            "/api/v1/requests",
            new JsonObject()
                .put("siteName", site)
                .put("hostnames", new JsonArray().add(site + "." + code + ".go.tz"))
                .put("plan", "small")
                .put("justification", "Citizens need the " + site + " site"));
    assertThat(request.status()).as(request.body()).isEqualTo(201);
    var decided =
        operator.post("/api/v1/requests/" + request.json().getString("id") + "/" + decision, body);
    assertThat(decided.status()).as(decided.body()).isEqualTo(200);
  }

  @Test
  void anOperatorMakesANotificationMandatoryWithoutJavaScript() {
    ui.javaScript(false);
    try {
      for (String lang : List.of("en", "sw")) {
        ui.signIn(lang, TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD);
        ui.press("nav a[href='/settings/notifications']");
        ui.pages().checkBoth("notification-settings", lang);
        assertThat(ui.find("#mandatory-site-suspended").isSelected()).isTrue();
        assertThat(ui.findAll("#mandatory-operator-digest")).isEmpty();
        boolean before = ui.find("#mandatory-quota-100").isSelected();
        ui.find("#mandatory-quota-100").click();
        ui.press("#save-mandatory");
        ui.pages().check("notification-settings-saved", lang);
        assertThat(ui.find("#mandatory-saved").isDisplayed()).isTrue();
        assertThat(ui.find("#mandatory-quota-100").isSelected()).isEqualTo(!before);
        assertThat(operator.get("/api/v1/notifications/mandatory").json().getBoolean("quota-100"))
            .isEqualTo(!before);
        assertThat(
                operator.get("/api/v1/notifications/mandatory").json().getBoolean("site-suspended"))
            .isTrue();
        ui.signOut();
      }
    } finally {
      ui.javaScript(true);
    }
    // the two languages' saves turned it on, then off again
    assertThat(operator.get("/api/v1/notifications/mandatory").json().getBoolean("quota-100"))
        .isFalse();
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
    JsonObject inst = SharedControlPlane.newInstitution(operator);
    String code = inst.getString("code");
    String id = inst.getString("id");
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
