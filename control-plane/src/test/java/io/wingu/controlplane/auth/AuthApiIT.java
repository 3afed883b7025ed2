package io.wingu.controlplane.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsonwebtoken.Jwts;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.caller.Caller;
import io.wingu.controlplane.caller.Role;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.SharedControlPlane;
import io.wingu.controlplane.testing.TestControlPlane;
import io.wingu.controlplane.testing.TestDatabase;
import io.wingu.controlplane.wiring.ControlPlane;
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

/**
 * Sign-in, tokens, logout, platform accounts, slowing down failures and rate limiting against a
 * real server.
 */
class AuthApiIT {

  private static KeyPair serverKeys() {
    var env = SharedControlPlane.env();
    return SigningKeys.read(
        Path.of(env.get("WINGU_JWT_PRIVATE_KEY")), Path.of(env.get("WINGU_JWT_PUBLIC_KEY")));
  }

  private static int meWith(String token) {
    return ApiClient.withToken(SharedControlPlane.url(), token).get("/api/v1/me").status();
  }

  @Test
  void signInGivesABearerTokenThatIdentifiesTheCaller() {
    var r =
        ApiClient.anonymous(SharedControlPlane.url())
            .post(
                "/api/v1/auth/login",
                new JsonObject()
                    .put("username", TestControlPlane.OPERATOR)
                    .put("password", TestControlPlane.OPERATOR_PASSWORD));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().getString("tokenType")).isEqualTo("Bearer");
    assertThat(r.json().getInteger("expiresIn")).isEqualTo(900);
    var me =
        ApiClient.withToken(SharedControlPlane.url(), r.json().getString("accessToken"))
            .get("/api/v1/me");
    assertThat(me.json().getString("username")).isEqualTo("operator");
    assertThat(me.json().getString("role")).isEqualTo("operator");
    assertThat(me.json().containsKey("institutionId")).isFalse();
  }

  @Test
  void wrongPasswordsAndUnknownUsersAreOneAnswer() {
    var anon = ApiClient.anonymous(SharedControlPlane.url());
    var wrong =
        anon.post(
            "/api/v1/auth/login",
            new JsonObject().put("username", "operator").put("password", "nope-nope-nope"));
    var unknown =
        anon.post(
            "/api/v1/auth/login",
            new JsonObject().put("username", "nobody").put("password", "nope-nope-nope"));
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(unknown.status()).isEqualTo(401);
    assertThat(wrong.json().getString("detail")).isEqualTo(unknown.json().getString("detail"));
    assertThat(
            anon.post("/api/v1/auth/login", new JsonObject().put("username", "operator")).status())
        .isEqualTo(400);
  }

  @Test
  void operatorsCreateOperatorsAndAuditors() {
    ApiClient auditor = SharedControlPlane.newPlatformUser("auditor");
    assertThat(auditor.get("/api/v1/me").json().getString("role")).isEqualTo("auditor");
    ApiClient operator2 = SharedControlPlane.newPlatformUser("operator");
    assertThat(operator2.get("/api/v1/me").json().getString("role")).isEqualTo("operator");

    var byAuditor =
        auditor.post(
            "/api/v1/users",
            new JsonObject()
                .put("username", "someone-else")
                .put("password", "long-enough-password")
                .put("role", "operator"));
    assertThat(byAuditor.status()).isEqualTo(403);
    var op = SharedControlPlane.operator();
    var institutionRole =
        op.post(
            "/api/v1/users",
            new JsonObject()
                .put("username", "bad-role-user")
                .put("password", "long-enough-password")
                .put("role", "webmaster"));
    assertThat(institutionRole.status()).isEqualTo(400);
    var weak =
        op.post(
            "/api/v1/users",
            new JsonObject()
                .put("username", "weak-user")
                .put("password", "short")
                .put("role", "auditor"));
    assertThat(weak.status()).isEqualTo(400);
    assertThat(weak.body()).contains("password");
    var dup =
        op.post(
            "/api/v1/users",
            new JsonObject()
                .put("username", "operator")
                .put("password", "long-enough-password")
                .put("role", "auditor"));
    assertThat(dup.status()).isEqualTo(409);
  }

  /** The claims of a token, read without checking it. */
  private static JsonObject claims(String token) {
    return new JsonObject(
        new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
  }

  /** The bootstrap operator as a caller, with its real account id. */
  private static Caller realOperator() {
    String sub = claims(SharedControlPlane.operator().token()).getString("sub");
    return new Caller(UUID.fromString(sub), "operator", Role.OPERATOR, java.util.Optional.empty());
  }

  private static java.sql.Connection superuser() throws java.sql.SQLException {
    return TestDatabase.superuser(SharedControlPlane.env().get("WINGU_DB_URL"));
  }

  /** An anonymous client whose connections come from {@code address} (another loopback address). */
  private static ApiClient from(String address, ControlPlane plane) {
    return ApiClient.anonymous(plane.url()).from(address);
  }

  private static ApiClient.Response login(ApiClient client, String username, String password) {
    return client.post(
        "/api/v1/auth/login", new JsonObject().put("username", username).put("password", password));
  }

  private static long retryAfter(ApiClient.Response r) {
    return Long.parseLong(r.raw().headers().firstValue("Retry-After").orElseThrow());
  }

  @Test
  void forgedExpiredUnsignedWrongKeyWrongIssuerAndWrongAudienceTokensAre401() throws Exception {
    KeyPair keys = serverKeys();
    Caller operator = realOperator();
    String good = new TokenService(keys, Duration.ofMinutes(5), Clock.systemUTC()).issue(operator);
    assertThat(meWith(good)).isEqualTo(200);

    // forged: the payload changed after signing
    String[] parts = good.split("\\.");
    String payload =
        new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
            .replace("\"operator\"", "\"auditor\"");
    String forged =
        parts[0]
            + "."
            + Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8))
            + "."
            + parts[2];
    assertThat(meWith(forged)).isEqualTo(401);

    // expired: issued two hours ago with a fifteen-minute life
    Clock past = Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC);
    assertThat(meWith(new TokenService(keys, Duration.ofMinutes(15), past).issue(operator)))
        .isEqualTo(401);

    // alg none: no signature at all
    String header =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                "{\"alg\":\"none\",\"typ\":\"at+jwt\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(meWith(header + "." + parts[1] + ".")).isEqualTo(401);

    // another key
    KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    assertThat(
            meWith(
                new TokenService(other, Duration.ofMinutes(5), Clock.systemUTC()).issue(operator)))
        .isEqualTo(401);

    // right key, wrong issuer / audience / type
    Date now = new Date();
    Date later = new Date(now.getTime() + 300_000);
    String wrongIssuer =
        Jwts.builder()
            .header()
            .type("at+jwt")
            .and()
            .issuer("someone-else")
            .audience()
            .add(TokenService.AUDIENCE)
            .and()
            .subject(operator.accountId().toString())
            .claim("username", "operator")
            .claim("role", "operator")
            .issuedAt(now)
            .expiration(later)
            .signWith(keys.getPrivate(), Jwts.SIG.EdDSA)
            .compact();
    assertThat(meWith(wrongIssuer)).isEqualTo(401);
    String wrongAudience =
        Jwts.builder()
            .header()
            .type("at+jwt")
            .and()
            .issuer(TokenService.ISSUER)
            .audience()
            .add("another-api")
            .and()
            .subject(operator.accountId().toString())
            .claim("username", "operator")
            .claim("role", "operator")
            .issuedAt(now)
            .expiration(later)
            .signWith(keys.getPrivate(), Jwts.SIG.EdDSA)
            .compact();
    assertThat(meWith(wrongAudience)).isEqualTo(401);
    String wrongType =
        Jwts.builder()
            .header()
            .type("JWT")
            .and()
            .issuer(TokenService.ISSUER)
            .audience()
            .add(TokenService.AUDIENCE)
            .and()
            .subject(operator.accountId().toString())
            .claim("username", "operator")
            .claim("role", "operator")
            .issuedAt(now)
            .expiration(later)
            .signWith(keys.getPrivate(), Jwts.SIG.EdDSA)
            .compact();
    assertThat(meWith(wrongType)).isEqualTo(401);

    assertThat(meWith("not-a-jwt")).isEqualTo(401);
    var noHeader = ApiClient.anonymous(SharedControlPlane.url()).get("/api/v1/me");
    assertThat(noHeader.status()).isEqualTo(401);
    assertThat(noHeader.contentType()).startsWith("application/problem+json");
  }

  @Test
  void aCorrectlySignedTokenWithoutExpiryOrIdOrSubjectIs401ProblemJson() {
    KeyPair keys = serverKeys();
    Caller operator = realOperator();
    Date now = new Date();
    var base =
        Jwts.builder()
            .header()
            .type(TokenService.TYPE)
            .and()
            .issuer(TokenService.ISSUER)
            .audience()
            .add(TokenService.AUDIENCE)
            .and()
            .claim("username", "operator")
            .claim("role", "operator")
            .issuedAt(now);
    String noExpiry =
        Jwts.builder()
            .header()
            .type(TokenService.TYPE)
            .and()
            .id(UUID.randomUUID().toString())
            .issuer(TokenService.ISSUER)
            .audience()
            .add(TokenService.AUDIENCE)
            .and()
            .subject(operator.accountId().toString())
            .claim("username", "operator")
            .claim("role", "operator")
            .issuedAt(now)
            .signWith(keys.getPrivate(), Jwts.SIG.EdDSA)
            .compact();
    var r = ApiClient.withToken(SharedControlPlane.url(), noExpiry).get("/api/v1/me");
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.contentType()).startsWith("application/problem+json");
    Date later = new Date(now.getTime() + 300_000);
    String noId =
        base.subject(operator.accountId().toString())
            .expiration(later)
            .signWith(keys.getPrivate(), Jwts.SIG.EdDSA)
            .compact();
    assertThat(meWith(noId)).isEqualTo(401);
    String noSubject =
        Jwts.builder()
            .header()
            .type(TokenService.TYPE)
            .and()
            .id(UUID.randomUUID().toString())
            .issuer(TokenService.ISSUER)
            .audience()
            .add(TokenService.AUDIENCE)
            .and()
            .claim("username", "operator")
            .claim("role", "operator")
            .issuedAt(now)
            .expiration(later)
            .signWith(keys.getPrivate(), Jwts.SIG.EdDSA)
            .compact();
    assertThat(meWith(noSubject)).isEqualTo(401);
  }

  @Test
  void aCorrectlySignedTokenForAnAccountThatDoesNotExistIs401() {
    KeyPair keys = serverKeys();
    Caller ghost =
        new Caller(UUID.randomUUID(), "operator", Role.OPERATOR, java.util.Optional.empty());
    String token = new TokenService(keys, Duration.ofMinutes(5), Clock.systemUTC()).issue(ghost);
    var r = ApiClient.withToken(SharedControlPlane.url(), token).get("/api/v1/me");
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.contentType()).startsWith("application/problem+json");
    var write =
        ApiClient.withToken(SharedControlPlane.url(), token)
            .post(
                "/api/v1/users",
                new JsonObject()
                    .put("username", SharedControlPlane.unique("ghost"))
                    .put("password", "long-enough-password")
                    .put("role", "operator"));
    assertThat(write.status()).isEqualTo(401);
    // the same claims for the real account work: the account is what counts
    assertThat(
            meWith(
                new TokenService(keys, Duration.ofMinutes(5), Clock.systemUTC())
                    .issue(realOperator())))
        .isEqualTo(200);
  }

  @Test
  void aTokenCarriesTheAccountsCurrentIdentityNotWhatItClaims() {
    KeyPair keys = serverKeys();
    ApiClient auditor = SharedControlPlane.newPlatformUser("auditor");
    String sub = claims(auditor.token()).getString("sub");
    // signed with the right key, claiming the operator role for an auditor's account
    Caller claimed =
        new Caller(UUID.fromString(sub), "someone-else", Role.OPERATOR, java.util.Optional.empty());
    var client =
        ApiClient.withToken(
            SharedControlPlane.url(),
            new TokenService(keys, Duration.ofMinutes(5), Clock.systemUTC()).issue(claimed));
    assertThat(client.get("/api/v1/me").json().getString("role")).isEqualTo("auditor");
    assertThat(
            client
                .post(
                    "/api/v1/users",
                    new JsonObject()
                        .put("username", SharedControlPlane.unique("esc"))
                        .put("password", "long-enough-password")
                        .put("role", "operator"))
                .status())
        .isEqualTo(403);
  }

  @Test
  void logoutRevokesThePresentedTokenOnlyAndItIs401Everywhere() throws Exception {
    ApiClient auditor = SharedControlPlane.newPlatformUser("auditor");
    String username = auditor.get("/api/v1/me").json().getString("username");
    ApiClient second = ApiClient.signIn(SharedControlPlane.url(), username, "password-" + username);
    assertThat(claims(auditor.token()).getString("jti")).isNotBlank();
    var out = auditor.post("/api/v1/auth/logout", null);
    assertThat(out.status()).isEqualTo(204);
    var me = auditor.get("/api/v1/me");
    assertThat(me.status()).isEqualTo(401);
    assertThat(me.contentType()).startsWith("application/problem+json");
    assertThat(auditor.get("/api/v1/audit").status()).isEqualTo(401);
    assertThat(auditor.post("/api/v1/auth/logout", null).status()).isEqualTo(401);
    // the revocation is in PostgreSQL, where every replica reads it
    try (var c = superuser();
        var st = c.prepareStatement("SELECT expires_at > now() FROM revoked_token WHERE jti = ?")) {
      st.setString(1, claims(auditor.token()).getString("jti"));
      try (var rs = st.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getBoolean(1)).isTrue();
      }
    }
    // the account's other token still works
    assertThat(second.get("/api/v1/me").status()).isEqualTo(200);
    assertThat(
            ApiClient.anonymous(SharedControlPlane.url())
                .post("/api/v1/auth/logout", null)
                .status())
        .isEqualTo(401);
  }

  @Test
  void aTokenRevokedByAnotherReplicaStopsAtItsNextRequest() throws Exception {
    ApiClient auditor = SharedControlPlane.newPlatformUser("auditor");
    assertThat(auditor.get("/api/v1/me").status()).isEqualTo(200);
    // what POST /auth/logout on another replica writes
    try (var c = superuser();
        var st =
            c.prepareStatement(
                "INSERT INTO revoked_token (jti, expires_at)"
                    + " VALUES (?, now() + interval '1 hour')")) {
      st.setString(1, claims(auditor.token()).getString("jti"));
      st.executeUpdate();
    }
    assertThat(auditor.get("/api/v1/me").status())
        .as("the token revoked elsewhere is refused at once")
        .isEqualTo(401);
  }

  @Test
  void repeatedFailuresSlowDownOnlyThatAddressForThatNameWith429AndRetryAfter() {
    ApiClient auditor = SharedControlPlane.newPlatformUser("auditor");
    String username = auditor.get("/api/v1/me").json().getString("username");
    String password = "password-" + username;
    ControlPlane plane = SharedControlPlane.get();
    ApiClient attacker = from("127.0.0.3", plane);
    for (int i = 0; i < 5; i++) {
      assertThat(login(attacker, username, "wrong-password-" + i).status()).isEqualTo(401);
    }
    var slowed = login(attacker, username, password);
    assertThat(slowed.status()).isEqualTo(429);
    assertThat(slowed.contentType()).startsWith("application/problem+json");
    assertThat(retryAfter(slowed)).isBetween(1L, 30L);
    // the account is not locked: its owner, from another address, signs in
    assertThat(login(from("127.0.0.4", plane), username, password).status()).isEqualTo(200);
    // and the attacker's address is still slowed down for that name only
    assertThat(login(attacker, username, password).status()).isEqualTo(429);
    assertThat(
            login(attacker, TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD).status())
        .isEqualTo(200);
  }

  @Test
  void unknownUsernamesAreSlowedDownWithTheSameAnswerAsKnownOnes() {
    ApiClient auditor = SharedControlPlane.newPlatformUser("auditor");
    String known = auditor.get("/api/v1/me").json().getString("username");
    String unknown = SharedControlPlane.unique("nobody").toLowerCase();
    ApiClient attacker = from("127.0.0.5", SharedControlPlane.get());
    for (int i = 0; i < 5; i++) {
      var k = login(attacker, known, "wrong-password-" + i);
      var u = login(attacker, unknown, "wrong-password-" + i);
      assertThat(k.status()).isEqualTo(401);
      assertThat(u.status()).isEqualTo(401);
      assertThat(u.body()).isEqualTo(k.body());
    }
    var k = login(attacker, known, "wrong-password");
    var u = login(attacker, unknown, "wrong-password");
    assertThat(k.status()).isEqualTo(429);
    assertThat(u.status()).isEqualTo(429);
    assertThat(u.json().getString("detail").replaceAll("\\d+ s", "N s"))
        .isEqualTo(k.json().getString("detail").replaceAll("\\d+ s", "N s"));
    assertThat(retryAfter(u)).isBetween(1L, 30L);
  }

  @Test
  void aFailureStreakIsForgottenWhenTheLockoutHasPassed() throws Exception {
    Map<String, String> env = new HashMap<>(TestControlPlane.env("lockout"));
    env.put("WINGU_LOGIN_LOCKOUT", "2");
    try (ControlPlane plane = TestControlPlane.start(env)) {
      ApiClient client = from("127.0.0.6", plane);
      for (int i = 0; i < 5; i++) {
        assertThat(login(client, TestControlPlane.OPERATOR, "wrong-password-" + i).status())
            .isEqualTo(401);
      }
      var slowed = login(client, TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD);
      assertThat(slowed.status()).isEqualTo(429);
      assertThat(retryAfter(slowed)).isBetween(1L, 2L);
      Thread.sleep(2_100);
      // once the wait is over the streak starts again: one more failure does not slow down the
      // right password
      assertThat(login(client, TestControlPlane.OPERATOR, "wrong-password").status())
          .isEqualTo(401);
      assertThat(
              login(client, TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD).status())
          .isEqualTo(200);
    }
  }

  @Test
  void tooManyAttemptsFromOneAddressAre429() {
    Map<String, String> env = new HashMap<>(TestControlPlane.env("throttle"));
    env.put("WINGU_LOGIN_RATE", "3");
    try (ControlPlane plane = TestControlPlane.start(env)) {
      var anon = ApiClient.anonymous(plane.url());
      JsonObject wrong =
          new JsonObject().put("username", "operator").put("password", "wrong-password");
      for (int i = 0; i < 3; i++) {
        assertThat(anon.post("/api/v1/auth/login", wrong).status()).isEqualTo(401);
      }
      var limited =
          anon.post(
              "/api/v1/auth/login",
              new JsonObject()
                  .put("username", TestControlPlane.OPERATOR)
                  .put("password", TestControlPlane.OPERATOR_PASSWORD));
      assertThat(limited.status()).isEqualTo(429);
      assertThat(limited.raw().headers().firstValue("Retry-After")).isPresent();
    }
  }
}
