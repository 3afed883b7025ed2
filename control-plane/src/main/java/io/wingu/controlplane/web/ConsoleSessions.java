package io.wingu.controlplane.web;

import io.wingu.controlplane.app.Sha256;
import io.wingu.controlplane.auth.AccessTokens;
import io.wingu.controlplane.auth.SignInPolicy;
import io.wingu.controlplane.caller.Caller;
import io.wingu.controlplane.caller.Role;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * SQL for the console's sessions (table {@code web_session}). The cookie carries a random token;
 * the table holds only its SHA-256, the account and the session's CSRF token.
 */
final class ConsoleSessions {

  /**
   * A signed-in session: its id (the person's sessions page names it), who, the token every form of
   * theirs must carry, and whether they must turn on two-factor sign-in before anything else.
   */
  record Session(UUID id, Caller caller, String csrfToken, boolean mustEnrol) {}

  /** A new session: the cookie's value and the session it opens. */
  record Opened(String cookieValue, Session session) {}

  static final Duration LIFETIME = Duration.ofHours(8);

  /** How stale a session's "last seen" may get before a page view writes it again. */
  static final Duration SEEN_EVERY = Duration.ofMinutes(1);

  private static final SecureRandom RANDOM = new SecureRandom();

  private final SignInPolicy policy;

  ConsoleSessions(SignInPolicy policy) {
    this.policy = policy;
  }

  /** Opens a session for {@code caller}, from {@code address} with the browser {@code agent}. */
  Opened open(Handle h, Caller caller, Instant now, String address, String agent) {
    String token = randomToken();
    String csrf = randomToken();
    UUID id = UUID.randomUUID();
    h.createUpdate(
            "INSERT INTO web_session (id, token_hash, account_id, csrf_token, created_at,"
                + " expires_at, last_seen_at, address, user_agent) VALUES (:id, :tokenHash,"
                + " :accountId, :csrf, :now, :expiresAt, :now, :address, :agent)")
        .bind("id", id)
        .bind("tokenHash", hash(token))
        .bind("accountId", caller.accountId())
        .bind("csrf", csrf)
        .bind("now", now)
        .bind("expiresAt", now.plus(LIFETIME))
        .bind("address", AccessTokens.clip(address, 64))
        .bind("agent", AccessTokens.clip(agent, 300))
        .execute();
    // expired sessions go when someone signs in: no timer needed, the table stays small
    h.createUpdate("DELETE FROM web_session WHERE expires_at < :now").bind("now", now).execute();
    return new Opened(token, new Session(id, caller, csrf, false));
  }

  /**
   * The live session of a cookie value; the account is read afresh, so a changed role applies at
   * once.
   */
  Optional<Session> find(Handle h, String cookieValue, Instant now) {
    String tokenHash = hash(cookieValue);
    h.createUpdate(
            "UPDATE web_session SET last_seen_at = :now WHERE token_hash = :tokenHash"
                + " AND (last_seen_at IS NULL OR last_seen_at < :staleBefore)")
        .bind("tokenHash", tokenHash)
        .bind("now", now)
        .bind("staleBefore", now.minus(SEEN_EVERY))
        .execute();
    // a disabled account's sessions stop at once, even one its disabling did not reach
    return h.createQuery(
            "SELECT s.id AS session_id, s.csrf_token, a.id, a.username, a.role, a.institution_id,"
                + " a.password_hash NOT LIKE '!%' AS local,"
                + " a.totp_confirmed_at IS NOT NULL AS totp_on FROM web_session s"
                + " JOIN account a ON a.id = s.account_id"
                + " WHERE s.token_hash = :tokenHash AND s.expires_at > :now"
                + " AND a.disabled_at IS NULL")
        .bind("tokenHash", tokenHash)
        .bind("now", now)
        .map(
            (rs, ctx) -> {
              Role role = Role.fromWire(rs.getString("role")).orElseThrow();
              return new Session(
                  rs.getObject("session_id", UUID.class),
                  new Caller(
                      rs.getObject("id", UUID.class),
                      rs.getString("username"),
                      role,
                      Optional.ofNullable(rs.getObject("institution_id", UUID.class))),
                  rs.getString("csrf_token"),
                  policy.mustEnrol(role, rs.getBoolean("local"), rs.getBoolean("totp_on")));
            })
        .findOne();
  }

  void close(Handle h, String cookieValue) {
    h.createUpdate("DELETE FROM web_session WHERE token_hash = :tokenHash")
        .bind("tokenHash", hash(cookieValue))
        .execute();
  }

  static String randomToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String hash(String token) {
    return Sha256.hex(token);
  }

  /** Compares tokens in constant time, so a forged one teaches nothing. */
  static boolean sameToken(String expected, String given) {
    return given != null
        && MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }
}
