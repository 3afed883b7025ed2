package io.wingu.controlplane.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.testing.FreePort;
import io.wingu.controlplane.testing.TestControlPlane;
import io.wingu.controlplane.testing.TestDatabase;
import io.wingu.controlplane.wiring.ControlPlane;
import java.net.CookieManager;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.OAuth2HttpRequest;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponse;
import no.nav.security.mock.oauth2.http.Route;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import okhttp3.Headers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sign-in with a real OpenID Connect provider (mock-oauth2-server, on loopback: discovery, JWKS,
 * the authorization code flow with PKCE) into a real control plane on real PostgreSQL, and each
 * forged or replayed answer refused.
 */
class OidcSignInIT {

  private static final String ISSUER_ID = "authority";
  private static final String CLIENT = "wingu-console";

  private static MockOAuth2Server provider;
  private static ControlPlane plane;
  private static Map<String, String> env;

  @BeforeAll
  static void start() throws Exception {
    provider = new MockOAuth2Server(new OAuth2Config(), FORGED);
    provider.start(InetAddress.getLoopbackAddress(), FreePort.find());
    env = new HashMap<>(TestControlPlane.env("oidc"));
    env.put("WINGU_OIDC_ISSUER", provider.issuerUrl(ISSUER_ID).toString());
    env.put("WINGU_OIDC_CLIENT_ID", CLIENT);
    env.put(
        "WINGU_OIDC_ROLES",
        "ops=operator,audit=auditor,inst-admins=institution-admin,inst-web=webmaster");
    env.put("WINGU_OIDC_INSTITUTION_CLAIM", "institution");
    // operators and auditors only through the provider, but the break-glass bootstrap operator
    env.put("WINGU_PLATFORM_PASSWORD_SIGN_IN", "false");
    env.put("WINGU_LOGIN_RATE", "10000");
    plane = TestControlPlane.start(env);
  }

  @AfterAll
  static void stop() {
    if (plane != null) {
      plane.close();
    }
    if (provider != null) {
      provider.shutdown();
    }
  }

