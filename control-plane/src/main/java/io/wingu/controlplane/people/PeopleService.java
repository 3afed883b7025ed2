package io.wingu.controlplane.people;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.app.DomainError;
import io.wingu.controlplane.app.FieldError;
import io.wingu.controlplane.app.Problem;
import io.wingu.controlplane.app.Sha256;
import io.wingu.controlplane.audit.AuditEntry;
import io.wingu.controlplane.audit.AuditedDatabase;
import io.wingu.controlplane.auth.Account;
import io.wingu.controlplane.auth.AccountService;
import io.wingu.controlplane.auth.AccountSessions;
import io.wingu.controlplane.auth.LoginThrottle;
import io.wingu.controlplane.auth.Passwords;
import io.wingu.controlplane.auth.Person;
import io.wingu.controlplane.caller.Caller;
import io.wingu.controlplane.caller.Role;
import io.wingu.controlplane.deploytokens.DeployTokenService;
import io.wingu.controlplane.institutions.InstitutionService;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * The lifecycle of people's accounts: the sessions a person sees and ends, their password change,
 * and what administrators do to their people — disable, enable, remove, end every session, issue a
 * one-time password reset (never seeing or setting the password). An institution admin acts on its
 * institution's people only (another account is 404 to them), an operator on anyone's; nobody on
 * their own account but through the person's routes. Every change is audited.
 */
public final class PeopleService {

