package io.wingu.controlplane.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsonwebtoken.Jwts;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.app.ControlPlane;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.SharedControlPlane;
import io.wingu.controlplane.testing.TestControlPlane;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Sign-in, tokens, platform accounts, lockout and rate limiting against a real server. */
class AuthApiIT {

  private static KeyPair serverKeys() {
    var env = SharedControlPlane.env();
    return SigningKeys.read(Path.of(env.get("WINGU_JWT_PRIVATE_KEY")), Path.of(env.get("WINGU_JWT_PUBLIC_KEY")));
  }

  private static int meWith(String token) {
    return ApiClient.withToken(SharedControlPlane.url(), token).get("/api/v1/me").status();
  }

  @Test
  void signInGivesABearerTokenThatIdentifiesTheCaller() {
    var r = ApiClient.anonymous(SharedControlPlane.url()).post("/api/v1/auth/login",
        new JsonObject().put("username", TestControlPlane.OPERATOR).put("password", TestControlPlane.OPERATOR_PASSWORD));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().getString("tokenType")).isEqualTo("Bearer");
    assertThat(r.json().getInteger("expiresIn")).isEqualTo(900);
    var me = ApiClient.withToken(SharedControlPlane.url(), r.json().getString("accessToken")).get("/api/v1/me");
    assertThat(me.json().getString("username")).isEqualTo("operator");
    assertThat(me.json().getString("role")).isEqualTo("operator");
    assertThat(me.json().containsKey("institutionId")).isFalse();
  }

  @Test
  void wrongPasswordsAndUnknownUsersAreOneAnswer() {
    var anon = ApiClient.anonymous(SharedControlPlane.url());
    var wrong = anon.post("/api/v1/auth/login", new JsonObject().put("username", "operator").put("password", "nope-nope-nope"));
    var unknown = anon.post("/api/v1/auth/login", new JsonObject().put("username", "nobody").put("password", "nope-nope-nope"));
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(unknown.status()).isEqualTo(401);
    assertThat(wrong.json().getString("detail")).isEqualTo(unknown.json().getString("detail"));
    assertThat(anon.post("/api/v1/auth/login", new JsonObject().put("username", "operator")).status()).isEqualTo(400);
  }

  @Test
  void operatorsCreateOperatorsAndAuditors() {
    ApiClient auditor = SharedControlPlane.newPlatformUser("auditor");
    assertThat(auditor.get("/api/v1/me").json().getString("role")).isEqualTo("auditor");
    ApiClient operator2 = SharedControlPlane.newPlatformUser("operator");
    assertThat(operator2.get("/api/v1/me").json().getString("role")).isEqualTo("operator");

    var byAuditor = auditor.post("/api/v1/users", new JsonObject().put("username", "someone-else")
        .put("password", "long-enough-password").put("role", "operator"));
    assertThat(byAuditor.status()).isEqualTo(403);
    var op = SharedControlPlane.operator();
    var institutionRole = op.post("/api/v1/users", new JsonObject().put("username", "bad-role-user")
        .put("password", "long-enough-password").put("role", "webmaster"));
    assertThat(institutionRole.status()).isEqualTo(400);
    var weak = op.post("/api/v1/users", new JsonObject().put("username", "weak-user").put("password", "short").put("role", "auditor"));
    assertThat(weak.status()).isEqualTo(400);
    assertThat(weak.body()).contains("password");
    var dup = op.post("/api/v1/users", new JsonObject().put("username", "operator")
        .put("password", "long-enough-password").put("role", "auditor"));
    assertThat(dup.status()).isEqualTo(409);
  }

  @Test
  void forgedExpiredUnsignedWrongKeyWrongIssuerAndWrongAudienceTokensAre401() throws Exception {
    KeyPair keys = serverKeys();
    Caller operator = new Caller(UUID.randomUUID(), "operator", Role.OPERATOR, java.util.Optional.empty());
    String good = new TokenService(keys, Duration.ofMinutes(5), Clock.systemUTC()).issue(operator);
    assertThat(meWith(good)).isEqualTo(200);

    // forged: the payload changed after signing
    String[] parts = good.split("\\.");
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
        .replace("\"operator\"", "\"auditor\"");
    String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    assertThat(meWith(forged)).isEqualTo(401);

    // expired: issued two hours ago with a fifteen-minute life
    Clock past = Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC);
    assertThat(meWith(new TokenService(keys, Duration.ofMinutes(15), past).issue(operator))).isEqualTo(401);

    // alg none: no signature at all
    String header = Base64.getUrlEncoder().withoutPadding()
        .encodeToString("{\"alg\":\"none\",\"typ\":\"at+jwt\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(meWith(header + "." + parts[1] + ".")).isEqualTo(401);

    // another key
    KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    assertThat(meWith(new TokenService(other, Duration.ofMinutes(5), Clock.systemUTC()).issue(operator))).isEqualTo(401);

    // right key, wrong issuer / audience / type
    Date now = new Date();
    Date later = new Date(now.getTime() + 300_000);
    String wrongIssuer = Jwts.builder().header().type("at+jwt").and().issuer("someone-else")
        .audience().add(TokenService.AUDIENCE).and().subject(operator.accountId().toString())
        .claim("username", "operator").claim("role", "operator").issuedAt(now).expiration(later)
        .signWith(keys.getPrivate(), Jwts.SIG.EdDSA).compact();
    assertThat(meWith(wrongIssuer)).isEqualTo(401);
    String wrongAudience = Jwts.builder().header().type("at+jwt").and().issuer(TokenService.ISSUER)
        .audience().add("another-api").and().subject(operator.accountId().toString())
        .claim("username", "operator").claim("role", "operator").issuedAt(now).expiration(later)
        .signWith(keys.getPrivate(), Jwts.SIG.EdDSA).compact();
    assertThat(meWith(wrongAudience)).isEqualTo(401);
    String wrongType = Jwts.builder().header().type("JWT").and().issuer(TokenService.ISSUER)
        .audience().add(TokenService.AUDIENCE).and().subject(operator.accountId().toString())
        .claim("username", "operator").claim("role", "operator").issuedAt(now).expiration(later)
        .signWith(keys.getPrivate(), Jwts.SIG.EdDSA).compact();
    assertThat(meWith(wrongType)).isEqualTo(401);

    assertThat(meWith("not-a-jwt")).isEqualTo(401);
    var noHeader = ApiClient.anonymous(SharedControlPlane.url()).get("/api/v1/me");
    assertThat(noHeader.status()).isEqualTo(401);
    assertThat(noHeader.contentType()).startsWith("application/problem+json");
  }

  @Test
  void repeatedFailuresLockTheAccountWith429AndRetryAfter() {
    ApiClient auditor = SharedControlPlane.newPlatformUser("auditor");
    String username = auditor.get("/api/v1/me").json().getString("username");
    var anon = ApiClient.anonymous(SharedControlPlane.url());
    for (int i = 0; i < 5; i++) {
      assertThat(anon.post("/api/v1/auth/login", new JsonObject().put("username", username)
          .put("password", "wrong-password-" + i)).status()).isEqualTo(401);
    }
    var locked = anon.post("/api/v1/auth/login", new JsonObject().put("username", username)
        .put("password", "password-" + username));
    assertThat(locked.status()).isEqualTo(429);
    assertThat(locked.contentType()).startsWith("application/problem+json");
    assertThat(Long.parseLong(locked.raw().headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 900L);
  }

  @Test
  void tooManyAttemptsFromOneAddressAre429() {
    Map<String, String> env = new HashMap<>(TestControlPlane.env("throttle"));
    env.put("WINGU_LOGIN_RATE", "3");
    try (ControlPlane plane = TestControlPlane.start(env)) {
      var anon = ApiClient.anonymous(plane.url());
      JsonObject wrong = new JsonObject().put("username", "operator").put("password", "wrong-password");
      for (int i = 0; i < 3; i++) {
        assertThat(anon.post("/api/v1/auth/login", wrong).status()).isEqualTo(401);
      }
      var limited = anon.post("/api/v1/auth/login", new JsonObject().put("username", TestControlPlane.OPERATOR)
          .put("password", TestControlPlane.OPERATOR_PASSWORD));
      assertThat(limited.status()).isEqualTo(429);
      assertThat(limited.raw().headers().firstValue("Retry-After")).isPresent();
    }
  }
}
