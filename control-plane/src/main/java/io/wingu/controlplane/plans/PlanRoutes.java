package io.wingu.controlplane.plans;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Access;
import io.wingu.controlplane.app.ApiOperations;
import io.wingu.controlplane.app.Respond;
import io.wingu.controlplane.caller.Role;

/** GET and POST /plans, over HTTP: every rule is {@link PlanService}'s. */
public record PlanRoutes(PlanService plans) {

  public void addTo(ApiOperations api) {
    api.add(
        "listPlans",
        Access.anySignedIn(),
        ctx ->
            Respond.json(
                ctx,
                200,
                plans.all().map(all -> new JsonArray(all.stream().map(Plan::toJson).toList()))));
    api.add("createPlan", Access.roles(Role.OPERATOR), this::create);
  }

  private void create(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    Respond.json(
        ctx,
        201,
        plans
            .create(
                ApiOperations.caller(ctx),
                body.getString("name"),
                body.getString("cpu"),
                body.getString("memory"),
                body.getString("storage"),
                body.getString("dbStorage"),
                body.getInteger("dbConnections"),
                Respond.requestId(ctx))
            .map(Plan::toJson));
  }
}
