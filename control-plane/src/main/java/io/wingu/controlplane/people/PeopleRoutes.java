package io.wingu.controlplane.people;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Access;
import io.wingu.controlplane.app.ApiOperations;
import io.wingu.controlplane.app.Respond;
import io.wingu.controlplane.auth.AccessTokens;
import io.wingu.controlplane.auth.Person;
import io.wingu.controlplane.caller.Caller;
import io.wingu.controlplane.caller.Role;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * GET /me/sessions, DELETE /me/sessions/{sessionId}, POST /me/sessions/others/end, POST
 * /me/password, GET /institutions/{id}/users, POST /users/{id}/disable, /enable, /reset,
 * /sessions/end, DELETE /users/{id}, POST /auth/reset: every rule is {@link PeopleService}'s.
 */
public final class PeopleRoutes {

  private final PeopleService people;
  private final AccessTokens accessTokens;

  public PeopleRoutes(PeopleService people, AccessTokens accessTokens) {
    this.people = people;
    this.accessTokens = accessTokens;
  }

  public void addTo(ApiOperations api) {
    Access persons = Access.readers();
    Access admins = Access.roles(Role.OPERATOR, Role.INSTITUTION_ADMIN);
    api.add(
        "listMySessions",
        persons,
        ctx ->
            Respond.json(
                ctx,
                200,
                people
                    .sessionsOf(ApiOperations.caller(ctx), current(ctx))
                    .map(MySessions::toJson)));
    api.add(
        "endMySession",
        persons,
        ctx ->
            Respond.noContent(
                ctx,
                people.endSession(
                    ApiOperations.caller(ctx),
                    Respond.idParam(ctx, "sessionId"),
                    Respond.requestId(ctx))));
    api.add(
        "endMyOtherSessions",
        persons,
        ctx ->
            Respond.json(
                ctx,
                200,
                people
                    .endOtherSessions(
                        ApiOperations.caller(ctx), current(ctx), Respond.requestId(ctx))
                    .map(n -> new JsonObject().put("ended", n))));
    api.add(
        "changeMyPassword",
        persons,
        ctx -> {
          JsonObject body = ctx.body().asJsonObject();
          Respond.noContent(
              ctx,
              people.changePassword(
                  ApiOperations.caller(ctx),
                  body.getString("current"),
                  body.getString("new"),
                  current(ctx),
                  Respond.requestId(ctx)));
        });
    api.add(
        "listInstitutionUsers",
        Access.roles(Role.OPERATOR, Role.AUDITOR, Role.INSTITUTION_ADMIN),
        ctx ->
            Respond.json(
                ctx,
                200,
                people
                    .peopleOf(ApiOperations.caller(ctx), Respond.idParam(ctx, "id"))
                    .map(list -> new JsonArray(list.stream().map(Person::toJson).toList()))));
    api.add("disableUser", admins, onUser(people::disable, Person::toJson));
    api.add("enableUser", admins, onUser(people::enable, Person::toJson));
    api.add(
        "removeUser",
        admins,
        ctx ->
            Respond.noContent(
                ctx,
                people.remove(ApiOperations.caller(ctx), userId(ctx), Respond.requestId(ctx))));
    api.add("resetUserPassword", admins, onUser(people::issueReset, PeopleService.Reset::toJson));
    api.add(
        "endUserSessions",
        Access.roles(Role.OPERATOR),
        onUser(people::endAllSessions, n -> new JsonObject().put("ended", n)));
    api.add(
        "resetPassword",
        Access.anyone(),
        ctx -> {
          JsonObject body = ctx.body().asJsonObject();
          String source =
              ctx.request().remoteAddress() == null
                  ? "unknown"
                  : ctx.request().remoteAddress().host();
          Respond.noContent(
              ctx,
              people.reset(
                  source,
                  body.getString("username"),
                  body.getString("code"),
                  body.getString("newPassword")));
        });
  }

  /** What an administrator does to the user of the path, within one request. */
  @FunctionalInterface
  private interface UserAction<T> {
    Future<T> on(Caller admin, UUID userId, String requestId);
  }

  /** Runs the action on the path's user and answers 200 with its outcome as JSON. */
  private static <T> Handler<RoutingContext> onUser(
      UserAction<T> action, Function<T, JsonObject> json) {
    return ctx ->
        Respond.json(
            ctx,
            200,
            action.on(ApiOperations.caller(ctx), userId(ctx), Respond.requestId(ctx)).map(json));
  }

  private static UUID userId(RoutingContext ctx) {
    return Respond.idParam(ctx, "id");
  }

  /** The API session the request's access token is. */
  private Optional<UUID> current(RoutingContext ctx) {
    return accessTokens
        .service()
        .verifyToken(ApiOperations.token(ctx))
        .flatMap(v -> AccessTokens.sessionId(v.id()));
  }
}
