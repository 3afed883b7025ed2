package io.wingu.controlplane.web;

import static io.wingu.controlplane.testing.SharedControlPlane.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.auth.TwoFactor;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.FreePort;
import io.wingu.controlplane.testing.TenantSite;
import io.wingu.controlplane.testing.TestControlPlane;
import io.wingu.controlplane.wiring.ControlPlane;
import java.net.InetAddress;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Identity in headless Chromium, each page checked with axe-core (WCAG 2.1 AA) in Swahili and
 * English: sign-in through the Authority's provider (a real one on loopback), two-factor enrolment
 * and sign-in with a code, and a webmaster making a deploy token that then works.
 */
class IdentityConsoleIT {

  static MockOAuth2Server provider;
  static ControlPlane plane;
  static ConsoleBrowser ui;
  static ApiClient operator;

  @BeforeAll
  static void start() throws Exception {
    provider = new MockOAuth2Server();
    provider.start(InetAddress.getLoopbackAddress(), FreePort.find());
    Map<String, String> env = new HashMap<>(TestControlPlane.env("console_identity"));
    env.put("WINGU_LOGIN_RATE", "10000");
    env.put("WINGU_OIDC_ISSUER", provider.issuerUrl("authority").toString());
    env.put("WINGU_OIDC_CLIENT_ID", "wingu");
    plane = TestControlPlane.start(env);
    operator =
        ApiClient.signIn(
            plane.url(), TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD);
    ui = ConsoleBrowser.start(plane.url());
  }

  /** Each test starts signed out, whatever the one before left behind. */
  @BeforeEach
  void signedOut() {
    ui.axe().driver().manage().deleteAllCookies();
  }

  @AfterAll
  static void stop() {
    ConsoleBrowser.stop(ui, plane);
    if (provider != null) {
      provider.shutdown();
    }
  }

  @Test
  void staffSignInWithTheAuthoritysProviderInBothLanguages() {
    for (String lang : List.of("sw", "en")) {
      ui.open("/login?lang=" + lang);
      ui.pages().checkBoth("login-with-provider", lang);
      provider.enqueueCallback(
          new DefaultOAuth2TokenCallback(
              "authority",
              "staff-" + lang,
              "JWT",
              List.of("wingu"),
              Map.of("preferred_username", "staff-" + lang, "groups", List.of("wingu-auditors")),
              3600));
      ui.press("#oidc-sign-in");
      assertThat(ui.path()).isEqualTo("/");
      ui.pages().check("home-after-provider", lang);
      ui.signOut();
    }
  }

  @Test
  void aPersonTurnsOnTwoFactorSignInAndSignsInWithACode() {
    String username = unique("tfa").toLowerCase();
    String password = "password-" + username;
    var made =
        operator.post(
            "/api/v1/users",
            new JsonObject()
                .put("username", username)
                .put("password", password)
                .put("role", "auditor"));
    assertThat(made.status()).as(made.body()).isEqualTo(201);

    ui.signIn("en", username, password);
    ui.press("nav a[href='/account/two-factor']");
    ui.pages().checkBoth("two-factor-off", "en");
    ui.press("#two-factor-start");
    ui.pages().check("two-factor-enrol", "en");
    assertThat(ui.find("figure.qr svg title").getAttribute("textContent")).isNotBlank();
    String secret = ui.find("#totp-secret").getText();

    ui.type("code", "000000");
    ui.press("form[action='/account/two-factor/confirm'] button[type=submit]");
    ui.pages().check("two-factor-wrong-code", "en");
    assertThat(ui.find("#totp-secret").getText()).isEqualTo(secret);

    ui.type("code", TwoFactor.code(secret, Instant.now()));
    ui.press("form[action='/account/two-factor/confirm'] button[type=submit]");
    ui.pages().check("two-factor-codes", "en");
    assertThat(ui.findAll("#recovery-codes li")).hasSize(10);
    ui.signOut();

    // without the code the password alone is refused, in Swahili; with it, the person is in
    ui.signIn("sw", username, password);
    assertThat(ui.path()).isEqualTo("/login");
    ui.pages().check("login-needs-code", "sw");
    ui.open("/login?lang=sw");
    ui.type("username", username);
    ui.type("password", password);
    ui.type("totp", TwoFactor.code(secret, Instant.now().plusSeconds(30)));
    ui.press("form[action='/login'] button[type=submit]");
    assertThat(ui.path()).isEqualTo("/");
    ui.press("nav a[href='/account/two-factor']");
    ui.pages().checkBoth("two-factor-on", "sw");
    ui.signOut();
  }

  @Test
  void aWebmasterMakesADeployTokenThatAPipelineThenUses() {
    TenantSite site = TenantSite.create(operator, "portal");
    String webmaster = site.code() + "-web";
    for (String lang : List.of("en", "sw")) {
      ui.signIn(lang, webmaster, "password-" + webmaster);
      ui.open("/sites/" + site.siteId() + "?lang=" + lang);
      ui.press("#site-tokens");
      ui.pages().checkBoth("tokens", lang);
      ui.type("name", "ci-" + lang);
      ui.find("#scopeDeploy").click();
      ui.press("#create-token");
      ui.pages().check("token-created", lang);
      String secret = ui.find("#token-secret").getAttribute("value").trim();
      assertThat(secret).startsWith("wgd_");
      assertThat(ApiClient.withToken(plane.url(), secret).get(site.path("")).status())
          .isEqualTo(200);
      ui.open("/sites/" + site.siteId() + "/tokens?lang=" + lang);
      assertThat(ui.text()).contains("ci-" + lang).doesNotContain(secret);
      ui.signOut();
    }
  }
}
