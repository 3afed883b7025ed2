package io.wingu.controlplane.auth;

import io.vertx.core.Future;
import io.wingu.controlplane.app.Database;
import io.wingu.controlplane.app.Problem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The one check of a username and password, for the API's login and the console's sign-in form:
 * attempts per source address, account lockout after repeated failures, constant-time answers.
 * Fails with a 401 Problem on wrong credentials and a 429 one (with Retry-After) when throttled.
 */
public final class PasswordSignIn {

  private final Database db;
  private final AccountStore accounts;
  private final LoginThrottle throttle;
  private final AuthRoutes.LockoutPolicy lockout;
  private final Clock clock;

  public PasswordSignIn(Database db, AccountStore accounts, LoginThrottle throttle, AuthRoutes.LockoutPolicy lockout,
      Clock clock) {
    this.db = db;
    this.accounts = accounts;
    this.throttle = throttle;
    this.lockout = lockout;
    this.clock = clock;
  }

  /** The account whose credentials these are; {@code source} is the caller's address. */
  public Future<Account> check(String source, String username, String password) {
    Optional<Duration> wait = throttle.attempt(source);
    if (wait.isPresent()) {
      return Future.failedFuture(tooMany("Too many sign-in attempts from this address", wait.get()));
    }
    return db.call(c -> {
      Optional<Account> found = accounts.findByUsername(c, username);
      if (found.isEmpty()) {
        Passwords.spendCheckTime(password);
        throw badCredentials();
      }
      Account account = found.get();
      Instant now = clock.instant();
      if (account.lockedUntil() != null && account.lockedUntil().isAfter(now)) {
        throw tooMany("This account is locked after repeated failed sign-ins", Duration.between(now, account.lockedUntil()));
      }
      if (!Passwords.matches(password, account.passwordHash())) {
        accounts.recordFailure(c, account.id(), lockout.maxFailures(), now.plus(lockout.lockFor()));
        throw badCredentials();
      }
      accounts.recordSuccess(c, account.id());
      return account;
    });
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
