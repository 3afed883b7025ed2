package io.wingu.controlplane.auth;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.app.DomainError;
import io.wingu.controlplane.app.FieldError;
import io.wingu.controlplane.app.Problem;
import io.wingu.controlplane.caller.Caller;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Two-factor sign-in for accounts with a Wingu password: enrolment (a secret, shown as text and as
 * a QR code), its confirmation by a first code (which gives ten single-use recovery codes, shown
 * once and kept as hashes), and the check of a code at sign-in, which never accepts one code twice.
 */
public final class TwoFactorService {

  /** The name authenticator apps show beside the account. */
  static final String ISSUER = "Wingu";

  /** Words every refusal of a second factor has, and no other sign-in refusal. */
  static final String REFUSAL = "two-factor";

  private final AccountsDatabase db;
  private final TwoFactorStore store = new TwoFactorStore();

  public TwoFactorService(AccountsDatabase db) {
    this.db = db;
  }

  /** An enrolment under way: the secret as text, the URI apps read, and its QR code (SVG). */
  public record Enrolment(String secret, String otpauthUri) {
    public JsonObject toJson() {
      return new JsonObject().put("secret", secret).put("otpauthUri", otpauthUri);
    }

    /** The QR code of {@link #otpauthUri}, drawn on the server; {@code title} is its text name. */
    public String qrSvg(String title) {
      return TwoFactor.qrSvg(otpauthUri, title);
    }
  }

  /** Whether the account signs in with a code too. */
  public Future<Boolean> enabled(UUID accountId) {
    return db.withHandle(h -> store.state(h, accountId).confirmed());
  }

  /** The enrolment under way for the caller, if any (the console shows it again after a typo). */
  public Future<java.util.Optional<Enrolment>> pending(Caller caller) {
    return db.withHandle(
        h -> {
          TwoFactorStore.State state = store.state(h, caller.accountId());
          return state.confirmed()
              ? java.util.Optional.<Enrolment>empty()
              : state
                  .secret()
                  .map(s -> new Enrolment(s, TwoFactor.otpauthUri(ISSUER, caller.username(), s)));
        });
  }

  /**
   * Starts enrolment with a new secret (a pending one is replaced); 409 {@code totp-enabled} when
   * two-factor sign-in is on already.
   */
  public Future<Enrolment> enrol(Caller caller) {
    String secret = TwoFactor.newSecret();
    return db.inTransaction(
        h -> {
          if (!store.start(h, caller.accountId(), secret)) {
            throw DomainError.conflict(
                "totp-enabled", null, "Two-factor sign-in is already on for this account");
          }
          return new Enrolment(secret, TwoFactor.otpauthUri(ISSUER, caller.username(), secret));
        });
  }

  /**
   * Turns two-factor sign-in on with the first code of the pending enrolment, and returns the ten
   * recovery codes (shown this once).
   */
  public Future<List<String>> confirm(Caller caller, String code, String requestId) {
    Instant now = db.clock().instant();
    return db.inTransaction(
        h -> {
          TwoFactorStore.State state = store.state(h, caller.accountId());
          if (state.confirmed()) {
            throw DomainError.conflict(
                "totp-enabled", null, "Two-factor sign-in is already on for this account");
          }
          if (state.secret().isEmpty()) {
            throw DomainError.conflict(
                "totp-not-started",
                null,
                "No enrolment is under way: start one with POST /api/v1/me/totp");
          }
          OptionalLong step = TwoFactor.matchingStep(state.secret().get(), code, now);
          if (step.isEmpty()) {
            throw DomainError.invalid(
                "The code is not the authenticator's current code",
                List.of(
                    new FieldError(
                        "code",
                        "is not the current six-digit code of this enrolment (check the phone's"
                            + " clock)")));
          }
          store.confirm(h, caller.accountId(), now, step.getAsLong());
          List<String> codes = TwoFactor.newRecoveryCodes();
          store.replaceRecoveryCodes(
              h, caller.accountId(), codes.stream().map(TwoFactor::recoveryHash).toList());
          db.events()
              .record(
                  h,
                  caller.username(),
                  "account.totp.enable",
                  "account/" + caller.username(),
                  caller.institutionId().orElse(null),
                  requestId,
                  new JsonObject().put("recoveryCodes", codes.size()));
          return codes;
        });
  }

  /**
   * Checks the second factor of an account whose password was right, within the sign-in's handle:
   * nothing to check when two-factor sign-in is off; otherwise a current code not used before, or
   * an unused recovery code. Throws a 401 Problem otherwise; {@code failed} runs first on a wrong
   * or replayed code, so that it counts as a failed sign-in.
   */
  void check(Handle h, UUID accountId, String typed, Runnable failed) {
    TwoFactorStore.State state = store.state(h, accountId);
    if (!state.confirmed()) {
      return;
    }
    if (typed == null || typed.isBlank()) {
      throw new Problem(
          401,
          "Unauthorized",
          "This account signs in with a two-factor code too: give the authenticator's six-digit"
              + " code (or a recovery code) as 'totp'");
    }
    Instant now = db.clock().instant();
    if (TwoFactor.looksLikeRecoveryCode(typed)) {
      if (!store.useRecoveryCode(h, accountId, TwoFactor.recoveryHash(typed), now)) {
        failed.run();
        throw new Problem(
            401, "Unauthorized", "Wrong or already used two-factor recovery code; each works once");
      }
      return;
    }
    OptionalLong step = TwoFactor.matchingStep(state.secret().orElseThrow(), typed.trim(), now);
    if (step.isEmpty()) {
      failed.run();
      throw new Problem(401, "Unauthorized", "Wrong two-factor code");
    }
    if (!store.useStep(h, accountId, step.getAsLong())) {
      failed.run();
      throw new Problem(
          401,
          "Unauthorized",
          "This two-factor code was used already; wait for the authenticator's next code");
    }
  }
}
