package io.wingu.controlplane.sites;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Access;
import io.wingu.controlplane.app.ApiOperations;
import io.wingu.controlplane.app.Database;
import io.wingu.controlplane.app.Page;
import io.wingu.controlplane.app.Problem;
import io.wingu.controlplane.app.Respond;
import io.wingu.controlplane.audit.AuditEntry;
import io.wingu.controlplane.audit.AuditLog;
import io.wingu.controlplane.auth.Caller;
import io.wingu.controlplane.auth.Role;
import io.wingu.controlplane.auth.Scope;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/** Sites: reading them, and the operator's suspend, resume and decommission. */
public final class SiteRoutes {

  private static final Set<String> SUSPENDABLE = Set.of("PROVISIONING", "ACTIVE", "DEGRADED");

  private final Database db;
  private final SiteStore sites;
  private final AuditLog audit;
  private final Clock clock;
  private final Consumer<UUID> changed;

  public SiteRoutes(Database db, SiteStore sites, AuditLog audit, Clock clock, Consumer<UUID> changed) {
    this.db = db;
    this.sites = sites;
    this.audit = audit;
    this.clock = clock;
    this.changed = changed;
  }

  public void addTo(ApiOperations api) {
    api.add("listSites", Access.readers(), this::list);
    api.add("getSite", Access.readers(), ctx -> {
      UUID id = Respond.idParam(ctx, "id");
      Scope scope = ApiOperations.caller(ctx).scope();
      Respond.json(ctx, 200, db.call(c -> sites.find(c, scope, id, false).orElseThrow(() -> notFound(id)).toJson()));
    });
    api.add("suspendSite", Access.roles(Role.OPERATOR), ctx ->
        transition(ctx, "site.suspend", SUSPENDABLE, "SUSPENDED", true, 200));
    api.add("resumeSite", Access.roles(Role.OPERATOR), ctx ->
        transition(ctx, "site.resume", Set.of("SUSPENDED"), "PROVISIONING", false, 200));
    api.add("decommissionSite", Access.roles(Role.OPERATOR), ctx -> transition(ctx, "site.decommission",
        Set.of("PROVISIONING", "ACTIVE", "DEGRADED", "SUSPENDED"), "DECOMMISSIONING", false, 202));
  }

  private void list(RoutingContext ctx) {
    Caller caller = ApiOperations.caller(ctx);
    Page page = Page.from(ctx);
    Instant afterAt = page.after().map(k -> Instant.parse(k.getString("at"))).orElse(null);
    UUID afterId = page.after().map(k -> UUID.fromString(k.getString("id"))).orElse(null);
    Respond.json(ctx, 200, db.call(c -> page.answer(sites.list(c, caller.scope(), afterAt, afterId, page.fetchSize()),
        SiteView::toJson, s -> new JsonObject().put("at", s.createdAt().toString()).put("id", s.id().toString()))));
  }

  private void transition(RoutingContext ctx, String action, Set<String> from, String to, boolean reasonRequired,
      int status) {
    Caller caller = ApiOperations.caller(ctx);
    UUID id = Respond.idParam(ctx, "id");
    JsonObject body = ctx.body() == null ? null : ctx.body().asJsonObject();
    String reason = body == null ? null : body.getString("reason");
    if (reasonRequired && (reason == null || reason.isBlank())) {
      throw Problem.badRequest("A reason is required", List.of(new Problem.FieldError("reason", "must not be blank")));
    }
    String requestId = Respond.requestId(ctx);
    Future<JsonObject> done = db.transaction(c -> {
      SiteView before = sites.find(c, Scope.platform(), id, true).orElseThrow(() -> notFound(id));
      if (!from.contains(before.status())) {
        throw Problem.conflict("The site is " + before.status() + "; it cannot go to " + to);
      }
      sites.setStatus(c, id, to, reason, clock.instant().truncatedTo(ChronoUnit.MICROS));
      SiteView after = sites.find(c, Scope.platform(), id, false).orElseThrow();
      audit.append(c, new AuditEntry(caller.username(), action, "site/" + before.namespace() + "/" + before.name(),
          before.institutionId(), requestId, before.toJson(), after.toJson()));
      return after.toJson();
    });
    Respond.json(ctx, status, done.onSuccess(s -> changed.accept(id)));
  }

  private static Problem notFound(UUID id) {
    return Problem.notFound("No site " + id);
  }
}
