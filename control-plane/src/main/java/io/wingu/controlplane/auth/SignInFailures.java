package io.wingu.controlplane.auth;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * SQL for failed sign-ins in a row per (username as typed, client address), table {@code
 * sign_in_failure}. In PostgreSQL, so that every replica slows down the same address.
 */
final class SignInFailures {

  /** How many failures in a row, and when the last one was. */
  record Streak(int failures, Instant lastFailureAt) {}

  /** Usernames and addresses are kept to the column's width (no account name is longer). */
  static String key(String value) {
    return value.length() <= 64 ? value : value.substring(0, 64);
  }

  Optional<Streak> find(Connection c, String username, String source) throws SQLException {
    try (var st =
        c.prepareStatement(
            "SELECT failures, last_failure_at FROM sign_in_failure"
                + " WHERE username = ? AND source = ?")) {
      st.setString(1, key(username));
      st.setString(2, key(source));
      try (ResultSet rs = st.executeQuery()) {
        return rs.next()
            ? Optional.of(
                new Streak(
                    rs.getInt("failures"),
                    rs.getObject("last_failure_at", OffsetDateTime.class).toInstant()))
            : Optional.empty();
      }
    }
  }

  /**
   * Counts one more failure at {@code now}; a streak whose last failure was before {@code
   * forgottenBefore} starts again at one. Streaks forgotten that way are deleted.
   */
  void record(Connection c, String username, String source, Instant now, Instant forgottenBefore)
      throws SQLException {
    try (var st =
        c.prepareStatement(
            "INSERT INTO sign_in_failure AS f (username, source, failures, last_failure_at)"
                + " VALUES (?, ?, 1, ?) ON CONFLICT (username, source) DO UPDATE SET"
                + " failures = CASE WHEN f.last_failure_at < ? THEN 1 ELSE f.failures + 1 END,"
                + " last_failure_at = EXCLUDED.last_failure_at")) {
      st.setString(1, key(username));
      st.setString(2, key(source));
      st.setObject(3, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
      st.setObject(4, OffsetDateTime.ofInstant(forgottenBefore, ZoneOffset.UTC));
      st.executeUpdate();
    }
    // forgotten streaks go when someone fails: no timer needed, the table stays small
    try (var st = c.prepareStatement("DELETE FROM sign_in_failure WHERE last_failure_at < ?")) {
      st.setObject(1, OffsetDateTime.ofInstant(forgottenBefore, ZoneOffset.UTC));
      st.executeUpdate();
    }
  }

  /** A successful sign-in ends the streak of that name from that address. */
  void forget(Connection c, String username, String source) throws SQLException {
    try (var st =
        c.prepareStatement("DELETE FROM sign_in_failure WHERE username = ? AND source = ?")) {
      st.setString(1, key(username));
      st.setString(2, key(source));
      st.executeUpdate();
    }
  }
}
