package io.wingu.controlplane.auth;

import io.wingu.controlplane.app.Rows;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** SQL for two-factor sign-in: the account's TOTP columns and its recovery codes. */
final class TwoFactorStore {

  /** An account's two-factor state: a secret (pending or confirmed) and the last step used. */
  record State(Optional<String> secret, boolean confirmed, Optional<Long> lastStep) {}

  State state(Handle h, UUID accountId) {
    return h.createQuery(
            "SELECT totp_secret, totp_confirmed_at IS NOT NULL AS confirmed, totp_last_step"
                + " FROM account WHERE id = :id")
        .bind("id", accountId)
        .map(
            (rs, ctx) ->
                new State(
                    Optional.ofNullable(rs.getString("totp_secret")),
                    rs.getBoolean("confirmed"),
                    Optional.ofNullable(rs.getObject("totp_last_step", Long.class))))
        .findOne()
        .orElse(new State(Optional.empty(), false, Optional.empty()));
  }

  /** Starts (or restarts) an enrolment; false when two-factor sign-in is already on. */
  boolean start(Handle h, UUID accountId, String secret) {
    return Rows.changeOne(
        h,
        "UPDATE account SET totp_secret = :secret, totp_last_step = NULL"
            + " WHERE id = :id AND totp_confirmed_at IS NULL",
        Map.of("id", accountId, "secret", secret));
  }

  /** Turns a pending enrolment on, its first code's step used. */
  boolean confirm(Handle h, UUID accountId, Instant at, long step) {
    return Rows.changeOne(
        h,
        "UPDATE account SET totp_confirmed_at = :at, totp_last_step = :step"
            + " WHERE id = :id AND totp_confirmed_at IS NULL AND totp_secret IS NOT NULL",
        Map.of("id", accountId, "at", at, "step", step));
  }

  /**
   * Records that a code of {@code step} was used; false when that step or a later one was used
   * already (a replayed code).
   */
  boolean useStep(Handle h, UUID accountId, long step) {
    return Rows.changeOne(
        h,
        "UPDATE account SET totp_last_step = :step WHERE id = :id"
            + " AND (totp_last_step IS NULL OR totp_last_step < :step)",
        Map.of("id", accountId, "step", step));
  }

  void replaceRecoveryCodes(Handle h, UUID accountId, List<String> hashes) {
    h.createUpdate("DELETE FROM recovery_code WHERE account_id = :id")
        .bind("id", accountId)
        .execute();
    var batch =
        h.prepareBatch("INSERT INTO recovery_code (account_id, code_hash) VALUES (:id, :codeHash)");
    for (String hash : hashes) {
      batch.bind("id", accountId).bind("codeHash", hash).add();
    }
    batch.execute();
  }

  /** Uses up a recovery code; false when it is not one of the account's unused codes. */
  boolean useRecoveryCode(Handle h, UUID accountId, String hash, Instant at) {
    return Rows.changeOne(
        h,
        "UPDATE recovery_code SET used_at = :at WHERE account_id = :id"
            + " AND code_hash = :codeHash AND used_at IS NULL",
        Map.of("id", accountId, "codeHash", hash, "at", at));
  }

  int unusedRecoveryCodes(Handle h, UUID accountId) {
    return h.createQuery(
            "SELECT count(*) FROM recovery_code WHERE account_id = :id AND used_at IS NULL")
        .bind("id", accountId)
        .mapTo(Integer.class)
        .one();
  }
}
