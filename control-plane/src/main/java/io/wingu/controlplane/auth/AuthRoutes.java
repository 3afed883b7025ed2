package io.wingu.controlplane.auth;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Access;
import io.wingu.controlplane.app.ApiOperations;
import io.wingu.controlplane.app.Database;
import io.wingu.controlplane.app.Problem;
import io.wingu.controlplane.app.Respond;
import io.wingu.controlplane.audit.AuditEntry;
import io.wingu.controlplane.audit.AuditLog;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** POST /auth/login, GET /me, POST /users. */
public final class AuthRoutes {

  /** Lockout after repeated failures for one account. */
  public record LockoutPolicy(int maxFailures, Duration lockFor) {
  }

  private final Database db;
  private final AccountStore accounts;
  private final TokenService tokens;
  private final PasswordSignIn signIn;
  private final AuditLog audit;

  public AuthRoutes(Database db, AccountStore accounts, TokenService tokens, LoginThrottle throttle,
      LockoutPolicy lockout, AuditLog audit, Clock clock) {
    this.db = db;
    this.accounts = accounts;
    this.tokens = tokens;
    this.signIn = new PasswordSignIn(db, accounts, throttle, lockout, clock);
    this.audit = audit;
  }

  public void addTo(ApiOperations api) {
    api.add("login", Access.anyone(), this::login);
    api.add("me", Access.anySignedIn(), this::me);
    api.add("createPlatformUser", Access.roles(Role.OPERATOR), this::createPlatformUser);
  }

  private void login(RoutingContext ctx) {
    String source = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().host();
    JsonObject body = ctx.body().asJsonObject();
    Respond.json(ctx, 200, signIn.check(source, body.getString("username"), body.getString("password"))
        .map(account -> new JsonObject()
            .put("accessToken", tokens.issue(account.asCaller()))
            .put("tokenType", "Bearer")
            .put("expiresIn", tokens.ttl().toSeconds())));
  }

  /** The credential check this API uses; the web console's sign-in form uses the same one. */
  public PasswordSignIn passwordSignIn() {
    return signIn;
  }

  private void me(RoutingContext ctx) {
    Caller caller = ApiOperations.caller(ctx);
    JsonObject body = new JsonObject().put("username", caller.username()).put("role", caller.role().wireName());
    caller.institutionId().ifPresent(id -> body.put("institutionId", id.toString()));
    ctx.json(body);
  }

  private void createPlatformUser(RoutingContext ctx) {
    Caller caller = ApiOperations.caller(ctx);
    JsonObject body = ctx.body().asJsonObject();
    Role role = Role.fromWire(body.getString("role")).orElseThrow();
    Respond.json(ctx, 201, createAccount(ctx, caller, body.getString("username"), body.getString("password"),
        role, Optional.empty()));
  }

  /** Creates an account and records it; shared by platform and institution user creation. */
  public io.vertx.core.Future<JsonObject> createAccount(RoutingContext ctx, Caller caller, String username,
      String password, Role role, Optional<java.util.UUID> institution) {
    String weakness = Passwords.weakness(password);
    if (weakness != null) {
      throw Problem.badRequest("The password is too weak", List.of(new Problem.FieldError("password", weakness)));
    }
    String requestId = Respond.requestId(ctx);
    return db.transaction(c -> {
      Account a = accounts.insert(c, username, password, role, institution);
      audit.append(c, new AuditEntry(caller.username(), "account.create", "account/" + a.username(),
          institution.orElse(null), requestId, null, a.toJson()));
      return a.toJson();
    });
  }
}
