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
import io.wingu.controlplane.caller.Caller;
import io.wingu.controlplane.caller.TokenGrant;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The REST API as the OpenAPI document declares it. Every operation gets, in this order:
 * authentication, its role rule, reading the body, validation of the request against the document,
 * then its handler — so the served contract and the behaviour cannot drift apart, and nobody's body
 * is read (or, for uploads, written to disk) before they are known. An operation in the document
 * without a handler makes start-up fail.
 */
public final class ApiOperations {

  private static final String CALLER = "wingu.caller";
  private static final String TOKEN = "wingu.token";

  /** The extension of an operation naming the deploy-token scopes that may call it. */
  static final String TOKEN_SCOPES = "x-wingu-token-scopes";

  /** The body limit of the route a request took, for the 413 answer. */
  static final String BODY_LIMIT = "wingu.bodyLimit";

  /**
   * Room for the multipart envelope (boundaries, part headers, small fields) around an uploaded
   * file.
   */
  private static final long MULTIPART_ENVELOPE_BYTES = 64 * 1024;

  private final RouterBuilder builder;
  private final RequestValidator validator;
  private final RequestExtractor extractor = RequestExtractor.withBodyHandler();
  private final Authenticator authenticator;
  private final Set<String> registered = new HashSet<>();
  private final Path uploads;

  /** {@code uploads}: where multipart file parts are written while their request lasts. */
  public ApiOperations(
      Vertx vertx, OpenAPIContract contract, Authenticator authenticator, Path uploads) {
    this.builder = RouterBuilder.create(vertx, contract, extractor);
    this.validator = RequestValidator.create(vertx, contract);
    this.authenticator = authenticator;
    this.uploads = uploads;
  }

  /**
   * Declares who may call {@code operationId} and what handles it. Its body may be up to {@link
   * HttpApi#MAX_BODY_BYTES} and is validated against the document with everything else.
   */
  public ApiOperations add(String operationId, Access access, Handler<RoutingContext> handler) {
    var route = route(operationId);
    Operation operation = route.getOperation();
    guard(route, access);
    route.addHandler(bodyHandler(HttpApi.MAX_BODY_BYTES, BodyHandler.create(false)));
    route.addHandler(
        ctx ->
            extractor
                .extractValidatableRequest(escapeForValidator(ctx), operation)
                .compose(request -> validator.validate(request, operationId))
                .onSuccess(validated -> ctx.next())
                .onFailure(ctx::fail));
    route.addHandler(handler);
    registered.add(operationId);
    return this;
  }

  /**
   * An operation whose JSON body the handler validates itself, for a high-volume route where the
   * generic validator costs more than the work (agent reports: hundreds per second, each with
   * hundreds of pods). The handler must refuse exactly what the document refuses; a test holds the
   * two together.
   */
  public ApiOperations addSelfValidated(
      String operationId, Access access, Handler<RoutingContext> handler) {
    var route = route(operationId);
    guard(route, access);
    route.addHandler(bodyHandler(HttpApi.MAX_BODY_BYTES, BodyHandler.create(false)));
    route.addHandler(handler);
    registered.add(operationId);
    return this;
  }

  /**
   * An operation taking one file as multipart/form-data, up to {@code maxFileBytes}: the file goes
   * to the uploads folder (deleted when the request ends) instead of memory. Vert.x's validator
   * reads multipart parts from an in-memory body and knows only text, JSON and octet-stream parts,
   * so the handler checks the parts itself; path parameters it reads with {@link Respond#idParam}.
   * {@code admit} decides, after authentication and before a byte of the body is read, whether this
   * caller may upload here at all (e.g. may change this site): a refused upload never reaches the
   * disk.
   */
  public ApiOperations addUpload(
      String operationId,
      Access access,
      long maxFileBytes,
      java.util.function.Function<RoutingContext, io.vertx.core.Future<?>> admit,
      Handler<RoutingContext> handler) {
    var route = route(operationId);
    guard(route, access);
    route.addHandler(
        ctx -> {
          // the body waits (unread) while admit looks the site up; the body handler resumes it
          ctx.request().pause();
          admit.apply(ctx).onSuccess(ok -> ctx.next()).onFailure(ctx::fail);
        });
    route.addHandler(
        bodyHandler(
            maxFileBytes + MULTIPART_ENVELOPE_BYTES,
            BodyHandler.create(uploads.toString()).setDeleteUploadedFilesOnEnd(true)));
    route.addHandler(handler);
    registered.add(operationId);
    return this;
  }

  /**
   * vertx-openapi 5.0.7 URL-decodes query values a second time (eclipse-vertx/vertx-openapi#124): a
   * '+' (the offset of 2026-01-01T08:00:00+03:00) became a space and a '%' failed. The request's
   * own parameter map is read by that validator alone (handlers read {@code ctx.queryParams()}), so
   * escaping both there makes the second decoding give back the values as sent.
   */
  private static RoutingContext escapeForValidator(RoutingContext ctx) {
    io.vertx.core.MultiMap params = ctx.request().params();
    for (String name : java.util.Set.copyOf(params.names())) {
      List<String> values = params.getAll(name);
      if (values.stream().anyMatch(v -> v.indexOf('%') >= 0 || v.indexOf('+') >= 0)) {
        params.remove(name);
        values.forEach(v -> params.add(name, v.replace("%", "%25").replace("+", "%2B")));
      }
    }
    return ctx;
  }

