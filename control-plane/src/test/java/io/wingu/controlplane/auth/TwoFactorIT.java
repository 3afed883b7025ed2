package io.wingu.controlplane.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.SharedControlPlane;
import io.wingu.controlplane.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two-factor sign-in on a real control plane and PostgreSQL: enrolment, confirmation by a first
 * code, sign-in with a code or a recovery code, and each refusal (missing, wrong, replayed, used
 * recovery code).
 */
class TwoFactorIT {

  private record Person(String username, String password, ApiClient client) {}

  private static Person newPerson() {
    String username = SharedControlPlane.unique("tfa").toLowerCase();
    String password = "password-" + username;
    var r =
        SharedControlPlane.operator()
            .post(
                "/api/v1/users",
                new JsonObject()
                    .put("username", username)
                    .put("password", password)
                    .put("role", "auditor"));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return new Person(
        username, password, ApiClient.signIn(SharedControlPlane.url(), username, password));
  }

  private static ApiClient.Response login(Person p, String totp) {
    JsonObject body = new JsonObject().put("username", p.username()).put("password", p.password());
    if (totp != null) {
      body.put("totp", totp);
    }
    return ApiClient.anonymous(SharedControlPlane.url()).post("/api/v1/auth/login", body);
  }

  /** Enrols and confirms with the current code; the secret and the recovery codes. */
  private static String enrol(Person p, List<String> recoveryCodes) {
    var started = p.client().post("/api/v1/me/totp", new JsonObject());
    assertThat(started.status()).as(started.body()).isEqualTo(200);
    String secret = started.json().getString("secret");
    assertThat(started.json().getString("otpauthUri"))
        .startsWith("otpauth://totp/Wingu:" + p.username())
        .contains("secret=" + secret);
    var confirmed =
        p.client()
            .post(
                "/api/v1/me/totp/confirm",
                new JsonObject().put("code", TwoFactor.code(secret, Instant.now())));
    assertThat(confirmed.status()).as(confirmed.body()).isEqualTo(200);
    confirmed.json().getJsonArray("recoveryCodes").forEach(c -> recoveryCodes.add((String) c));
    return secret;
  }

  private static Connection superuser() throws SQLException {
    return TestDatabase.superuser(SharedControlPlane.env().get("WINGU_DB_URL"));
  }

  @Test
  void withTwoFactorOnSignInNeedsTheCurrentCodeAndNeverTakesOneTwice() {
    Person p = newPerson();
    List<String> recovery = new java.util.ArrayList<>();
    String secret = enrol(p, recovery);
    assertThat(recovery).hasSize(10).doesNotHaveDuplicates();

    var without = login(p, null);
    assertThat(without.status()).isEqualTo(401);
    assertThat(without.json().getString("detail")).contains("two-factor code");

    assertThat(login(p, "000000").status()).isEqualTo(401);

    String next = TwoFactor.code(secret, Instant.now().plusSeconds(30));
    var signedIn = login(p, next);
    assertThat(signedIn.status()).as(signedIn.body()).isEqualTo(200);
    assertThat(signedIn.json().getString("accessToken")).isNotBlank();

    var replayed = login(p, next);
    assertThat(replayed.status()).isEqualTo(401);
    assertThat(replayed.json().getString("detail")).contains("used already");
    var older = login(p, TwoFactor.code(secret, Instant.now().minusSeconds(30)));
    assertThat(older.status()).isEqualTo(401);
  }

  @Test
  void aRecoveryCodeSignsInOnceAndTheCodesAreKeptAsHashes() throws SQLException {
    Person p = newPerson();
    List<String> recovery = new java.util.ArrayList<>();
    enrol(p, recovery);
    assertThat(login(p, recovery.get(3)).status()).isEqualTo(200);
    var again = login(p, recovery.get(3));
    assertThat(again.status()).isEqualTo(401);
    assertThat(again.json().getString("detail")).contains("recovery code");
    assertThat(login(p, recovery.get(4).toUpperCase(java.util.Locale.ROOT)).status())
        .isEqualTo(200);

    try (Connection c = superuser();
        var st =
            c.prepareStatement(
                "SELECT r.code_hash FROM recovery_code r JOIN account a ON a.id = r.account_id"
                    + " WHERE a.username = ?")) {
      st.setString(1, p.username());
      var rs = st.executeQuery();
      int rows = 0;
      while (rs.next()) {
        rows++;
        String stored = rs.getString(1);
        assertThat(recovery).noneMatch(code -> stored.contains(code.replace("-", "")));
      }
      assertThat(rows).isEqualTo(10);
    }
  }

  @Test
  void wrongCodesCountAsFailedSignIns() throws SQLException {
    Person p = newPerson();
    enrol(p, new java.util.ArrayList<>());
    assertThat(login(p, "123456").status()).isIn(401);
    try (Connection c = superuser();
        var st = c.prepareStatement("SELECT failures FROM sign_in_failure WHERE username = ?")) {
      st.setString(1, p.username());
      var rs = st.executeQuery();
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isPositive();
    }
  }

  @Test
  void enrolmentIsConfirmedOnlyByTheRightCodeAndOnlyOnce() {
    Person p = newPerson();
    var notStarted =
        p.client().post("/api/v1/me/totp/confirm", new JsonObject().put("code", "123456"));
    assertThat(notStarted.status()).isEqualTo(409);
    assertThat(notStarted.json().getString("code")).isEqualTo("totp-not-started");

    String secret = p.client().post("/api/v1/me/totp", new JsonObject()).json().getString("secret");
    var wrong = p.client().post("/api/v1/me/totp/confirm", new JsonObject().put("code", "12345x"));
    assertThat(wrong.status()).isEqualTo(400);
    assertThat(wrong.body()).contains("code");
    // until confirmed, sign-in needs no code
    assertThat(login(p, null).status()).isEqualTo(200);

    var ok =
        p.client()
            .post(
                "/api/v1/me/totp/confirm",
                new JsonObject().put("code", TwoFactor.code(secret, Instant.now())));
    assertThat(ok.status()).isEqualTo(200);
    var twice = p.client().post("/api/v1/me/totp", new JsonObject());
    assertThat(twice.status()).isEqualTo(409);
    assertThat(twice.json().getString("code")).isEqualTo("totp-enabled");
  }
}
