package io.wingu.controlplane.web;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Access;
import io.wingu.controlplane.app.Database;
import io.wingu.controlplane.audit.AuditEvent;
import io.wingu.controlplane.audit.AuditLog;
import io.wingu.controlplane.auth.Role;
import java.util.List;
import java.util.Map;

/** The audit log, newest first, with the result of verifying the whole hash chain. */
final class AuditPages {

  private static final int SHOWN = 200;

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

  private record Log(List<AuditEvent> events, AuditLog.Verification verification) {
  }

  private void show(RoutingContext ctx) {
    db.call(c -> new Log(audit.latest(c, null, SHOWN), audit.verify(c))).onSuccess(log -> views.send(ctx, 200,
        "audit", "audit.title", Map.of("events", log.events().stream().map(AuditEvent::toJson).toList(),
            "verification", log.verification().toJson()))).onFailure(ctx::fail);
  }
}
