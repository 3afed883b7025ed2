package io.wingu.controlplane.people;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Access;
import io.wingu.controlplane.app.ApiOperations;
import io.wingu.controlplane.app.Respond;
import io.wingu.controlplane.auth.AccessTokens;
import io.wingu.controlplane.auth.Person;
import io.wingu.controlplane.caller.Role;
import java.util.Optional;
import java.util.UUID;

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
            people
                .endSession(
                    ApiOperations.caller(ctx),
                    Respond.idParam(ctx, "sessionId"),
                    Respond.requestId(ctx))
                .onSuccess(v -> ctx.response().setStatusCode(204).end())
                .onFailure(ctx::fail));
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
          people
              .changePassword(
                  ApiOperations.caller(ctx),
                  body.getString("current"),
                  body.getString("new"),
                  current(ctx),
                  Respond.requestId(ctx))
              .onSuccess(v -> ctx.response().setStatusCode(204).end())
              .onFailure(ctx::fail);
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
    api.add(
        "disableUser",
        admins,
        ctx ->
            Respond.json(
                ctx,
                200,
                people
                    .disable(ApiOperations.caller(ctx), userId(ctx), Respond.requestId(ctx))
                    .map(Person::toJson)));
    api.add(
        "enableUser",
        admins,
        ctx ->
            Respond.json(
                ctx,
                200,
                people
                    .enable(ApiOperations.caller(ctx), userId(ctx), Respond.requestId(ctx))
                    .map(Person::toJson)));
    api.add(
        "removeUser",
        admins,
        ctx ->
            people
                .remove(ApiOperations.caller(ctx), userId(ctx), Respond.requestId(ctx))
                .onSuccess(v -> ctx.response().setStatusCode(204).end())
                .onFailure(ctx::fail));
    api.add(
        "resetUserPassword",
        admins,
        ctx ->
            Respond.json(
                ctx,
                200,
                people
                    .issueReset(ApiOperations.caller(ctx), userId(ctx), Respond.requestId(ctx))
                    .map(PeopleService.Reset::toJson)));
    api.add(
        "endUserSessions",
        Access.roles(Role.OPERATOR),
        ctx ->
            Respond.json(
                ctx,
                200,
                people
                    .endAllSessions(ApiOperations.caller(ctx), userId(ctx), Respond.requestId(ctx))
                    .map(n -> new JsonObject().put("ended", n))));
    api.add(
        "resetPassword",
        Access.anyone(),
        ctx -> {
          JsonObject body = ctx.body().asJsonObject();
          String source =
              ctx.request().remoteAddress() == null
                  ? "unknown"
                  : ctx.request().remoteAddress().host();
          people
              .reset(
                  source,
                  body.getString("username"),
                  body.getString("code"),
                  body.getString("newPassword"))
              .onSuccess(v -> ctx.response().setStatusCode(204).end())
              .onFailure(ctx::fail);
        });
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
