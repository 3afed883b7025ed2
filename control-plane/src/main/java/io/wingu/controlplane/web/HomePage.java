package io.wingu.controlplane.web;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Access;
import io.wingu.controlplane.app.Database;
import io.wingu.controlplane.app.Listing;
import io.wingu.controlplane.app.Page;
import io.wingu.controlplane.audit.AuditService;
import io.wingu.controlplane.caller.Caller;
import io.wingu.controlplane.caller.Role;
import io.wingu.controlplane.requests.HostingRequest;
import io.wingu.controlplane.requests.RequestService;
import io.wingu.controlplane.sites.SiteListing;
import io.wingu.controlplane.sites.SiteView;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The first page after sign-in. Operators and auditors: pending requests, recent audit events and
 * sites. Institution roles: their own requests and sites.
 */
record HomePage(
    Database db,
    RequestService requests,
    SiteListing sites,
    AuditService audit,
    AuditRows auditRows,
    Views views) {

  private static final int SHOWN = 10;

  void addTo(Router router, SessionGate gate) {
    GatedRouter routes = new GatedRouter(router, gate);
    routes.get("/", Access.readers(), this::show);
  }

  /**
   * What the page shows: for the platform its pending requests, for an institution its latest
   * requests whatever their state (a request just made shows here with its state, before any site).
   */
  private record Dashboard(
      List<HostingRequest> pending,
      List<HostingRequest> latest,
      List<SiteView> sites,
      List<Map<String, Object>> events) {}

  private void show(RoutingContext ctx) {
    Caller caller = SessionGate.caller(ctx);
    boolean platform = caller.scope().coversPlatform();
    String lang = ConsoleLanguage.of(ctx);
    Future<List<Map<String, Object>>> events =
        platform
            ? audit
                .latest(Page.first(SHOWN, AuditService.CURSOR))
                .map(Listing::items)
                .compose(recent -> auditRows.rows(caller, lang, recent))
            : Future.succeededFuture(List.of());
    events
        .compose(
            recent ->
                db.withHandle(
                    h ->
                        new Dashboard(
                            requests.pending(h, caller.scope(), 500),
                            platform ? List.of() : requests.latest(h, caller.scope(), SHOWN),
                            sites.newest(h, caller.scope(), SHOWN),
                            recent)))
        .onSuccess(
            d -> {
              Map<String, Object> model = new HashMap<>();
              model.put("platform", platform);
              model.put("pendingCount", d.pending().size());
              model.put("requests", d.latest().stream().map(HostingRequest::toJson).toList());
              model.put("sites", d.sites().stream().map(SiteView::toJson).toList());
              model.put("events", d.events());
              model.put("canAsk", caller.role() == Role.INSTITUTION_ADMIN);
              views.send(ctx, 200, "home", "home.title", model);
            })
        .onFailure(ctx::fail);
  }
}
