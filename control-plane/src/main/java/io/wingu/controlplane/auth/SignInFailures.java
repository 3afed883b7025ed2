package io.wingu.controlplane.auth;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * SQL for failed sign-ins in a row per (username as typed, client address), table {@code
 * sign_in_failure}. In PostgreSQL, so that every replica slows down the same address.
 */
final class SignInFailures {

  /** How many failures in a row, and when the last one was. */
  record Streak(int failures, Instant lastFailureAt) {}

  private static final RowMapper<Streak> STREAK =
      (rs, ctx) ->
          new Streak(rs.getInt("failures"), rs.getTimestamp("last_failure_at").toInstant());

  /** Usernames and addresses are kept to the column's width (no account name is longer). */
  static String key(String value) {
    return value.length() <= 64 ? value : value.substring(0, 64);
  }

  Optional<Streak> find(Handle h, String username, String source) {
    return h.createQuery(
            "SELECT failures, last_failure_at FROM sign_in_failure"
                + " WHERE username = :username AND source = :source")
        .bind("username", key(username))
        .bind("source", key(source))
        .map(STREAK)
        .findOne();
  }

  /**
   * Counts one more failure at {@code now}; a streak whose last failure was before {@code
   * forgottenBefore} starts again at one. Streaks forgotten that way are deleted.
   */
  void record(Handle h, String username, String source, Instant now, Instant forgottenBefore) {
    h.createUpdate(
            "INSERT INTO sign_in_failure AS f (username, source, failures, last_failure_at)"
                + " VALUES (:username, :source, 1, :now) ON CONFLICT (username, source) DO UPDATE SET"
                + " failures = CASE WHEN f.last_failure_at < :forgottenBefore THEN 1"
                + " ELSE f.failures + 1 END, last_failure_at = EXCLUDED.last_failure_at")
        .bind("username", key(username))
        .bind("source", key(source))
        .bind("now", now)
        .bind("forgottenBefore", forgottenBefore)
        .execute();
    // forgotten streaks go when someone fails: no timer needed, the table stays small
    h.createUpdate("DELETE FROM sign_in_failure WHERE last_failure_at < :forgottenBefore")
        .bind("forgottenBefore", forgottenBefore)
        .execute();
  }

  /** A successful sign-in ends the streak of that name from that address. */
  void forget(Handle h, String username, String source) {
    h.createUpdate("DELETE FROM sign_in_failure WHERE username = :username AND source = :source")
        .bind("username", key(username))
        .bind("source", key(source))
        .execute();
  }
}
