package io.wingu.controlplane.auth;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Access;
import io.wingu.controlplane.app.ApiOperations;
import io.wingu.controlplane.app.Problem;
import io.wingu.controlplane.app.Respond;
import io.wingu.controlplane.caller.Caller;
import io.wingu.controlplane.caller.Role;
import java.time.Duration;
import java.util.Optional;

/** POST /auth/login, POST /auth/logout, GET /me, POST /users, POST /me/totp(/confirm). */
public final class AuthRoutes {

  /**
   * Slowing down repeated failures, per username and client address (never the account as a whole,
   * which anyone could then lock out): after {@code maxFailures} failures in a row, each further
   * attempt from that address for that name waits {@link #FIRST_WAIT}, twice as long per further
   * failure, at most {@code lockFor}. A streak is forgotten {@code lockFor} after its last failure,
   * and by a successful sign-in.
   */
  public record LockoutPolicy(int maxFailures, Duration lockFor) {

    static final Duration FIRST_WAIT = Duration.ofSeconds(30);

    /** How long after the last of {@code failures} failures in a row the next attempt must wait. */
    Duration waitAfter(int failures) {
      if (failures < maxFailures) {
        return Duration.ZERO;
      }
      Duration wait = FIRST_WAIT.multipliedBy(1L << Math.min(failures - maxFailures, 20));
      return wait.compareTo(lockFor) > 0 ? lockFor : wait;
    }
  }

  private final AccountService accounts;
  private final TokenService tokens;
  private final AccessTokens accessTokens;
  private final PasswordSignIn signIn;
  private final TwoFactorService twoFactor;

  public AuthRoutes(
      AccountService accounts,
      TwoFactorService twoFactor,
      AccessTokens accessTokens,
      LoginThrottle throttle,
      LockoutPolicy lockout,
      SignInPolicy policy) {
    this.accounts = accounts;
    this.tokens = accessTokens.service();
    this.accessTokens = accessTokens;
    this.twoFactor = twoFactor;
    this.signIn = new PasswordSignIn(accounts, twoFactor, throttle, lockout, policy);
  }

  public void addTo(ApiOperations api) {
    api.add("login", Access.anyone(), this::login);
    api.add("logout", Access.anySignedIn(), this::logout);
    api.add("me", Access.anySignedIn(), this::me);
    api.add("createPlatformUser", Access.roles(Role.OPERATOR), this::createPlatformUser);
    api.add("startTotp", Access.readers(), this::startTotp);
    api.add("confirmTotp", Access.readers(), this::confirmTotp);
  }

  private void login(RoutingContext ctx) {
    String source =
        ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().host();
    JsonObject body = ctx.body().asJsonObject();
    String agent = ctx.request().getHeader("User-Agent");
    Respond.json(
        ctx,
        200,
        signIn
            .check(
                source,
                body.getString("username"),
                body.getString("password"),
                body.getString("totp"))
            .compose(
                account ->
                    signIn
                        .mustEnrol(account)
                        .compose(
                            mustEnrol ->
                                mustEnrol
                                    ? Future.failedFuture(
                                        new Problem(
                                            403,
                                            "Forbidden",
                                            "Two-factor sign-in is required for your role: sign in"
                                                + " to the console once and turn it on there"))
                                    : accessTokens.issue(account, source, agent)))
            .map(
                token ->
                    new JsonObject()
                        .put("accessToken", token)
                        .put("tokenType", "Bearer")
                        .put("expiresIn", tokens.ttl().toSeconds())));
  }

  /** Revokes the token this request presents: from now on it gets 401 everywhere. */
  private void logout(RoutingContext ctx) {
    accessTokens
        .revoke(ApiOperations.token(ctx))
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  /** The credential check this API uses; the web console's sign-in form uses the same one. */
  public PasswordSignIn passwordSignIn() {
    return signIn;
  }

  private void me(RoutingContext ctx) {
    Caller caller = ApiOperations.caller(ctx);
    JsonObject body =
        new JsonObject().put("username", caller.username()).put("role", caller.role().wireName());
    caller.institutionId().ifPresent(id -> body.put("institutionId", id.toString()));
    ctx.json(body);
  }

  private void startTotp(RoutingContext ctx) {
    Respond.json(
        ctx,
        200,
        twoFactor.enrol(ApiOperations.caller(ctx)).map(TwoFactorService.Enrolment::toJson));
  }

  private void confirmTotp(RoutingContext ctx) {
    Respond.json(
        ctx,
        200,
        twoFactor
            .confirm(
                ApiOperations.caller(ctx),
                ctx.body().asJsonObject().getString("code"),
                Respond.requestId(ctx))
            .map(codes -> new JsonObject().put("recoveryCodes", new JsonArray(codes))));
  }

  private void createPlatformUser(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    Role role = Role.fromWire(body.getString("role")).orElseThrow();
    Respond.json(
        ctx,
        201,
        accounts
            .create(
                ApiOperations.caller(ctx),
                body.getString("username"),
                body.getString("password"),
                role,
                Optional.empty(),
                Respond.requestId(ctx))
            .map(Account::toJson));
  }
}
