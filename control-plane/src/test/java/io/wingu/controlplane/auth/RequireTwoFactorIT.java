package io.wingu.controlplane.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.SharedControlPlane;
import io.wingu.controlplane.testing.TestControlPlane;
import io.wingu.controlplane.wiring.ControlPlane;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code WINGU_REQUIRE_2FA=true} on a real control plane and PostgreSQL: an operator without
 * two-factor sign-in gets no API token and a console that leads only to enrolment until it is on;
 * then the code signs them in; a webmaster is not held.
 */
class RequireTwoFactorIT {

  private static ControlPlane plane;

  @BeforeAll
  static void start() {
    Map<String, String> env = new HashMap<>(TestControlPlane.env("require_2fa"));
    env.put("WINGU_LOGIN_RATE", "10000");
    env.put("WINGU_REQUIRE_2FA", "true");
    plane = TestControlPlane.start(env);
  }

  @AfterAll
  static void stop() {
    if (plane != null) {
      plane.close();
    }
  }

  /** A browser without JavaScript: keeps cookies, follows no redirect by itself. */
  private static final class Browser {
    final HttpClient http =
        HttpClient.newBuilder()
            .cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    HttpResponse<String> get(String path) throws Exception {
      return http.send(
          HttpRequest.newBuilder(URI.create(plane.url() + path)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, Map<String, String> form) throws Exception {
      String body =
          form.entrySet().stream()
              .map(
                  e ->
                      URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                          + "="
                          + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
              .collect(Collectors.joining("&"));
      return http.send(
          HttpRequest.newBuilder(URI.create(plane.url() + path))
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }

  private static String find(String html, String regex) {
    Matcher m = Pattern.compile(regex).matcher(html);
    assertThat(m.find()).as(html).isTrue();
    return m.group(1);
  }

  private static String csrf(String html) {
    return find(html, "name=\"_csrf\" value=\"([^\"]+)\"");
  }

  private static ApiClient.Response login(String username, String password, String totp) {
    JsonObject body = new JsonObject().put("username", username).put("password", password);
    if (totp != null) {
      body.put("totp", totp);
    }
    return ApiClient.anonymous(plane.url()).post("/api/v1/auth/login", body);
  }

  @Test
  void anOperatorWithoutTwoFactorIsLedToEnrolmentAndGetsNoApiTokenUntilItIsOn() throws Exception {
    var refused = login(TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD, null);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.json().getString("detail")).contains("Two-factor sign-in is required");

    Browser browser = new Browser();
    var form = browser.get("/login?lang=en");
    var signedIn =
        browser.post(
            "/login",
            Map.of(
                "_csrf",
                csrf(form.body()),
                "next",
                "/",
                "username",
                TestControlPlane.OPERATOR,
                "password",
                TestControlPlane.OPERATOR_PASSWORD));
    assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(303);
    var home = browser.get("/institutions");
    assertThat(home.statusCode()).isEqualTo(303);
    assertThat(home.headers().firstValue("Location").orElseThrow())
        .isEqualTo("/account/two-factor?required=1");
    var enrolPage = browser.get("/account/two-factor?required=1&lang=en");
    assertThat(enrolPage.statusCode()).isEqualTo(200);
    assertThat(enrolPage.body()).contains("turn it on before anything else");

    var started = browser.post("/account/two-factor", Map.of("_csrf", csrf(enrolPage.body())));
    assertThat(started.statusCode()).isEqualTo(200);
    String secret = find(started.body(), "id=\"totp-secret\"[^>]*>([A-Z2-7]+)<");
    var confirmed =
        browser.post(
            "/account/two-factor/confirm",
            Map.of("_csrf", csrf(started.body()), "code", TwoFactor.code(secret, Instant.now())));
    assertThat(confirmed.statusCode()).isEqualTo(200);
    assertThat(browser.get("/institutions").statusCode()).isEqualTo(200);

    var withCode =
        login(
            TestControlPlane.OPERATOR,
            TestControlPlane.OPERATOR_PASSWORD,
            TwoFactor.code(secret, Instant.now().plusSeconds(30)));
    assertThat(withCode.status()).as(withCode.body()).isEqualTo(200);

    // a webmaster's role is not held to it
    ApiClient operator = ApiClient.withToken(plane.url(), withCode.json().getString("accessToken"));
    JsonObject institution = SharedControlPlane.newInstitution(operator);
    String webmaster = SharedControlPlane.unique("wm").toLowerCase();
    var made =
        operator.post(
            "/api/v1/institutions/" + institution.getString("id") + "/users",
            new JsonObject()
                .put("username", webmaster)
                .put("password", "password-" + webmaster)
                .put("role", "webmaster"));
    assertThat(made.status()).as(made.body()).isEqualTo(201);
    assertThat(login(webmaster, "password-" + webmaster, null).status()).isEqualTo(200);
  }
}