  /** A browser without JavaScript: keeps cookies, follows no redirect by itself. */
  private static final class Browser {
    final HttpClient http =
        HttpClient.newBuilder()
            .cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    HttpResponse<String> get(String url) {
      try {
        return http.send(
            HttpRequest.newBuilder(URI.create(url)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }

    static String location(HttpResponse<String> r) {
      assertThat(r.statusCode()).as(r.body()).isIn(302, 303);
      return r.headers().firstValue("Location").orElseThrow();
    }

    /** Starts at the console and goes through the provider; the callback URL it comes back to. */
    String toCallback() {
      String authorize = location(get(plane.url() + "/login/oidc?next=/sites"));
      String callback = location(get(authorize));
      assertThat(callback).startsWith(plane.url() + "/login/oidc/callback?");
      return callback;
    }

    /** Signed in: the console's home answers with the person's page. */
    boolean signedIn() {
      return get(plane.url() + "/").statusCode() == 200;
    }
  }

  private static void nextPerson(String subject, String username, List<String> groups) {
    provider.enqueueCallback(
        new DefaultOAuth2TokenCallback(
            ISSUER_ID,
            subject,
            "JWT",
            List.of(CLIENT),
            Map.of("preferred_username", username, "groups", groups),
            3600));
  }

  private static void nextPerson(
      String subject, String username, List<String> groups, String institution) {
    provider.enqueueCallback(
        new DefaultOAuth2TokenCallback(
            ISSUER_ID,
            subject,
            "JWT",
            List.of(CLIENT),
            Map.of("preferred_username", username, "groups", groups, "institution", institution),
            3600));
  }

  private static io.wingu.controlplane.testing.ApiClient breakGlass() {
    return io.wingu.controlplane.testing.ApiClient.signIn(
        plane.url(), TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD);
  }

  private static String accountOf(String subject) throws SQLException {
    try (Connection c = TestDatabase.superuser(env.get("WINGU_DB_URL"));
        var st =
            c.prepareStatement("SELECT account_id::text FROM oidc_identity WHERE subject = ?")) {
      st.setString(1, subject);
      var rs = st.executeQuery();
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    }
  }

  @Test
  void anAccountAnAdministratorDisabledStaysDisabledWhenThePersonSignsInThroughTheProvider()
      throws SQLException {
    Browser first = new Browser();
    nextPerson("subject-halima", "halima", List.of("ops"));
    first.get(first.toCallback());
    assertThat(first.signedIn()).isTrue();

    var disabled =
        breakGlass()
            .post("/api/v1/users/" + accountOf("subject-halima") + "/disable", new JsonObject());
    assertThat(disabled.status()).as(disabled.body()).isEqualTo(200);
    assertThat(first.signedIn()).as("the session ended with the disabling").isFalse();

    Browser again = new Browser();
    nextPerson("subject-halima", "halima", List.of("ops"));
    var refused = again.get(again.toCallback());
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("id=\"oidc-error\"");
    assertThat(again.signedIn()).isFalse();

    breakGlass().post("/api/v1/users/" + accountOf("subject-halima") + "/enable", new JsonObject());
    Browser enabled = new Browser();
    nextPerson("subject-halima", "halima", List.of("ops"));
    enabled.get(enabled.toCallback());
    assertThat(enabled.signedIn()).isTrue();
  }

  @Test
  void anInstitutionRoleComesFromTheGroupsAndTheClaimNamingTheInstitution() throws SQLException {
    String code = ("ic" + UUID.randomUUID().toString().substring(0, 6)).toLowerCase();
    var made =
        breakGlass()
            .post(
                "/api/v1/institutions",
                new JsonObject()
                    .put("code", code)
                    .put("name", "Institution " + code)
                    .put("domains", new JsonArray().add(code + ".go.tz"))
                    .put("contactEmail", "ict@" + code + ".go.tz"));
    assertThat(made.status()).as(made.body()).isEqualTo(201);

    Browser browser = new Browser();
    nextPerson("subject-juma", "juma", List.of("inst-web"), code);
    browser.get(browser.toCallback());
    assertThat(browser.signedIn()).isTrue();
    try (Connection c = TestDatabase.superuser(env.get("WINGU_DB_URL"));
        var st =
            c.prepareStatement(
                "SELECT a.role, a.institution_id::text FROM oidc_identity i JOIN account a ON"
                    + " a.id = i.account_id WHERE i.subject = 'subject-juma'")) {
      var rs = st.executeQuery();
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("webmaster");
      assertThat(rs.getString(2)).isEqualTo(made.json().getString("id"));
    }

    // a claim naming no institution gives no institution role
    Browser unknown = new Browser();
    nextPerson("subject-kassim", "kassim", List.of("inst-admins"), "no-such-institution");
    assertThat(unknown.get(unknown.toCallback()).statusCode()).isEqualTo(403);
    assertThat(unknown.signedIn()).isFalse();
  }

  @Test
  void operatorsAndAuditorsMayNotSignInWithAPasswordButTheBreakGlassOperatorMay() {
    String auditor = "pw-auditor-" + UUID.randomUUID().toString().substring(0, 6);
    var created =
        breakGlass()
            .post(
                "/api/v1/users",
                new JsonObject()
                    .put("username", auditor)
                    .put("password", "auditor-password-" + auditor)
                    .put("role", "auditor"));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    var refused =
        io.wingu.controlplane.testing.ApiClient.anonymous(plane.url())
            .post(
                "/api/v1/auth/login",
                new JsonObject()
                    .put("username", auditor)
                    .put("password", "auditor-password-" + auditor));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.json().getString("detail")).contains("identity provider");
    // a wrong password is still just wrong: the refusal tells only whoever knows the password
    var wrong =
        io.wingu.controlplane.testing.ApiClient.anonymous(plane.url())
            .post(
                "/api/v1/auth/login",
                new JsonObject().put("username", auditor).put("password", "wrong-password-1"));
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(breakGlass().get("/api/v1/me").status()).isEqualTo(200);
  }

  private static Map<String, String> query(String url) {
    Map<String, String> q = new HashMap<>();
    for (String pair : URI.create(url).getRawQuery().split("&")) {
      String[] kv = pair.split("=", 2);
      q.put(kv[0], URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8));
    }
    return q;
  }

