package io.wingu.controlplane.app;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.RequestValidator;
import io.wingu.controlplane.auth.Caller;
import io.wingu.controlplane.auth.TokenService;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The REST API as the OpenAPI document declares it. Every operation gets, in this order:
 * authentication, its role rule, validation of the request against the document, then its
 * handler — so the served contract and the behaviour cannot drift apart. An operation in the
 * document without a handler makes start-up fail.
 */
public final class ApiOperations {

  private static final String CALLER = "wingu.caller";

  private final RouterBuilder builder;
  private final RequestValidator validator;
  private final RequestExtractor extractor = RequestExtractor.withBodyHandler();
  private final TokenService tokens;
  private final Set<String> registered = new HashSet<>();

  public ApiOperations(Vertx vertx, OpenAPIContract contract, TokenService tokens) {
    this.builder = RouterBuilder.create(vertx, contract, extractor);
    this.validator = RequestValidator.create(vertx, contract);
    this.tokens = tokens;
    builder.rootHandler(BodyHandler.create(false).setBodyLimit(HttpApi.MAX_BODY_BYTES));
  }

  /** Declares who may call {@code operationId} and what handles it. */
  public ApiOperations add(String operationId, Access access, Handler<RoutingContext> handler) {
    var route = builder.getRoute(operationId);
    if (route == null) {
      throw new IllegalStateException("operation " + operationId + " is not in the OpenAPI document");
    }
    Operation operation = route.getOperation();
    route.setDoSecurity(false).setDoValidation(false);
    if (access.requiresSignIn()) {
      route.addHandler(this::authenticate);
      route.addHandler(ctx -> authorize(ctx, access));
    }
    route.addHandler(ctx -> extractor.extractValidatableRequest(ctx, operation)
        .compose(request -> validator.validate(request, operationId))
        .onSuccess(validated -> ctx.next())
        .onFailure(ctx::fail));
    route.addHandler(handler);
    registered.add(operationId);
    return this;
  }

  public Router router() {
    List<String> missing = builder.getRoutes().stream()
        .map(r -> r.getOperation().getOperationId())
        .filter(id -> !registered.contains(id))
        .toList();
    if (!missing.isEmpty()) {
      throw new IllegalStateException("operations without a handler: " + missing);
    }
    return builder.createRouter();
  }

  private void authenticate(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw unauthorized("Sign in and send the access token as 'Authorization: Bearer <token>'");
    }
    Caller caller = tokens.verify(header.substring(7).trim())
        .orElseThrow(() -> unauthorized("The access token is invalid or has expired; sign in again"));
    ctx.put(CALLER, caller);
    ctx.next();
  }

  private static void authorize(RoutingContext ctx, Access access) {
    Caller caller = caller(ctx);
    if (!access.roles().contains(caller.role())) {
      throw new Problem(403, "Forbidden", "The role " + caller.role().wireName() + " may not do this");
    }
    ctx.next();
  }

  private static Problem unauthorized(String detail) {
    return new Problem(401, "Unauthorized", detail);
  }

  /** The signed-in caller of a request that passed authentication. */
  public static Caller caller(RoutingContext ctx) {
    Caller c = ctx.get(CALLER);
    if (c == null) {
      throw new IllegalStateException("no caller: the operation was registered without authentication");
    }
    return c;
  }
}
