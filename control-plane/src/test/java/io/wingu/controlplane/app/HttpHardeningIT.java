package io.wingu.controlplane.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.SharedControlPlane;
import io.wingu.controlplane.testing.TenantSite;
import io.wingu.controlplane.testing.TestControlPlane;
import io.wingu.controlplane.wiring.ControlPlane;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Attacks on the HTTP layer, against the real server: forged cursors on every paginated list,
 * stalled request heads and idle connections, a forged X-Forwarded-Proto, and the headers answers
 * must carry.
 */
class HttpHardeningIT {

  static ApiClient operator;
  static TenantSite site;

  /** A control plane of its own: a 2 s idle timeout, and 127.0.0.1 as a trusted TLS proxy. */
  static ControlPlane strict;

  static final HttpClient HTTP =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @BeforeAll
  static void start() {
    operator = SharedControlPlane.operator();
    site = TenantSite.create(operator, "portal");
    Map<String, String> env = new java.util.HashMap<>(TestControlPlane.env("hardening"));
    env.put("WINGU_HTTP_IDLE_TIMEOUT", "2");
    env.put("WINGU_TRUSTED_PROXIES", "127.0.0.1, ::1");
    strict = TestControlPlane.start(env);
  }

  @AfterAll
  static void stop() {
    if (strict != null) {
      strict.close();
    }
  }

