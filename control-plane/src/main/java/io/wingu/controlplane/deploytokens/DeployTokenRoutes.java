package io.wingu.controlplane.deploytokens;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Access;
import io.wingu.controlplane.app.ApiOperations;
import io.wingu.controlplane.app.DomainError;
import io.wingu.controlplane.app.FieldError;
import io.wingu.controlplane.app.Page;
import io.wingu.controlplane.app.Respond;
import io.wingu.controlplane.caller.Role;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/** GET, POST /sites/{id}/tokens and DELETE /sites/{id}/tokens/{tokenId}. */
public record DeployTokenRoutes(DeployTokenService tokens) {

  public void addTo(ApiOperations api) {
    Access publishers = Access.roles(Role.INSTITUTION_ADMIN, Role.WEBMASTER);
    api.add("listSiteTokens", publishers, this::list);
    api.add("createSiteToken", publishers, this::create);
    api.add("revokeSiteToken", publishers, Respond.noContent("tokenId", tokens::revoke));
  }

  private void list(RoutingContext ctx) {
    Respond.json(
        ctx,
        200,
        tokens
            .list(
                ApiOperations.caller(ctx),
                Respond.idParam(ctx, "id"),
                Page.from(ctx, DeployTokenService.CURSOR))
            .map(l -> l.toJson(DeployToken::toJson)));
  }

  private void create(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    JsonArray scopes = body.getJsonArray("scopes");
    Respond.json(
        ctx,
        201,
        tokens
            .create(
                ApiOperations.caller(ctx),
                Respond.idParam(ctx, "id"),
                body.getString("name"),
                scopes.stream().map(String::valueOf).toList(),
                expiry(body.getString("expiresAt")),
                Respond.requestId(ctx))
            .map(DeployTokenService.Created::toJson));
  }

  /** An RFC 3339 time with its offset, as the document's {@code date-time} asks. */
  private static Instant expiry(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw DomainError.invalid(
          "expiresAt is not a time",
          List.of(new FieldError("expiresAt", "must be a time like 2027-01-31T00:00:00Z")));
    }
  }
}
