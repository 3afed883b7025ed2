package io.wingu.controlplane.web;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Access;
import io.wingu.controlplane.app.Page;
import io.wingu.controlplane.audit.AuditEvent;
import io.wingu.controlplane.audit.AuditService;
import io.wingu.controlplane.caller.Role;
import java.util.Map;

/** The audit log, newest first, with the result of verifying the whole hash chain. */
final class AuditPages {

  private final AuditService audit;
  private final Views views;

  AuditPages(AuditService audit, Views views) {
    this.audit = audit;
    this.views = views;
  }

  void addTo(Router router, SessionGate gate) {
    router
        .get("/audit")
        .handler(gate.require(Access.roles(Role.OPERATOR, Role.AUDITOR)))
        .handler(this::show);
  }

  /** Newest first, a page at a time; the cursor is the API's kind, naming the last event seen. */
  private void show(RoutingContext ctx) {
    Page page = Paging.of(ctx, AuditService.CURSOR);
    audit
        .latest(page)
        .compose(
            events ->
                audit
                    .verify()
                    .map(
                        verification -> {
                          Map<String, Object> model =
                              Paging.model(ctx, events, AuditEvent::toJson, "events");
                          model.put("verification", verification.toJson());
                          return model;
                        }))
        .onSuccess(model -> views.send(ctx, 200, "audit", "audit.title", model))
        .onFailure(ctx::fail);
  }
}