  static String cursor(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  /** Well-encoded or not, none of these is a cursor this server gave out. */
  static final List<String> FORGED =
      List.of(
          "e30", // {}
          cursor("[]"),
          cursor("\"text\""),
          "AAAA", // three zero bytes
          "not-base64-at-all",
          cursor(
              "{\"at\":5,\"id\":[1],\"seq\":\"x\",\"revision\":\"x\",\"p\":\"x\",\"code\":7,\"slug\":7,\"name\":{},"
                  + "\"n\":1,\"i\":2,\"k\":3,\"c\":4}"),
          // right types, values no list could have made (text keys can only be of the wrong type:
          // above)
          cursor(
              "{\"at\":\"yesterday\",\"id\":\"not-a-uuid\",\"i\":\"not-a-uuid\",\"seq\":1.5,\"revision\":-1,"
                  + "\"p\":-5}"),
          cursor(
              "{\"seq\":123456789012345678901234567890,\"revision\":99999999999999,\"p\":99999999999}"),
          cursor("{\"seq\":1e400,\"revision\":1e400,\"p\":1e400}"));

  @Test
  void forgedCursorsAreA400NamingCursorOnEveryPaginatedList() {
    String inst = site.institution().getString("id");
    Map<String, ApiClient> lists = new java.util.LinkedHashMap<>();
    lists.put("/api/v1/institutions", operator);
    lists.put("/api/v1/requests", operator);
    lists.put("/api/v1/sites", operator);
    lists.put(site.path("/content/pages"), site.webmaster());
    lists.put(site.path("/documents"), site.webmaster());
    lists.put(site.path("/deployments"), site.webmaster());
    lists.put("/api/v1/audit", operator);
    lists.put("/api/v1/institutions/" + inst + "/services", site.admin());
    lists.put("/api/v1/public/directory", ApiClient.anonymous(SharedControlPlane.url()));
    lists.put("/api/v1/scorecard", operator);
    lists.put("/api/v1/public/scorecard", ApiClient.anonymous(SharedControlPlane.url()));
    lists.put("/api/v1/institutions/" + inst + "/systems", site.admin());
    List<String> failures = new ArrayList<>();
    lists.forEach(
        (path, client) -> {
          assertThat(client.get(path).status())
              .as(path)
              .isIn(200, 404); // 404: no scorecard published yet
          for (String forged : FORGED) {
            var r = client.get(path + "?cursor=" + forged);
            boolean namesCursor =
                r.status() == 400
                    && r.contentType().equals("application/problem+json")
                    && r.json().getJsonArray("errors", new JsonArray()).stream()
                        .anyMatch(e -> "cursor".equals(((JsonObject) e).getString("field")));
            if (!namesCursor) {
              failures.add(path + "?cursor=" + forged + " -> " + r.status() + " " + r.body());
            }
          }
        });
    assertThat(failures).isEmpty();
  }

  @Test
  void aRealNextCursorStillPages() {
    var first = operator.get("/api/v1/audit?limit=1").json();
    var next = operator.get("/api/v1/audit?limit=1&cursor=" + first.getString("nextCursor"));
    assertThat(next.status()).isEqualTo(200);
    assertThat(next.json().getJsonArray("items")).hasSize(1);
  }

  @Test
  void aConnectionThatStallsInItsRequestHeadIsClosedWithinTheIdleTimeout() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", strict.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          "GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Half: "
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      long started = System.nanoTime();
      assertThat(socket.getInputStream().read()).isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(6));
    }
    // a connection that never sends a byte goes the same way
    try (Socket silent = new Socket("127.0.0.1", strict.port())) {
      silent.setSoTimeout(10_000);
      long started = System.nanoTime();
      assertThat(silent.getInputStream().read()).isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(6));
    }
  }

  @Test
  void theServerHasAnIdleTimeoutFromTheConfiguration() {
    var defaults = ControlPlane.serverOptions(WinguConfig.from(Map.of()));
    assertThat(defaults.getIdleTimeout()).isEqualTo(30);
    assertThat(defaults.getIdleTimeoutUnit()).isEqualTo(java.util.concurrent.TimeUnit.SECONDS);
    var set = ControlPlane.serverOptions(WinguConfig.from(Map.of("WINGU_HTTP_IDLE_TIMEOUT", "7")));
    assertThat(set.getIdleTimeout()).isEqualTo(7);
  }

  static HttpResponse<String> get(URI base, String path, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).GET();
    if (headers.length > 0) {
      b.headers(headers);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void xForwardedProtoIsBelievedOnlyFromATrustedProxy() throws Exception {
    // the shared control plane trusts no proxy: the header is anyone's to send
    var untrusted = get(SharedControlPlane.url(), "/login", "X-Forwarded-Proto", "https");
    assertThat(untrusted.headers().firstValue("Strict-Transport-Security")).isEmpty();
    assertThat(untrusted.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("__Host-"));

    var plain = get(strict.url(), "/login");
    assertThat(plain.headers().firstValue("Strict-Transport-Security")).isEmpty();

    var proxied = get(strict.url(), "/login", "X-Forwarded-Proto", "https");
    assertThat(proxied.headers().firstValue("Strict-Transport-Security"))
        .hasValueSatisfying(v -> assertThat(v).contains("max-age=31536000"));
    String csrf =
        proxied.headers().allValues("Set-Cookie").stream()
            .filter(c -> c.startsWith("__Host-wingu-login-csrf="))
            .findFirst()
            .orElseThrow();
    assertThat(csrf)
        .containsIgnoringCase("Secure")
        .containsIgnoringCase("Path=/;")
        .doesNotContainIgnoringCase("Domain");
    var api = get(strict.url(), "/healthz", "X-Forwarded-Proto", "https");
    assertThat(api.headers().firstValue("Strict-Transport-Security")).isPresent();
  }

  /**
   * Signing in to the console over HTTPS (a trusted proxy's X-Forwarded-Proto) gives a Secure
   * session cookie; the same header from an untrusted address changes nothing, and over plain HTTP
   * to loopback (dev mode) the session cookie is plain.
   */
  @Test
  void theSessionCookieIsSecureWheneverTheSignInCameOverHttps() throws Exception {
    String overHttps = sessionCookie(strict.url(), "X-Forwarded-Proto", "https");
    assertThat(overHttps)
        .containsIgnoringCase("; Secure")
        .containsIgnoringCase("HttpOnly")
        .containsIgnoringCase("SameSite=Lax");
    assertThat(sessionCookie(strict.url())).doesNotContainIgnoringCase("Secure");
    assertThat(sessionCookie(SharedControlPlane.url(), "X-Forwarded-Proto", "https"))
        .as("the shared control plane trusts no proxy")
        .doesNotContainIgnoringCase("Secure");
  }

  /**
   * The session cookie a console sign-in as the operator sets, every request with {@code headers}.
   */
  static String sessionCookie(URI base, String... headers) throws Exception {
    var form = get(base, "/login", headers);
    String csrfCookie =
        form.headers().allValues("Set-Cookie").stream()
            .filter(c -> c.contains("wingu-login-csrf="))
            .findFirst()
            .orElseThrow()
            .split(";", 2)[0];
    String token = csrfCookie.substring(csrfCookie.indexOf('=') + 1);
    String body =
        "username="
            + TestControlPlane.OPERATOR
            + "&password="
            + java.net.URLEncoder.encode(TestControlPlane.OPERATOR_PASSWORD, StandardCharsets.UTF_8)
            + "&_csrf="
            + java.net.URLEncoder.encode(token, StandardCharsets.UTF_8);
    HttpRequest.Builder post =
        HttpRequest.newBuilder(base.resolve("/login"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Cookie", csrfCookie)
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      post.headers(headers);
    }
    var signedIn = HTTP.send(post.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(303);
    return signedIn.headers().allValues("Set-Cookie").stream()
        .filter(c -> c.startsWith("wingu-session="))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void authenticatedApiAnswersAreNeitherCachedNorSniffed() {
    for (var r :
        List.of(
            operator.get("/api/v1/me"),
            operator.get("/api/v1/sites"),
            ApiClient.anonymous(SharedControlPlane.url()).get("/api/v1/sites"))) {
      assertThat(r.raw().headers().firstValue("Cache-Control")).hasValue("no-store");
      assertThat(r.raw().headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }
  }

  @Test
  void everyMethodNotAllowedAnswerNamesTheAllowedMethods() throws Exception {
    var api = operator.delete("/api/v1/sites");
    assertThat(api.status()).isEqualTo(405);
    assertThat(api.contentType()).isEqualTo("application/problem+json");
    assertThat(api.raw().headers().firstValue("Allow").orElseThrow().split(", "))
        .contains("GET", "HEAD");
    var health =
        HTTP.send(
            HttpRequest.newBuilder(SharedControlPlane.url().resolve("/healthz"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(405);
    assertThat(health.headers().firstValue("Allow"))
        .hasValueSatisfying(v -> assertThat(v).contains("GET"));
    var console =
        HTTP.send(
            HttpRequest.newBuilder(SharedControlPlane.url().resolve("/login"))
                .method("DELETE", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(console.statusCode()).isEqualTo(405);
    assertThat(console.headers().firstValue("Allow").orElseThrow().split(", "))
        .contains("GET", "POST");
  }
}
