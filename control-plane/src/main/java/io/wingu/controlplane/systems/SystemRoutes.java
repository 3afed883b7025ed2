package io.wingu.controlplane.systems;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Access;
import io.wingu.controlplane.app.ApiOperations;
import io.wingu.controlplane.app.Page;
import io.wingu.controlplane.app.Respond;
import io.wingu.controlplane.caller.Caller;
import io.wingu.controlplane.caller.Role;
import java.util.UUID;

/** The ICT systems register over REST: /institutions/{id}/systems and /systems/duplicates. */
public record SystemRoutes(SystemService service) {

  /** Only the institution's own admin writes its register (the service checks whose it is). */
  public static final Access WRITERS = Access.roles(Role.INSTITUTION_ADMIN);

  public static final Access PLATFORM_READERS = Access.roles(Role.OPERATOR, Role.AUDITOR);

  public void addTo(ApiOperations api) {
    api.add("listSystems", Access.readers(), this::list);
    api.add("createSystem", WRITERS, this::create);
    api.add("updateSystem", WRITERS, this::update);
    api.add("deleteSystem", WRITERS, Respond.noContent("systemId", service::delete));
    api.add("listSystemDuplicates", PLATFORM_READERS, this::duplicates);
  }

  private void list(RoutingContext ctx) {
    Caller caller = ApiOperations.caller(ctx);
    UUID institutionId = Respond.idParam(ctx, "id");
    Page page = Page.from(ctx, SystemService.CURSOR);
    var today = service.today();
    Respond.json(
        ctx,
        200,
        service
            .list(caller, institutionId, page)
            .map(listing -> listing.page().toJson(s -> s.toJson(today))));
  }

  private void create(RoutingContext ctx) {
    Caller caller = ApiOperations.caller(ctx);
    UUID institutionId = Respond.idParam(ctx, "id");
    SystemEntry entry = SystemEntry.fromJson(ctx.body().asJsonObject());
    system(ctx, 201, service.create(caller, institutionId, entry, Respond.requestId(ctx)));
  }

  private void update(RoutingContext ctx) {
    Caller caller = ApiOperations.caller(ctx);
    UUID institutionId = Respond.idParam(ctx, "id");
    UUID id = Respond.idParam(ctx, "systemId");
    SystemEntry entry = SystemEntry.fromJson(ctx.body().asJsonObject());
    system(ctx, 200, service.update(caller, institutionId, id, entry, Respond.requestId(ctx)));
  }

  private void system(RoutingContext ctx, int status, Future<IctSystem> system) {
    Respond.json(ctx, status, system.map(s -> s.toJson(service.today())));
  }

  private void duplicates(RoutingContext ctx) {
    Respond.json(
        ctx,
        200,
        service
            .duplicates(ApiOperations.caller(ctx))
            .map(
                groups -> {
                  JsonArray items = new JsonArray();
                  groups.forEach(g -> items.add(g.toJson()));
                  return new JsonObject().put("groups", items);
                }));
  }
}
