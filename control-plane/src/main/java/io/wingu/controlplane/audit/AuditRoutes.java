package io.wingu.controlplane.audit;

import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Access;
import io.wingu.controlplane.app.ApiOperations;
import io.wingu.controlplane.app.FieldError;
import io.wingu.controlplane.app.Page;
import io.wingu.controlplane.app.Problem;
import io.wingu.controlplane.app.Respond;
import io.wingu.controlplane.caller.Role;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

/** GET /audit and GET /audit/verify: HTTP to {@link AuditService} and back. */
public record AuditRoutes(AuditService audit) {

  public void addTo(ApiOperations api) {
    api.add(
        "listAudit", Access.roles(Role.OPERATOR, Role.AUDITOR, Role.INSTITUTION_ADMIN), this::list);
    api.add(
        "verifyAudit",
        Access.roles(Role.OPERATOR, Role.AUDITOR),
        ctx -> Respond.json(ctx, 200, audit.verify().map(AuditLog.Verification::toJson)));
  }

  private void list(RoutingContext ctx) {
    Page page = Page.from(ctx, AuditService.CURSOR);
    String asked = ctx.queryParams().get("institutionId");
    UUID institution = asked == null ? null : UUID.fromString(asked);
    var filter =
        new AuditLog.Filter(
            institution, ctx.queryParams().get("actor"), time(ctx, "from"), time(ctx, "to"));
    Respond.json(
        ctx,
        200,
        audit
            .list(ApiOperations.caller(ctx), filter, page)
            .map(events -> events.toJson(AuditEvent::toJson)));
  }

  private static Instant time(RoutingContext ctx, String name) {
    String v = ctx.queryParams().get(name);
    if (v == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(v).toInstant();
    } catch (DateTimeParseException e) {
      throw Problem.badRequest(
          name + " is not a date-time",
          List.of(
              new FieldError(name, "must be an RFC 3339 date-time such as 2026-01-31T00:00:00Z")));
    }
  }
}
