package io.wingu.controlplane.auth;

import io.vertx.core.Future;
import io.wingu.controlplane.app.Problem;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The one check of a username and password, for the API's login and the console's sign-in form:
 * attempts per source address, growing waits after repeated failures for one username from one
 * address ({@link AuthRoutes.LockoutPolicy}), constant-time answers. Known and unknown usernames
 * get the same answers. Fails with a 401 Problem on wrong credentials and a 429 one (with
 * Retry-After) when throttled.
 */
public final class PasswordSignIn {

  private final AccountsDatabase db;
  private final AccountStore accounts;
  private final SignInFailures failures = new SignInFailures();
  private final LoginThrottle throttle;
  private final AuthRoutes.LockoutPolicy lockout;
  private final TwoFactorService twoFactor;
  private final SignInPolicy policy;

  PasswordSignIn(
      AccountService accounts,
      TwoFactorService twoFactor,
      LoginThrottle throttle,
      AuthRoutes.LockoutPolicy lockout,
      SignInPolicy policy) {
    this.policy = policy;
    this.db = accounts.database();
    this.accounts = accounts.store();
    this.twoFactor = twoFactor;
    this.throttle = throttle;
    this.lockout = lockout;
  }

  /** The account whose credentials these are; {@code source} is the caller's address. */
  public Future<Account> check(String source, String username, String password) {
    return check(source, username, password, null);
  }

  /**
   * As {@link #check(String, String, String)}, with the second factor {@code totp} (a six-digit
   * code or a recovery code; null when none was given) for accounts that have one.
   */
  public Future<Account> check(String source, String username, String password, String totp) {
    Optional<Duration> wait = throttle.attempt(source);
    if (wait.isPresent()) {
      return Future.failedFuture(
          tooMany("Too many sign-in attempts from this address", wait.get()));
    }
    return db.withHandle(
        h -> {
          Instant now = db.clock().instant();
          Instant forgottenBefore = now.minus(lockout.lockFor());
          Optional<SignInFailures.Streak> streak =
              failures
                  .find(h, username, source)
                  .filter(s -> !s.lastFailureAt().isBefore(forgottenBefore));
          if (streak.isPresent()) {
            Instant until =
                streak.get().lastFailureAt().plus(lockout.waitAfter(streak.get().failures()));
            if (until.isAfter(now)) {
              // checked before the account is looked up: the same answer whether the name exists or
              // not
              throw tooMany(
                  "Too many failed sign-ins for this username from this address",
                  Duration.between(now, until));
            }
          }
          Optional<Account> found = accounts.findByUsername(h, username);
          boolean matches;
          if (found.isEmpty()) {
            Passwords.spendCheckTime(password);
            matches = false;
          } else {
            matches = Passwords.matches(password, found.get().passwordHash());
          }
          if (!matches) {
            failures.record(h, username, source, now, forgottenBefore);
            throw badCredentials();
          }
          twoFactor.check(
              h,
              found.get().id(),
              totp,
              () -> failures.record(h, username, source, now, forgottenBefore));
          if (streak.isPresent()) {
            failures.forget(h, username, source);
          }
          // told only to whoever knows the password (and the code): the refusal reveals nothing
          // else
          Account account = found.get();
          if (accounts.disabled(h, account.id())) {
            throw new Problem(
                403, "Forbidden", "This account is disabled; ask your administrator to enable it");
          }
          if (!policy.passwordAllowed(account)) {
            throw new Problem(
                403,
                "Forbidden",
                "Operators and auditors sign in through the Authority's identity provider here;"
                    + " password sign-in is off for their roles");
          }
          accounts.signedIn(h, account.id(), now);
          return account;
        });
  }

  /**
   * Whether the person must turn on two-factor sign-in before anything else ({@link
   * SignInPolicy#mustEnrol}).
   */
  public Future<Boolean> mustEnrol(Account account) {
    if (!policy.requireTwoFactor()) {
      return Future.succeededFuture(false);
    }
    return twoFactor
        .enabled(account.id())
        .map(on -> policy.mustEnrol(account.role(), !account.passwordHash().startsWith("!"), on));
  }

  /** Who may sign in how. */
  public SignInPolicy policy() {
    return policy;
  }

  /** Whether a refusal was about the second factor (the password was right). */
  public static boolean refusedSecondFactor(Problem problem) {
    return problem.getMessage() != null && problem.getMessage().contains(TwoFactorService.REFUSAL);
  }

  private static Problem badCredentials() {
    return new Problem(401, "Unauthorized", "Wrong username or password");
  }

  private static Problem tooMany(String detail, Duration wait) {
    long seconds = Math.max(1, wait.toSeconds() + (wait.toMillisPart() > 0 ? 1 : 0));
    return new Problem(429, "Too many requests", detail + "; try again in " + seconds + " s")
        .withHeader("Retry-After", String.valueOf(seconds));
  }
}
