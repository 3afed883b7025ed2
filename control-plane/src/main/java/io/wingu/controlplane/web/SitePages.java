package io.wingu.controlplane.web;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Access;
import io.wingu.controlplane.app.Database;
import io.wingu.controlplane.app.Problem;
import io.wingu.controlplane.auth.Caller;
import io.wingu.controlplane.auth.Role;
import io.wingu.controlplane.sites.SiteStore;
import io.wingu.controlplane.sites.SiteView;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Sites: lists and each site's live conditions for everyone who may read them; the operator's
 * suspend, resume and decommission (with a confirmation step), run by the API's own handlers.
 */
final class SitePages {

  private static final Access OPERATOR = Access.roles(Role.OPERATOR);
  private static final Set<String> SUSPENDABLE = Set.of("PROVISIONING", "ACTIVE", "DEGRADED");
  private static final Set<String> GONE = Set.of("DECOMMISSIONING", "DECOMMISSIONED");

  private final Database db;
  private final SiteStore sites;
  private final ApiLoopback api;
  private final Views views;

  SitePages(Database db, SiteStore sites, ApiLoopback api, Views views) {
    this.db = db;
    this.sites = sites;
    this.api = api;
    this.views = views;
  }

  void addTo(Router router, SessionGate gate) {
    router.get("/sites").handler(gate.require(Access.readers())).handler(this::list);
    router.get("/sites/:id").handler(gate.require(Access.readers())).handler(ctx -> detail(ctx, Map.of(), 200));
    router.get("/sites/:id/conditions").handler(gate.require(Access.readers())).handler(this::conditions);
    router.post("/sites/:id/suspend").handler(gate.require(OPERATOR)).handler(ctx -> transition(ctx, "suspend",
        HttpMethod.POST, "/suspend", new JsonObject().put("reason", Form.value(ctx, "reason"))));
    router.post("/sites/:id/resume").handler(gate.require(OPERATOR)).handler(ctx -> transition(ctx, "resume",
        HttpMethod.POST, "/resume", new JsonObject()));
    router.get("/sites/:id/decommission").handler(gate.require(OPERATOR)).handler(this::confirmDecommission);
    router.post("/sites/:id/decommission").handler(gate.require(OPERATOR)).handler(ctx -> transition(ctx,
        "decommission", HttpMethod.DELETE, "", null));
  }

  private void list(RoutingContext ctx) {
    Caller caller = SessionGate.caller(ctx);
    db.call(c -> sites.list(c, caller.scope(), null, null, 500)).onSuccess(found -> views.send(ctx, 200, "sites",
        "sites.title", Map.of("sites", found.stream().map(SiteView::toJson).toList()))).onFailure(ctx::fail);
  }

  private void withSite(RoutingContext ctx, java.util.function.Consumer<SiteView> then) {
    Caller caller = SessionGate.caller(ctx);
    UUID id = Form.id(ctx);
    db.call(c -> sites.find(c, caller.scope(), id, false).orElseThrow(() -> Problem.notFound("no site " + id)))
        .onSuccess(then::accept).onFailure(ctx::fail);
  }

  private void detail(RoutingContext ctx, Map<String, Object> extra, int status) {
    Role role = SessionGate.caller(ctx).role();
    withSite(ctx, site -> {
      Map<String, Object> model = new HashMap<>(extra);
      model.put("site", site.toJson());
      boolean operator = role == Role.OPERATOR;
      model.put("canSuspend", operator && SUSPENDABLE.contains(site.status()));
      model.put("canResume", operator && site.status().equals("SUSPENDED"));
      model.put("canDecommission", operator && !GONE.contains(site.status()));
      model.put("canDeploy", (role == Role.WEBMASTER || role == Role.INSTITUTION_ADMIN)
          && !GONE.contains(site.status()));
      String done = ctx.queryParams().get("done");
      if (done != null && done.matches("suspended|resumed|decommissioned") && !model.containsKey("notice")) {
        model.put("notice", "siteDetail.done." + done);
      }
      views.send(ctx, status, "site-detail", "siteDetail.title", model);
    });
  }

  /** The conditions table alone: what the page's optional live update fetches every few seconds. */
  private void conditions(RoutingContext ctx) {
    withSite(ctx, site -> views.send(ctx, 200, "site-conditions", "siteDetail.title",
        Map.of("site", site.toJson())));
  }

  private void confirmDecommission(RoutingContext ctx) {
    withSite(ctx, site -> views.send(ctx, 200, "site-decommission", "siteDecommission.title",
        Map.of("site", site.toJson())));
  }

  private void transition(RoutingContext ctx, String action, HttpMethod method, String suffix, JsonObject body) {
    UUID id = Form.id(ctx);
    String lang = ConsoleLanguage.of(ctx);
    Calls.attempt(() -> api.call(ctx, SessionGate.caller(ctx), method, "/sites/" + id + suffix, body))
        .onSuccess(site -> Views.redirect(ctx, "/sites/" + id + "?done=" + action + (action.endsWith("e") ? "d"
            : "ed")))
        .onFailure(failure -> Calls.onProblem(failure, ctx, problem -> {
          Map<String, Object> model = new HashMap<>();
          if (problem.status() == 409) {
            model.put("notice", "siteDetail.stale");
          } else {
            model.putAll(FormErrors.of(problem, views.messages(), lang, "reason").model());
            model.put("reason", body == null ? "" : body.getString("reason", ""));
          }
          detail(ctx, model, problem.status());
        }));
  }
}
