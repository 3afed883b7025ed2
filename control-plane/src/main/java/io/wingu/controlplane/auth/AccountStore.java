package io.wingu.controlplane.auth;

import io.wingu.controlplane.app.Rows;
import io.wingu.controlplane.caller.Caller;
import io.wingu.controlplane.caller.Role;
import java.util.List;
import java.util.Map;
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

  /** The columns of {@link #ACCOUNT} for queries that need no hash. */
  private static final String SELECT_WITHOUT_HASH =
      "SELECT id, username, NULL AS password_hash, role, institution_id FROM account";

  Account insert(
      Handle h, String username, String password, Role role, Optional<UUID> institution) {
    return insert(
        h, new Account(UUID.randomUUID(), username, Passwords.hash(password), role, institution));
  }

  /**
   * An account that signs in only through the identity provider: its password hash matches no
   * password ({@link Passwords#NO_PASSWORD}).
   */
  Account insertExternal(Handle h, String username, Role role, Optional<UUID> institution) {
    return insert(
        h, new Account(UUID.randomUUID(), username, Passwords.NO_PASSWORD, role, institution));
  }

  private static Account insert(Handle h, Account a) {
    h.createUpdate(
            "INSERT INTO account (id, username, password_hash, role, institution_id)"
                + " VALUES (:id, :username, :passwordHash, :role, :institutionId)")
        .bind("id", a.id())
        .bind("username", a.username())
        .bind("passwordHash", a.passwordHash())
        .bind("role", a.role().wireName())
        .bind("institutionId", a.institutionId().orElse(null))
        .execute();
    return a;
  }

  boolean disabled(Handle h, UUID id) {
    return h.createQuery("SELECT disabled_at IS NOT NULL FROM account WHERE id = :id")
        .bind("id", id)
        .mapTo(Boolean.class)
        .findOne()
        .orElse(true);
  }

  boolean usernameTaken(Handle h, String username) {
    return Rows.exists(
        h, "SELECT 1 FROM account WHERE username = :username", Map.of("username", username));
  }

  /** The account of that name, disabled or not ({@link #disabled} tells). */
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
    return h.createQuery(SELECT_WITHOUT_HASH + " WHERE id = :id AND disabled_at IS NULL")
        .bind("id", id)
        .map(ACCOUNT)
        .findOne()
        .map(Account::asCaller);
  }

  /**
   * What a presented access token stands for now, in one indexed round trip: whether its id was
   * revoked, and its account unless disabled or gone (empty then).
   */
  record TokenStanding(boolean revoked, Optional<Caller> account) {}

  TokenStanding tokenStanding(Handle h, UUID accountId, String tokenId) {
    return h.createQuery(
            "SELECT EXISTS (SELECT 1 FROM revoked_token WHERE jti = :jti) AS revoked, a.id,"
                + " a.username, NULL AS password_hash, a.role, a.institution_id FROM (SELECT 1) AS one"
                + " LEFT JOIN account a ON a.id = :id AND a.disabled_at IS NULL")
        .bind("jti", tokenId)
        .bind("id", accountId)
        .map(
            (rs, ctx) ->
                new TokenStanding(
                    rs.getBoolean("revoked"),
                    rs.getObject("id") == null
                        ? Optional.empty()
                        : Optional.of(ACCOUNT.map(rs, ctx).asCaller())))
        .one();
  }

  private static final RowMapper<Person> PERSON =
      (rs, ctx) ->
          new Person(
              rs.getObject("id", UUID.class),
              rs.getString("username"),
              Role.fromWire(rs.getString("role")).orElseThrow(),
              Optional.ofNullable(rs.getObject("institution_id", UUID.class)),
              Optional.ofNullable(rs.getString("disabled_by")),
              rs.getTimestamp("created_at").toInstant(),
              Optional.ofNullable(rs.getTimestamp("last_sign_in_at")).map(t -> t.toInstant()),
              !rs.getString("password_hash").startsWith("!"));

  private static final String PERSON_COLUMNS =
      "id, username, role, institution_id, disabled_by, created_at, last_sign_in_at,"
          + " password_hash";

  /** A person's account as administrators see it (never agents), disabled or not. */
  Optional<Person> findPerson(Handle h, UUID id) {
    return h.createQuery(
            "SELECT " + PERSON_COLUMNS + " FROM account WHERE id = :id AND role <> 'agent'")
        .bind("id", id)
        .map(PERSON)
        .findOne();
  }

  /** The people of one institution as administrators see them, by username. */
  List<Person> peopleOf(Handle h, UUID institutionId) {
    return h.createQuery(
            "SELECT "
                + PERSON_COLUMNS
                + " FROM account WHERE institution_id = :institutionId ORDER BY username")
        .bind("institutionId", institutionId)
        .map(PERSON)
        .list();
  }

  /** The stored hash of an account's password ({@link Passwords#NO_PASSWORD} when it has none). */
  Optional<String> passwordHash(Handle h, UUID id) {
    return h.createQuery("SELECT password_hash FROM account WHERE id = :id")
        .bind("id", id)
        .mapTo(String.class)
        .findOne();
  }

  void setPasswordHash(Handle h, UUID id, String hash) {
    h.createUpdate("UPDATE account SET password_hash = :hash WHERE id = :id")
        .bind("hash", hash)
        .bind("id", id)
        .execute();
  }

  /** Disables an enabled account; false when it was disabled already. */
  boolean disable(Handle h, UUID id, String by, java.time.Instant now) {
    return Rows.changeOne(
        h,
        "UPDATE account SET disabled_at = :now, disabled_by = :by"
            + " WHERE id = :id AND disabled_at IS NULL",
        Map.of("now", now, "by", by, "id", id));
  }

  /** Enables an account that {@code by} disabled; false when it was not so disabled. */
  boolean enable(Handle h, UUID id, String by) {
    return Rows.changeOne(
        h,
        "UPDATE account SET disabled_at = NULL, disabled_by = NULL"
            + " WHERE id = :id AND disabled_by = :by",
        Map.of("by", by, "id", id));
  }

  boolean delete(Handle h, UUID id) {
    return Rows.changeOne(h, "DELETE FROM account WHERE id = :id", Map.of("id", id));
  }

  void signedIn(Handle h, UUID id, java.time.Instant now) {
    h.createUpdate("UPDATE account SET last_sign_in_at = :now WHERE id = :id")
        .bind("now", now)
        .bind("id", id)
        .execute();
  }

  /** The people of one institution (never agents or platform accounts), by username. */
  List<Account> listByInstitution(Handle h, UUID institutionId) {
    return h.createQuery(
            SELECT_WITHOUT_HASH + " WHERE institution_id = :institutionId ORDER BY username")
        .bind("institutionId", institutionId)
        .map(ACCOUNT)
        .list();
  }
}
