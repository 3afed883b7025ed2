package io.wingu.controlplane.web;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Access;
import io.wingu.controlplane.app.Database;
import io.wingu.controlplane.audit.AuditEvent;
import io.wingu.controlplane.audit.AuditLog;
import io.wingu.controlplane.auth.Role;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.app.Page;
import java.util.Map;

/** The audit log, newest first, with the result of verifying the whole hash chain. */
final class AuditPages {

  private final Database db;
  private final AuditLog audit;
  private final Views views;

  AuditPages(Database db, AuditLog audit, Views views) {
    this.db = db;
    this.audit = audit;
    this.views = views;
  }

  void addTo(Router router, SessionGate gate) {
    router.get("/audit").handler(gate.require(Access.roles(Role.OPERATOR, Role.AUDITOR))).handler(this::show);
  }

  private record Log(JsonObject events, AuditLog.Verification verification) {
  }

  /** Newest first, a page at a time; the cursor is the API's kind, naming the last event seen. */
  private void show(RoutingContext ctx) {
    Page page = Paging.of(ctx, io.wingu.controlplane.audit.AuditRoutes.CURSOR);
    Long before = page.after().map(k -> k.number("seq")).orElse(null);
    db.call(c -> new Log(page.answer(audit.latest(c, null, before, page.fetchSize()), AuditEvent::toJson,
        e -> new JsonObject().put("seq", e.seq())), audit.verify(c))).onSuccess(log -> {
          Map<String, Object> model = Paging.model(ctx, log.events(), "events");
          model.put("verification", log.verification().toJson());
          views.send(ctx, 200, "audit", "audit.title", model);
        }).onFailure(ctx::fail);
  }
}
