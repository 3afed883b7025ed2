package io.wingu.controlplane.people;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** SQL for password resets (table {@code password_reset}): one per account, kept as a hash. */
final class ResetStore {

  /** Stores a new reset for the account, replacing an earlier one. */
  void put(
      Handle h, UUID accountId, String codeHash, String createdBy, Instant now, Instant expires) {
    h.createUpdate(
            "INSERT INTO password_reset (account_id, code_hash, created_by, created_at, expires_at)"
                + " VALUES (:accountId, :codeHash, :createdBy, :now, :expires)"
                + " ON CONFLICT (account_id) DO UPDATE SET code_hash = EXCLUDED.code_hash,"
                + " created_by = EXCLUDED.created_by, created_at = EXCLUDED.created_at,"
                + " expires_at = EXCLUDED.expires_at")
        .bind("accountId", accountId)
        .bind("codeHash", codeHash)
        .bind("createdBy", createdBy)
        .bind("now", now)
        .bind("expires", expires)
        .execute();
  }

  /**
   * Uses up the account's reset when {@code codeHash} is its code and it has not expired: deleted
   * either way once it matched; the account's id then, else empty.
   */
  Optional<UUID> use(Handle h, UUID accountId, String codeHash, Instant now) {
    return h.createQuery(
            "DELETE FROM password_reset WHERE account_id = :accountId AND code_hash = :codeHash"
                + " RETURNING account_id, expires_at > :now AS live")
        .bind("accountId", accountId)
        .bind("codeHash", codeHash)
        .bind("now", now)
        .map((rs, ctx) -> rs.getBoolean("live"))
        .findOne()
        .filter(live -> live)
        .map(live -> accountId);
  }
}
