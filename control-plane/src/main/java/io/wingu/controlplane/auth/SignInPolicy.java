package io.wingu.controlplane.auth;

import io.wingu.controlplane.caller.Role;

/**
 * Who may sign in how. With {@code requireTwoFactor} ({@code WINGU_REQUIRE_2FA}), operators and
 * institution admins with a Wingu password must turn on two-factor sign-in before they do anything
 * else (the console takes them to enrolment; the API refuses them a token). Without {@code
 * platformPasswords} ({@code WINGU_PLATFORM_PASSWORD_SIGN_IN=false}) and with an identity provider,
 * operators and auditors sign in only through it — except the one break-glass operator ({@code
 * WINGU_BOOTSTRAP_OPERATOR}), for the day the provider is down.
 */
public record SignInPolicy(
    boolean requireTwoFactor,
    boolean platformPasswords,
    boolean providerConfigured,
    String breakGlassOperator) {

  /** Everything allowed: no second factor required, passwords for every role. */
  public static SignInPolicy open(String breakGlassOperator) {
    return new SignInPolicy(false, true, false, breakGlassOperator);
  }

  /** Whether this account may sign in with its Wingu password. */
  public boolean passwordAllowed(Account account) {
    boolean platform = account.role() == Role.OPERATOR || account.role() == Role.AUDITOR;
    return platformPasswords
        || !providerConfigured
        || !platform
        || account.username().equals(breakGlassOperator);
  }

  /**
   * Whether a person must enrol in two-factor sign-in before anything else: the setting is on, the
   * role is one it covers, the account has a Wingu password ({@code local}; the identity provider
   * checks its own people), and two-factor sign-in is not on yet.
   */
  public boolean mustEnrol(Role role, boolean local, boolean twoFactorOn) {
    return requireTwoFactor
        && (role == Role.OPERATOR || role == Role.INSTITUTION_ADMIN)
        && local
        && !twoFactorOn;
  }
}