  private static String b64(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static JsonObject claims(String nonce, String audience, String issuer) {
    long now = System.currentTimeMillis() / 1000;
    return new JsonObject()
        .put("iss", issuer)
        .put("sub", "forged-" + UUID.randomUUID())
        .put("aud", audience)
        .put("iat", now)
        .put("exp", now + 600)
        .put("nonce", nonce)
        .put("groups", new JsonArray().add("ops"));
  }

  /**
   * Answers the provider's token endpoint in its place, once, when a test asks: what a forged or
   * tampered answer looks like to Wingu. Every other request reaches the provider's own routes.
   */
  private static final class ForgedTokenAnswer implements Route {
    private final AtomicReference<String> next = new AtomicReference<>();

    @Override
    public boolean match(OAuth2HttpRequest request) {
      return next.get() != null
          && "POST".equals(request.getMethod())
          && request.getUrl().encodedPath().endsWith("/token");
    }

    @Override
    public OAuth2HttpResponse invoke(OAuth2HttpRequest request) {
      String idToken = next.getAndSet(null);
      return new OAuth2HttpResponse(
          Headers.of("Content-Type", "application/json"),
          200,
          new JsonObject()
              .put("access_token", idToken)
              .put("token_type", "Bearer")
              .put("expires_in", 600)
              .put("id_token", idToken)
              .encode(),
          null);
    }
  }

  private static final ForgedTokenAnswer FORGED = new ForgedTokenAnswer();

  /** The provider's next token answer carries {@code idToken} instead of what it would issue. */
  private static void forgeTokenAnswer(String idToken) {
    FORGED.next.set(idToken);
  }

  private static String issuer() {
    return provider.issuerUrl(ISSUER_ID).toString();
  }

  private static void assertRefused(HttpResponse<String> r, String words) {
    assertThat(r.statusCode()).isIn(401, 403);
    assertThat(r.body()).contains("id=\"oidc-error\"").contains(words);
  }

  @Test
  void theFirstSignInMakesAnAccountLinkedToIssuerAndSubject() throws SQLException {
    Browser browser = new Browser();
    String authorize = Browser.location(browser.get(plane.url() + "/login/oidc?next=/sites"));
    Map<String, String> asked = query(authorize);
    assertThat(asked)
        .containsEntry("code_challenge_method", "S256")
        .containsEntry("client_id", CLIENT)
        .containsKeys("code_challenge", "state", "nonce", "redirect_uri");
    assertThat(asked.get("scope")).contains("openid");

    nextPerson("subject-amina", "amina", List.of("ops"));
    String callback = Browser.location(browser.get(authorize));
    var landed = browser.get(callback);
    assertThat(Browser.location(landed)).endsWith("/sites");
    assertThat(browser.signedIn()).isTrue();

    try (Connection c = TestDatabase.superuser(env.get("WINGU_DB_URL"));
        var st =
            c.prepareStatement(
                "SELECT a.username, a.role, i.issuer FROM oidc_identity i JOIN account a ON"
                    + " a.id = i.account_id WHERE i.subject = 'subject-amina'")) {
      var rs = st.executeQuery();
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("amina");
      assertThat(rs.getString(2)).isEqualTo("operator");
      assertThat(rs.getString(3)).isEqualTo(issuer());
    }

    // the same subject again, now an auditor: the same account, its role follows the groups
    Browser again = new Browser();
    nextPerson("subject-amina", "amina-renamed", List.of("audit"));
    again.get(again.toCallback());
    assertThat(again.signedIn()).isTrue();
    try (Connection c = TestDatabase.superuser(env.get("WINGU_DB_URL"));
        var st =
            c.prepareStatement(
                "SELECT count(*), min(a.role) FROM oidc_identity i JOIN account a ON a.id ="
                    + " i.account_id WHERE i.subject = 'subject-amina'")) {
      var rs = st.executeQuery();
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(1);
      assertThat(rs.getString(2)).isEqualTo("auditor");
    }
  }

  @Test
  void aPersonWhoseGroupsGiveNoRoleIsRefusedAndTheirSessionsEnd() {
    Browser first = new Browser();
    nextPerson("subject-baraka", "baraka", List.of("ops"));
    first.get(first.toCallback());
    assertThat(first.signedIn()).isTrue();

    Browser later = new Browser();
    nextPerson("subject-baraka", "baraka", List.of("someone-else"));
    var refused = later.get(later.toCallback());
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("id=\"oidc-error\"");
    assertThat(later.signedIn()).isFalse();
    assertThat(first.signedIn()).as("the earlier session ended").isFalse();
  }

  @Test
  void aCallbackWithAnotherStateOrFromAnotherBrowserIsRefused() {
    // no token is ever asked for: no person is queued at the provider
    Browser browser = new Browser();
    String callback = browser.toCallback();
    String forged = callback.replaceAll("state=[^&]+", "state=" + "x".repeat(43));
    assertRefused(browser.get(forged), "not started in this browser");
    Browser stranger = new Browser();
    assertRefused(stranger.get(callback), "not started in this browser");
    assertThat(stranger.signedIn()).isFalse();
  }

  @Test
  void aReplayedCallbackIsRefused() {
    Browser browser = new Browser();
    nextPerson("subject-d", "daudi", List.of("ops"));
    String authorize = Browser.location(browser.get(plane.url() + "/login/oidc"));
    String callback = Browser.location(browser.get(authorize));
    String state = query(callback).get("state");
    browser.get(callback);
    assertThat(browser.signedIn()).isTrue();

    // the same answer again, with the state cookie put back: the state was used up
    Browser replay = new Browser();
    ((CookieManager) replay.http.cookieHandler().orElseThrow())
        .getCookieStore()
        .add(URI.create(plane.url().toString()), cookie("wingu-oidc-state", state));
    assertRefused(replay.get(callback), "finished already");
    assertThat(replay.signedIn()).isFalse();
  }

  private static java.net.HttpCookie cookie(String name, String value) {
    java.net.HttpCookie c = new java.net.HttpCookie(name, value);
    c.setPath("/login/oidc");
    c.setVersion(0);
    return c;
  }

  @Test
  void anIdTokenWithTheWrongNonceIsRefused() {
    Browser browser = new Browser();
    String callback = browser.toCallback();
    forgeTokenAnswer(
        provider
            .issueToken(
                ISSUER_ID,
                CLIENT,
                new DefaultOAuth2TokenCallback(
                    ISSUER_ID,
                    "subject-e",
                    "JWT",
                    List.of(CLIENT),
                    Map.of("nonce", "not-this-sign-in", "groups", List.of("ops")),
                    600))
            .serialize());
    assertRefused(browser.get(callback), "nonce");
    assertThat(browser.signedIn()).isFalse();
  }

  @Test
  void anIdTokenForAnotherClientIsRefused() {
    Browser browser = new Browser();
    String callback = browser.toCallback();
    String nonce = "irrelevant";
    forgeTokenAnswer(
        provider
            .issueToken(
                ISSUER_ID,
                "another-client",
                new DefaultOAuth2TokenCallback(
                    ISSUER_ID,
                    "subject-f",
                    "JWT",
                    List.of("another-client"),
                    Map.of("nonce", nonce, "groups", List.of("ops")),
                    600))
            .serialize());
    assertRefused(browser.get(callback), "");
    assertThat(browser.signedIn()).isFalse();
  }

  @Test
  void anIdTokenFromAnotherIssuerIsRefused() {
    Browser browser = new Browser();
    String callback = browser.toCallback();
    forgeTokenAnswer(
        provider
            .issueToken(
                "elsewhere",
                CLIENT,
                new DefaultOAuth2TokenCallback(
                    "elsewhere",
                    "subject-g",
                    "JWT",
                    List.of(CLIENT),
                    Map.of("groups", List.of("ops")),
                    600))
            .serialize());
    assertRefused(browser.get(callback), "");
    assertThat(browser.signedIn()).isFalse();
  }

  @Test
  void anUnsignedIdTokenIsRefused() {
    Browser browser = new Browser();
    String callback = browser.toCallback();
    String unsigned =
        b64("{\"alg\":\"none\",\"typ\":\"JWT\"}")
            + "."
            + b64(claims("n", CLIENT, issuer()).encode())
            + ".";
    forgeTokenAnswer(unsigned);
    assertRefused(browser.get(callback), "");
    assertThat(browser.signedIn()).isFalse();
  }

  @Test
  void anIdTokenSignedWithAnotherAlgorithmIsRefused() throws Exception {
    Browser browser = new Browser();
    String callback = browser.toCallback();
    String signingInput =
        b64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}")
            + "."
            + b64(claims("n", CLIENT, issuer()).encode());
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(CLIENT.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String hs256 =
        signingInput
            + "."
            + Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
    forgeTokenAnswer(hs256);
    assertRefused(browser.get(callback), "");
    assertThat(browser.signedIn()).isFalse();
  }

  @Test
  void theSignInPageOffersTheProviderBesideThePasswordForm() {
    var page = new Browser().get(plane.url() + "/login");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("href=\"/login/oidc").contains("name=\"password\"");
  }

  @Test
  void whenTheProviderCannotBeReachedThePageSaysSoAndPasswordsStillWork() {
    Map<String, String> deadEnv = new HashMap<>(TestControlPlane.env("oidc-dead"));
    deadEnv.put("WINGU_OIDC_ISSUER", "http://127.0.0.1:" + FreePort.find() + "/nobody");
    try (ControlPlane dead = TestControlPlane.start(deadEnv)) {
      Browser browser = new Browser();
      var page = browser.get(dead.url() + "/login/oidc");
      assertThat(page.statusCode()).isEqualTo(503);
      assertThat(page.body()).contains("id=\"oidc-error\"").contains("name=\"password\"");
      var login =
          io.wingu.controlplane.testing.ApiClient.anonymous(dead.url())
              .post(
                  "/api/v1/auth/login",
                  new JsonObject()
                      .put("username", TestControlPlane.OPERATOR)
                      .put("password", TestControlPlane.OPERATOR_PASSWORD));
      assertThat(login.status()).isEqualTo(200);
    }
  }
}