  private io.vertx.ext.web.openapi.router.OpenAPIRoute route(String operationId) {
    var route = builder.getRoute(operationId);
    if (route == null) {
      throw new IllegalStateException(
          "operation " + operationId + " is not in the OpenAPI document");
    }
    return route.setDoSecurity(false).setDoValidation(false);
  }

  /**
   * The body handler, after authentication and the role check (which pause the request, so no body
   * data arrives unhandled in between); wrapped, since Vert.x would otherwise insist on it coming
   * first.
   */
  private static Handler<RoutingContext> bodyHandler(long limit, BodyHandler body) {
    body.setBodyLimit(limit);
    return ctx -> {
      ctx.put(BODY_LIMIT, limit);
      body.handle(ctx);
    };
  }

  private void guard(io.vertx.ext.web.openapi.router.OpenAPIRoute route, Access access) {
    if (access.requiresSignIn()) {
      // an answer for a signed-in caller is theirs alone: no cache keeps it, no browser guesses its
      // type
      route.addHandler(
          ctx -> {
            ctx.response()
                .putHeader("Cache-Control", "no-store")
                .putHeader("X-Content-Type-Options", "nosniff");
            ctx.next();
          });
      route.addHandler(this::authenticate);
      Set<String> tokenScopes = tokenScopes(route.getOperation());
      route.addHandler(ctx -> authorize(ctx, access, tokenScopes));
    }
  }

  public Router router() {
    List<String> missing =
        builder.getRoutes().stream()
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
    // the account is looked up asynchronously: the body waits unread until the body handler resumes
    // it
    ctx.request().pause();
    String token = header.substring(7).trim();
    authenticator
        .authenticate(token)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                ctx.fail(ar.cause());
              } else if (ar.result().isEmpty()) {
                ctx.fail(
                    unauthorized(
                        "The access token is invalid, has expired or was revoked; sign in again"));
              } else {
                ctx.put(TOKEN, token);
                ctx.put(CALLER, ar.result().get());
                ctx.next();
              }
            });
  }

  /**
   * The scopes of deploy tokens that may call an operation: its {@code x-wingu-token-scopes} in the
   * document; none when it has none (then no deploy token may call it).
   */
  static Set<String> tokenScopes(Operation operation) {
    Object declared = operation.getExtensions().get(TOKEN_SCOPES);
    if (declared == null) {
      return Set.of();
    }
    if (!(declared instanceof io.vertx.core.json.JsonArray scopes)) {
      throw new IllegalStateException(
          operation.getOperationId() + ": " + TOKEN_SCOPES + " must be a list of scopes");
    }
    Set<String> names = new HashSet<>();
    scopes.forEach(s -> names.add(String.valueOf(s)));
    return Set.copyOf(names);
  }

  private static void authorize(RoutingContext ctx, Access access, Set<String> tokenScopes) {
    Caller caller = caller(ctx);
    caller.grant().ifPresent(grant -> admitToken(ctx, grant, tokenScopes));
    if (!access.roles().contains(caller.role())) {
      throw new Problem(
          403, "Forbidden", "The role " + caller.role().wireName() + " may not do this");
    }
    ctx.next();
  }

  /**
   * A deploy token calls only its own site's operations that one of its scopes covers: any other
   * operation or scope is 403, another site 404 (as for a site that is not the caller's).
   */
  private static void admitToken(RoutingContext ctx, TokenGrant grant, Set<String> tokenScopes) {
    if (tokenScopes.isEmpty()) {
      throw new Problem(
          403,
          "Forbidden",
          "A deploy token may not do this; only a person signed in may (a deploy token works on its"
              + " site's deployment and content routes)");
    }
    if (tokenScopes.stream().noneMatch(grant.scopes()::contains)) {
      throw new Problem(
          403,
          "Forbidden",
          "This deploy token lacks the scope this needs: one of "
              + String.join(", ", new java.util.TreeSet<>(tokenScopes)));
    }
    String site = ctx.pathParam("id");
    if (site == null || !site.equalsIgnoreCase(grant.siteId().toString())) {
      throw Problem.notFound("No site " + site + " (this deploy token works on one other site)");
    }
  }

  private static Problem unauthorized(String detail) {
    return new Problem(401, "Unauthorized", detail);
  }

  /** The access token a request that passed authentication presented. */
  public static String token(RoutingContext ctx) {
    String t = ctx.get(TOKEN);
    if (t == null) {
      throw new IllegalStateException(
          "no token: the operation was registered without authentication");
    }
    return t;
  }

  /** The signed-in caller of a request that passed authentication. */
  public static Caller caller(RoutingContext ctx) {
    Caller c = ctx.get(CALLER);
    if (c == null) {
      throw new IllegalStateException(
          "no caller: the operation was registered without authentication");
    }
    return c;
  }
}
