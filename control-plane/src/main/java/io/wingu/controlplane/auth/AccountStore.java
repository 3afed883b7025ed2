package io.wingu.controlplane.auth;

import io.wingu.controlplane.caller.Caller;
import io.wingu.controlplane.caller.Role;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/** SQL for accounts. */
final class AccountStore {

  /** A row of {@code account}; queries that need no hash select NULL for it. */
  private static final RowMapper<Account> ACCOUNT =
      (rs, ctx) ->
          new Account(
              rs.getObject("id", UUID.class),
              rs.getString("username"),
              rs.getString("password_hash"),
              Role.fromWire(rs.getString("role")).orElseThrow(),
              Optional.ofNullable(rs.getObject("institution_id", UUID.class)));

  Account insert(
      Handle h, String username, String password, Role role, Optional<UUID> institution) {
    Account a =
        new Account(UUID.randomUUID(), username, Passwords.hash(password), role, institution);
    h.createUpdate(
            "INSERT INTO account (id, username, password_hash, role, institution_id)"
                + " VALUES (:id, :username, :passwordHash, :role, :institutionId)")
        .bind("id", a.id())
        .bind("username", a.username())
        .bind("passwordHash", a.passwordHash())
        .bind("role", role.wireName())
        .bind("institutionId", institution.orElse(null))
        .execute();
    return a;
  }

  /**
   * An account that signs in only through the identity provider: its password hash matches no
   * password ({@link Passwords#NO_PASSWORD}).
   */
  Account insertExternal(Handle h, String username, Role role) {
    Account a =
        new Account(UUID.randomUUID(), username, Passwords.NO_PASSWORD, role, Optional.empty());
    h.createUpdate(
            "INSERT INTO account (id, username, password_hash, role) VALUES (:id, :username,"
                + " :passwordHash, :role)")
        .bind("id", a.id())
        .bind("username", username)
        .bind("passwordHash", a.passwordHash())
        .bind("role", role.wireName())
        .execute();
    return a;
  }

  boolean usernameTaken(Handle h, String username) {
    return h.createQuery("SELECT 1 FROM account WHERE username = :username")
        .bind("username", username)
        .mapTo(Integer.class)
        .findOne()
        .isPresent();
  }

  Optional<Account> findByUsername(Handle h, String username) {
    return h.createQuery("SELECT * FROM account WHERE username = :username")
        .bind("username", username)
        .map(ACCOUNT)
        .findOne();
  }

  /**
   * The account behind a token, read afresh on each check: who it is now (role, institution), if it
   * still exists.
   */
  Optional<Caller> findCaller(Handle h, UUID id) {
    return h.createQuery(
            "SELECT id, username, NULL AS password_hash, role, institution_id FROM account"
                + " WHERE id = :id AND disabled_at IS NULL")
        .bind("id", id)
        .map(ACCOUNT)
        .findOne()
        .map(Account::asCaller);
  }

  /** The people of one institution (never agents or platform accounts), by username. */
  List<Account> listByInstitution(Handle h, UUID institutionId) {
    return h.createQuery(
            "SELECT id, username, NULL AS password_hash, role, institution_id FROM account"
                + " WHERE institution_id = :institutionId ORDER BY username")
        .bind("institutionId", institutionId)
        .map(ACCOUNT)
        .list();
  }
}
