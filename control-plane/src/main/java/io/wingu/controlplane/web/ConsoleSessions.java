package io.wingu.controlplane.web;

import io.wingu.controlplane.app.Sha256;
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

  /** A signed-in session: who, and the token every form of theirs must carry. */
  record Session(Caller caller, String csrfToken) {}

  /** A new session: the cookie's value and the session it opens. */
  record Opened(String cookieValue, Session session) {}

  static final Duration LIFETIME = Duration.ofHours(8);
  private static final SecureRandom RANDOM = new SecureRandom();

  Opened open(Handle h, Caller caller, Instant now) {
    String token = randomToken();
    String csrf = randomToken();
    h.createUpdate(
            "INSERT INTO web_session (token_hash, account_id, csrf_token, created_at, expires_at)"
                + " VALUES (:tokenHash, :accountId, :csrf, :now, :expiresAt)")
        .bind("tokenHash", hash(token))
        .bind("accountId", caller.accountId())
        .bind("csrf", csrf)
        .bind("now", now)
        .bind("expiresAt", now.plus(LIFETIME))
        .execute();
    // expired sessions go when someone signs in: no timer needed, the table stays small
    h.createUpdate("DELETE FROM web_session WHERE expires_at < :now").bind("now", now).execute();
    return new Opened(token, new Session(caller, csrf));
  }

  /**
   * The live session of a cookie value; the account is read afresh, so a changed role applies at
   * once.
   */
  Optional<Session> find(Handle h, String cookieValue, Instant now) {
    return h.createQuery(
            "SELECT s.csrf_token, a.id, a.username, a.role, a.institution_id FROM web_session s"
                + " JOIN account a ON a.id = s.account_id"
                + " WHERE s.token_hash = :tokenHash AND s.expires_at > :now")
        .bind("tokenHash", hash(cookieValue))
        .bind("now", now)
        .map(
            (rs, ctx) ->
                new Session(
                    new Caller(
                        rs.getObject("id", UUID.class),
                        rs.getString("username"),
                        Role.fromWire(rs.getString("role")).orElseThrow(),
                        Optional.ofNullable(rs.getObject("institution_id", UUID.class))),
                    rs.getString("csrf_token")))
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
