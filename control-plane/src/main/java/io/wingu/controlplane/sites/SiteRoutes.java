package io.wingu.controlplane.sites;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Access;
import io.wingu.controlplane.app.ApiOperations;
import io.wingu.controlplane.app.Page;
import io.wingu.controlplane.app.Respond;
import io.wingu.controlplane.caller.Role;
import io.wingu.controlplane.caller.Scope;
import java.util.UUID;

/**
 * Sites: reading them (all, or only those on an outdated template version), and their lifecycle.
 */
public record SiteRoutes(SiteListing listing, SiteLifecycle lifecycle, TemplateVersions versions) {

  public void addTo(ApiOperations api) {
    api.add("listSites", Access.readers(), this::list);
    api.add(
        "getSite",
        Access.readers(),
        ctx -> {
          UUID id = Respond.idParam(ctx, "id");
          Scope scope = ApiOperations.caller(ctx).scope();
          Respond.json(ctx, 200, listing.get(scope, id).map(versions::toJson));
        });
    api.add(
        "suspendSite",
        Access.roles(Role.OPERATOR),
        ctx -> transition(ctx, SiteLifecycle.Transition.SUSPEND, 200));
    api.add(
        "resumeSite",
        Access.roles(Role.OPERATOR),
        ctx -> transition(ctx, SiteLifecycle.Transition.RESUME, 200));
    api.add(
        "decommissionSite",
        Access.roles(Role.OPERATOR),
        ctx -> transition(ctx, SiteLifecycle.Transition.DECOMMISSION, 202));
  }

  private void list(RoutingContext ctx) {
    Scope scope = ApiOperations.caller(ctx).scope();
    Page page = Page.from(ctx, SiteListing.CURSOR);
    boolean outdated = "true".equals(ctx.queryParams().get("outdated"));
    Respond.json(
        ctx, 200, listing.page(scope, page, outdated).map(l -> l.toJson(versions::toJson)));
  }

  private void transition(RoutingContext ctx, SiteLifecycle.Transition transition, int status) {
    JsonObject body = ctx.body() == null ? null : ctx.body().asJsonObject();
    String reason = body == null ? null : body.getString("reason");
    Future<JsonObject> done =
        lifecycle
            .apply(
                ApiOperations.caller(ctx),
                Respond.idParam(ctx, "id"),
                transition,
                reason,
                Respond.requestId(ctx))
            .map(versions::toJson);
    Respond.json(ctx, status, done);
  }
}
