package io.wingu.controlplane.web;

import io.wingu.controlplane.auth.Caller;
import io.wingu.controlplane.auth.Role;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

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

  Opened open(Connection c, Caller caller, Instant now) throws SQLException {
    String token = randomToken();
    String csrf = randomToken();
    try (var st =
        c.prepareStatement(
            "INSERT INTO web_session (token_hash, account_id, csrf_token, created_at,"
                + " expires_at) VALUES (?, ?, ?, ?, ?)")) {
      st.setString(1, hash(token));
      st.setObject(2, caller.accountId());
      st.setString(3, csrf);
      st.setObject(4, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
      st.setObject(5, OffsetDateTime.ofInstant(now.plus(LIFETIME), ZoneOffset.UTC));
      st.executeUpdate();
    }
    // expired sessions go when someone signs in: no timer needed, the table stays small
    try (var st = c.prepareStatement("DELETE FROM web_session WHERE expires_at < ?")) {
      st.setObject(1, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
      st.executeUpdate();
    }
    return new Opened(token, new Session(caller, csrf));
  }

  /**
   * The live session of a cookie value; the account is read afresh, so a changed role applies at
   * once.
   */
  Optional<Session> find(Connection c, String cookieValue, Instant now) throws SQLException {
    try (var st =
        c.prepareStatement(
            "SELECT s.csrf_token, a.id, a.username, a.role, a.institution_id"
                + " FROM web_session s JOIN account a ON a.id = s.account_id WHERE s.token_hash = ? AND s.expires_at > ?")) {
      st.setString(1, hash(cookieValue));
      st.setObject(2, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
      try (ResultSet rs = st.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        Role role = Role.fromWire(rs.getString("role")).orElseThrow();
        Caller caller =
            new Caller(
                rs.getObject("id", UUID.class),
                rs.getString("username"),
                role,
                Optional.ofNullable(rs.getObject("institution_id", UUID.class)));
        return Optional.of(new Session(caller, rs.getString("csrf_token")));
      }
    }
  }

  void close(Connection c, String cookieValue) throws SQLException {
    try (var st = c.prepareStatement("DELETE FROM web_session WHERE token_hash = ?")) {
      st.setString(1, hash(cookieValue));
      st.executeUpdate();
    }
  }

  static String randomToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String hash(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Compares tokens in constant time, so a forged one teaches nothing. */
  static boolean sameToken(String expected, String given) {
    return given != null
        && MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }
}
