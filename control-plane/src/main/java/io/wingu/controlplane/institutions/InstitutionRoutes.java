package io.wingu.controlplane.institutions;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Access;
import io.wingu.controlplane.app.ApiOperations;
import io.wingu.controlplane.app.Page;
import io.wingu.controlplane.app.Respond;
import io.wingu.controlplane.auth.Account;
import io.wingu.controlplane.caller.Role;
import java.util.List;
import java.util.UUID;

/** Institutions and their users, over HTTP: every rule is {@link InstitutionService}'s. */
public record InstitutionRoutes(InstitutionService institutions) {

  public void addTo(ApiOperations api) {
    api.add("createInstitution", Access.roles(Role.OPERATOR), this::create);
    api.add(
        "listInstitutions",
        Access.readers(),
        ctx ->
            Respond.json(
                ctx,
                200,
                institutions
                    .list(ApiOperations.caller(ctx), Page.from(ctx, InstitutionService.CURSOR))
                    .map(page -> page.toJson(Institution::toJson))));
    api.add(
        "getInstitution",
        Access.readers(),
        ctx ->
            Respond.json(
                ctx,
                200,
                institutions
                    .get(ApiOperations.caller(ctx), Respond.idParam(ctx, "id"))
                    .map(Institution::toJson)));
    api.add(
        "createInstitutionUser",
        Access.roles(Role.OPERATOR, Role.INSTITUTION_ADMIN),
        this::createUser);
  }

  private void create(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    List<String> domains = body.getJsonArray("domains").stream().map(String.class::cast).toList();
    Respond.json(
        ctx,
        201,
        institutions
            .create(
                ApiOperations.caller(ctx),
                body.getString("code"),
                body.getString("name"),
                body.getString("nameSw"),
                domains,
                body.getString("contactEmail"),
                Respond.requestId(ctx))
            .map(Institution::toJson));
  }

  private void createUser(RoutingContext ctx) {
    UUID id = Respond.idParam(ctx, "id");
    JsonObject body = ctx.body().asJsonObject();
    Role role = Role.fromWire(body.getString("role")).orElseThrow();
    Respond.json(
        ctx,
        201,
        institutions
            .createUser(
                ApiOperations.caller(ctx),
                id,
                body.getString("username"),
                body.getString("password"),
                role,
                Respond.requestId(ctx))
            .map(Account::toJson));
  }
}
