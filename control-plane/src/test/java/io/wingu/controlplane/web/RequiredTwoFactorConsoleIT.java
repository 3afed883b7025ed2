package io.wingu.controlplane.web;

import static io.wingu.controlplane.testing.SharedControlPlane.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.auth.TwoFactor;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.SharedControlPlane;
import io.wingu.controlplane.testing.TestControlPlane;
import io.wingu.controlplane.wiring.ControlPlane;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code WINGU_REQUIRE_2FA=true} in headless Chromium with axe-core: an operator (in Swahili) and
 * an institution admin (in English) who sign in with only a password are led to enrolment before
 * any other page, turn two-factor sign-in on there, and from then on sign in with a code, which the
 * sign-in form asks for in their language.
 */
class RequiredTwoFactorConsoleIT {

  static ControlPlane plane;
  static ConsoleBrowser ui;

  @BeforeAll
  static void start() {
    Map<String, String> env = new HashMap<>(TestControlPlane.env("console_required_2fa"));
    env.put("WINGU_LOGIN_RATE", "10000");
    env.put("WINGU_REQUIRE_2FA", "true");
    plane = TestControlPlane.start(env);
    ui = ConsoleBrowser.start(plane.url());
  }

  @AfterAll
  static void stop() {
    ConsoleBrowser.stop(ui, plane);
  }

  /**
   * Signs in with the password only, is held at enrolment, turns it on; signs in again with a code.
   * One of the recovery codes shown.
   */
  private static String enrolWhenHeld(String lang, String username, String password) {
    ui.signIn(lang, username, password);
    ui.open("/institutions?lang=" + lang);
    assertThat(ui.path()).as("held at enrolment").isEqualTo("/account/two-factor");
    ui.pages().checkBoth("two-factor-required", lang);
    ui.press("#two-factor-start");
    ui.pages().check("two-factor-required-enrol", lang);
    String secret = ui.find("#totp-secret").getText();
    ui.type("code", TwoFactor.code(secret, Instant.now()));
    ui.press("form[action='/account/two-factor/confirm'] button[type=submit]");
    ui.pages().check("two-factor-required-codes", lang);
    assertThat(ui.findAll("#recovery-codes li")).hasSize(10);
    String recovery = ui.find("#recovery-codes li").getText().strip();
    ui.open("/institutions?lang=" + lang);
    assertThat(ui.path()).as("no longer held").isEqualTo("/institutions");
    ui.signOut();

    ui.signIn(lang, username, password);
    assertThat(ui.path()).as("the password alone is refused").isEqualTo("/login");
    ui.pages().check("two-factor-required-login-code", lang);
    ui.open("/login?lang=" + lang);
    ui.type("username", username);
    ui.type("password", password);
    ui.type("totp", TwoFactor.code(secret, Instant.now().plusSeconds(30)));
    ui.press("form[action='/login'] button[type=submit]");
    assertThat(ui.path()).isEqualTo("/");
    ui.signOut();
    return recovery;
  }

  @Test
  void anOperatorAndAnInstitutionAdminAreLedToEnrolmentThenSignInWithACode() {
    String recovery =
        enrolWhenHeld("sw", TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD);

    var login =
        ApiClient.anonymous(plane.url())
            .post(
                "/api/v1/auth/login",
                new JsonObject()
                    .put("username", TestControlPlane.OPERATOR)
                    .put("password", TestControlPlane.OPERATOR_PASSWORD)
                    .put("totp", recovery));
    assertThat(login.status()).as(login.body()).isEqualTo(200);
    ApiClient operator = ApiClient.withToken(plane.url(), login.json().getString("accessToken"));
    JsonObject institution = SharedControlPlane.newInstitution(operator);
    String admin = unique("adm").toLowerCase();
    var made =
        operator.post(
            "/api/v1/institutions/" + institution.getString("id") + "/users",
            new JsonObject()
                .put("username", admin)
                .put("password", "password-" + admin)
                .put("role", "institution-admin"));
    assertThat(made.status()).as(made.body()).isEqualTo(201);

    enrolWhenHeld("en", admin, "password-" + admin);
  }
}
