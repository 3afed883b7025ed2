package io.wingu.controlplane.auth;

import io.vertx.core.Future;
import io.wingu.controlplane.app.DomainError;
import io.wingu.controlplane.app.FieldError;
import io.wingu.controlplane.caller.Caller;
import io.wingu.controlplane.caller.Role;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accounts: the one way in for the API, the console and the other capabilities. Sign-in and access
 * tokens (same package) read accounts through the store this service owns.
 */
public final class AccountService {

  private static final Logger LOG = LoggerFactory.getLogger(AccountService.class);

  private final AccountsDatabase db;
  private final AccountStore store = new AccountStore();

  public AccountService(AccountsDatabase db) {
    this.db = db;
  }

  /**
   * Creates an account and records it in the audit log, for {@code caller}; platform users have no
   * institution. A weak password is refused with {@code password-too-weak}, a taken username by the
   * database's constraint.
   */
  public Future<Account> create(
      Caller caller,
      String username,
      String password,
      Role role,
      Optional<UUID> institution,
      String requestId) {
    String weakness = Passwords.weakness(password);
    if (weakness != null) {
      return Future.failedFuture(
          DomainError.invalid(
              "The password is too weak",
              List.of(new FieldError("password", weakness, "password-too-weak"))));
    }
    return db.inTransaction(
        h -> {
          Account a = store.insert(h, username, password, role, institution);
          db.events()
              .record(
                  h,
                  caller.username(),
                  "account.create",
                  "account/" + a.username(),
                  institution.orElse(null),
                  requestId,
                  a.toJson());
          return a;
        });
  }

  /**
   * Creates the first operator from configuration when no account of that name exists; without a
   * password it only warns, since nobody can sign in yet.
   */
  public Future<Void> ensureOperator(String username, Optional<String> password) {
    return db.inTransaction(
        h -> {
          if (store.findByUsername(h, username).isPresent()) {
            return null;
          }
          if (password.isEmpty()) {
            LOG.warn(
                "no account '{}' and no WINGU_BOOTSTRAP_PASSWORD: nobody can sign in yet",
                username);
            return null;
          }
          Account a = store.insert(h, username, password.get(), Role.OPERATOR, Optional.empty());
          db.events()
              .record(
                  h, "system", "account.bootstrap", "account/" + username, null, null, a.toJson());
          LOG.info("created the bootstrap operator '{}'", username);
          return null;
        });
  }

  /**
   * The people of one institution (never agents or platform accounts), by username, within the
   * caller's transaction.
   */
  public List<Account> listByInstitution(Handle h, UUID institutionId) {
    return store.listByInstitution(h, institutionId);
  }

  /**
   * The account {@code id} as a caller now (its current role and institution), or empty when it is
   * gone or disabled, within the caller's transaction: what a deploy token acts as.
   */
  public Optional<Caller> standing(Handle h, UUID id) {
    return store.findCaller(h, id);
  }

  /** A person's account as administrators see it, within the caller's transaction. */
  public Optional<Person> person(Handle h, UUID id) {
    return store.findPerson(h, id);
  }

  /** The account of that name, disabled or not, within the caller's transaction. */
  public Optional<Account> byUsername(Handle h, String username) {
    return store.findByUsername(h, username);
  }

  /** The people of one institution as administrators see them, within the caller's transaction. */
  public List<Person> peopleOf(Handle h, UUID institutionId) {
    return store.peopleOf(h, institutionId);
  }

  /**
   * Whether {@code password} is the account's Wingu password (constant time whatever the answer; an
   * account without one matches nothing).
   */
  public boolean passwordMatches(Handle h, UUID id, String password) {
    Optional<String> hash = store.passwordHash(h, id);
    if (hash.isEmpty()) {
      Passwords.spendCheckTime(password);
      return false;
    }
    return Passwords.matches(password, hash.get());
  }

  /**
   * Sets the account's password, within the caller's transaction; a weak or breached one is refused
   * with {@code password-too-weak} on {@code field}.
   */
  public void setPassword(Handle h, UUID id, String password, String field) {
    String weakness = Passwords.weakness(password);
    if (weakness != null) {
      throw DomainError.invalid(
          "The password is too weak",
          List.of(new FieldError(field, weakness, "password-too-weak")));
    }
    store.setPasswordHash(h, id, Passwords.hash(password));
  }

  /** Disables an account by an administrator's decision; false when it was disabled already. */
  public boolean disable(Handle h, UUID id, java.time.Instant now) {
    return store.disable(h, id, "admin", now);
  }

  /**
   * Enables an account an administrator or the identity provider disabled; false when it was not
   * disabled.
   */
  public boolean enable(Handle h, UUID id) {
    return store.enable(h, id, "admin") || store.enable(h, id, "identity-provider");
  }

  /** Removes the account and everything that is only its own (sessions, tokens, codes). */
  public boolean remove(Handle h, UUID id) {
    return store.delete(h, id);
  }

  /** The database, for sign-in in this package. */
  AccountsDatabase database() {
    return db;
  }

  /** The store, for sign-in and token checks in this package. */
  AccountStore store() {
    return store;
  }
}