  /** How long a password reset code stays usable. */
  static final Duration RESET_LIFETIME = Duration.ofHours(24);

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] BASE32 = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();

  private final AuditedDatabase db;
  private final AccountService accounts;
  private final AccountSessions sessions = new AccountSessions();
  private final DeployTokenService deployTokens;
  private final InstitutionService institutions;
  private final LoginThrottle throttle;
  private final ResetStore resets = new ResetStore();

  public PeopleService(
      AuditedDatabase db,
      AccountService accounts,
      DeployTokenService deployTokens,
      InstitutionService institutions,
      LoginThrottle throttle) {
    this.db = db;
    this.accounts = accounts;
    this.deployTokens = deployTokens;
    this.institutions = institutions;
    this.throttle = throttle;
  }

  // --- a person's own sessions and password ---

  /** The caller's live sessions and usable deploy tokens; {@code current}: the asking session. */
  public Future<MySessions> sessionsOf(Caller caller, Optional<UUID> current) {
    return db.withHandle(
        h ->
            new MySessions(
                sessions.list(h, caller.accountId(), db.clock().instant()),
                deployTokens.activeOf(h, caller.accountId()),
                current));
  }

  /** Ends one of the caller's sessions or deploy tokens (404 when they have no such live one). */
  public Future<Void> endSession(Caller caller, UUID id, String requestId) {
    return db.<Void>inTransaction(
        h -> {
          Instant now = db.clock().instant();
          boolean ended =
              sessions.end(h, caller.accountId(), id, now)
                  || deployTokens.revokeOf(h, caller.accountId(), Optional.of(id)) > 0;
          if (!ended) {
            throw DomainError.notFound("You have no live session or token " + id);
          }
          record(h, caller, "account.session.end", Target.of(caller), requestId, null, idJson(id));
          return null;
        });
  }

  /** "Sign out everywhere else": every session of the caller but {@code current}; how many. */
  public Future<Integer> endOtherSessions(Caller caller, Optional<UUID> current, String requestId) {
    return db.inTransaction(
        h -> {
          int ended = sessions.endAll(h, caller.accountId(), current, db.clock().instant());
          record(
              h,
              caller,
              "account.session.end-others",
              Target.of(caller),
              requestId,
              null,
              new JsonObject().put("ended", ended));
          return ended;
        });
  }

  /**
   * Changes the caller's password: the current one is required (a wrong one is refused on {@code
   * current}, and counts against the caller's attempts like a sign-in), the new one must not be
   * weak or breached. Every other console session and access token of theirs ends; their deploy
   * tokens do not (see {@link #endSignIns}).
   */
  public Future<Void> changePassword(
      Caller caller,
      String current,
      String newPassword,
      Optional<UUID> currentSession,
      String requestId) {
    Optional<Duration> wait = throttle.attempt("password:" + caller.accountId());
    if (wait.isPresent()) {
      return Future.failedFuture(tooMany(wait.get()));
    }
    return db.<Void>inTransaction(
        h -> {
          if (!accounts.passwordMatches(h, caller.accountId(), current)) {
            throw DomainError.invalid(
                "The current password is wrong",
                List.of(new FieldError("current", "is not your current password")));
          }
          if (current.equals(newPassword)) {
            throw DomainError.invalid(
                "The new password is the current one",
                List.of(new FieldError("new", "must differ from the current password")));
          }
          accounts.setPassword(h, caller.accountId(), newPassword, "new");
          int ended = endSignIns(h, caller.accountId(), currentSession);
          record(
              h,
              caller,
              "account.password.change",
              Target.of(caller),
              requestId,
              null,
              new JsonObject().put("sessionsEnded", ended));
          return null;
        });
  }

  // --- administrators ---

  /** GET /institutions/{id}/users: the institution's people (404 when not the caller's). */
  public Future<List<Person>> peopleOf(Caller caller, UUID institutionId) {
    return db.withHandle(
        h -> {
          institutions.get(h, caller.scope(), institutionId);
          return accounts.peopleOf(h, institutionId);
        });
  }

  /** Disables a person: they can no longer sign in, and every session and token ends at once. */
  public Future<Person> disable(Caller admin, UUID id, String requestId) {
    return db.inTransaction(
        h -> {
          Person before = manageable(h, admin, id);
          if (accounts.disable(h, id, db.clock().instant())) {
            int ended = endEverything(h, id, Optional.empty());
            Person after = accounts.person(h, id).orElseThrow();
            record(
                h,
                admin,
                "account.disable",
                Target.of(before),
                requestId,
                before.toJson(),
                after.toJson().put("sessionsEnded", ended));
            return after;
          }
          return before;
        });
  }

  /** Enables a disabled person; their old sessions and tokens stay ended. */
  public Future<Person> enable(Caller admin, UUID id, String requestId) {
    return db.inTransaction(
        h -> {
          Person before = manageable(h, admin, id);
          if (accounts.enable(h, id)) {
            Person after = accounts.person(h, id).orElseThrow();
            record(
                h,
                admin,
                "account.enable",
                Target.of(before),
                requestId,
                before.toJson(),
                after.toJson());
            return after;
          }
          return before;
        });
  }

  /** Removes a person's account and everything only theirs (sessions, tokens, two-factor). */
  public Future<Person> remove(Caller admin, UUID id, String requestId) {
    return db.inTransaction(
        h -> {
          Person before = manageable(h, admin, id);
          accounts.remove(h, id);
          record(h, admin, "account.remove", Target.of(before), requestId, before.toJson(), null);
          return before;
        });
  }

  /** Ends every session and token of a person at once (an operator's action); how many. */
  public Future<Integer> endAllSessions(Caller admin, UUID id, String requestId) {
    return db.inTransaction(
        h -> {
          Person target = manageable(h, admin, id);
          int ended = endEverything(h, id, Optional.empty());
          record(
              h,
              admin,
              "account.session.end-all",
              Target.of(target),
              requestId,
              null,
              new JsonObject().put("ended", ended));
          return ended;
        });
  }

  /** A one-time password reset code and when it expires; only its hash is kept. */
  public record Reset(String code, Instant expiresAt, Person person) {
    public JsonObject toJson() {
      return new JsonObject().put("code", code).put("expiresAt", expiresAt.toString());
    }
  }

  /**
   * Issues a password reset for a person with a Wingu password: a one-time code, for {@link
   * #RESET_LIFETIME}, that the administrator hands over; an earlier one stops working.
   */
  public Future<Reset> issueReset(Caller admin, UUID id, String requestId) {
    String code = newCode();
    return db.inTransaction(
        h -> {
          Person target = manageable(h, admin, id);
          if (!target.local()) {
            throw DomainError.conflict(
                "account-external",
                null,
                "This person signs in through the identity provider and has no Wingu password");
          }
          Instant now = db.clock().instant();
          Instant expires = now.plus(RESET_LIFETIME);
          resets.put(h, id, codeHash(code), admin.username(), now, expires);
          record(
              h,
              admin,
              "account.password.reset-issue",
              Target.of(target),
              requestId,
              null,
              new JsonObject().put("expiresAt", expires.toString()));
          return new Reset(code, expires, target);
        });
  }

  /**
   * POST /auth/reset: sets a new password with a reset code (anyone, throttled per address). A
   * wrong, used or expired code, or a name without one, is refused alike; every console session and
   * access token of the account ends (its deploy tokens stay, as on a password change).
   */
  public Future<Void> reset(String source, String username, String code, String newPassword) {
    Optional<Duration> wait = throttle.attempt(source);
    if (wait.isPresent()) {
      return Future.failedFuture(tooMany(wait.get()));
    }
    String weakness = Passwords.weakness(newPassword);
    if (weakness != null) {
      return Future.failedFuture(
          DomainError.invalid(
              "The password is too weak",
              List.of(new FieldError("newPassword", weakness, "password-too-weak"))));
    }
    Optional<UUID> done = Optional.empty();
    return db.<Optional<UUID>>inTransaction(
            h -> {
              Optional<Account> account = accounts.byUsername(h, username);
              Optional<UUID> used =
                  account.flatMap(a -> resets.use(h, a.id(), codeHash(code), db.clock().instant()));
              if (used.isEmpty()) {
                return done;
              }
              UUID id = used.get();
              accounts.setPassword(h, id, newPassword, "newPassword");
              int ended = endSignIns(h, id, Optional.empty());
              db.audit(
                  h,
                  new AuditEntry(
                      username,
                      "account.password.reset",
                      "account/" + username,
                      account.get().institutionId().orElse(null),
                      null,
                      null,
                      new JsonObject().put("sessionsEnded", ended)));
              return used;
            })
        .compose(
            used -> {
              if (used.isEmpty()) {
                return Future.failedFuture(
                    DomainError.invalid(
                        "The reset code is wrong, used or expired",
                        List.of(
                            new FieldError(
                                "code",
                                "is not a live reset code for this username; ask your"
                                    + " administrator for a new one"))));
              }
              return Future.succeededFuture();
            });
  }

  /**
   * The person an administrator may act on: an operator any person but themselves, an institution
   * admin its own institution's people but themselves; anyone else 404 (as if not there).
   */
  private Person manageable(Handle h, Caller admin, UUID id) {
    Optional<Person> person = accounts.person(h, id);
    boolean visible =
        person.isPresent()
            && (admin.role() == Role.OPERATOR
                || (admin.role() == Role.INSTITUTION_ADMIN
                    && person.get().institutionId().equals(admin.institutionId())));
    if (!visible) {
      throw DomainError.notFound("No account " + id);
    }
    if (id.equals(admin.accountId())) {
      throw DomainError.conflict(
          "account-self",
          null,
          "Administrators do not do this to their own account: another administrator must");
    }
    return person.get();
  }

  /**
   * A new password ends what was opened with the old one: console sessions and access tokens (but
   * {@code keep}). Deploy tokens stay: they belong to a site's pipelines, were never a password's,
   * and a webmaster rotating a password must not stop every publication; they end when revoked,
   * expired, or when the person is disabled or removed ({@link #endEverything}).
   */
  private int endSignIns(Handle h, UUID accountId, Optional<UUID> keep) {
    return sessions.endAll(h, accountId, keep, db.clock().instant());
  }

  /** Ends the account's sessions (but {@code keep}) and revokes its deploy tokens; how many. */
  private int endEverything(Handle h, UUID accountId, Optional<UUID> keep) {
    return sessions.endAll(h, accountId, keep, db.clock().instant())
        + deployTokens.revokeOf(h, accountId, Optional.empty());
  }

  /** Records {@code action} on the account of {@code target} (a name and its institution). */
  private void record(
      Handle h,
      Caller actor,
      String action,
      Target target,
      String requestId,
      JsonObject before,
      JsonObject after)
      throws SQLException {
    db.audit(
        h,
        new AuditEntry(
            actor.username(),
            action,
            "account/" + target.username(),
            target.institutionId().orElse(null),
            requestId,
            before,
            after));
  }

  /** Whose account an audited action concerns. */
  private record Target(String username, Optional<UUID> institutionId) {
    static Target of(Caller c) {
      return new Target(c.username(), c.institutionId());
    }

    static Target of(Person p) {
      return new Target(p.username(), p.institutionId());
    }
  }

  private static JsonObject idJson(UUID id) {
    return new JsonObject().put("id", id.toString());
  }

  /** 20 characters of a 32-letter alphabet without look-alikes: 100 bits, in groups of five. */
  private static String newCode() {
    StringBuilder code = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      if (i > 0 && i % 5 == 0) {
        code.append('-');
      }
      code.append(BASE32[RANDOM.nextInt(BASE32.length)]);
    }
    return code.toString();
  }

  /** The stored form of a code: as typed, without dashes or spaces, in capitals. */
  static String codeHash(String code) {
    return Sha256.hex(code.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT));
  }

  private static Problem tooMany(Duration wait) {
    long seconds = Math.max(1, wait.toSeconds() + (wait.toMillisPart() > 0 ? 1 : 0));
    return new Problem(
            429, "Too many requests", "Too many attempts; try again in " + seconds + " s")
        .withHeader("Retry-After", String.valueOf(seconds));
  }
}
