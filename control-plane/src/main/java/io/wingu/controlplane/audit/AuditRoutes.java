package io.wingu.controlplane.audit;

import io.wingu.controlplane.app.FieldError;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Access;
import io.wingu.controlplane.app.ApiOperations;
import io.wingu.controlplane.app.Cursor;
import io.wingu.controlplane.app.Database;
import io.wingu.controlplane.app.Page;
import io.wingu.controlplane.app.Problem;
import io.wingu.controlplane.app.Respond;
import io.wingu.controlplane.auth.Caller;
import io.wingu.controlplane.auth.Role;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

/** GET /audit and GET /audit/verify. */
public final class AuditRoutes {

  /** Events are listed by sequence number: a cursor names the last one seen. */
  public static final Cursor.Shape CURSOR = Cursor.Shape.of(Cursor.Part.number("seq"));

  private final Database db;
  private final AuditLog audit;

  public AuditRoutes(Database db, AuditLog audit) {
    this.db = db;
    this.audit = audit;
  }

  public void addTo(ApiOperations api) {
    api.add("listAudit", Access.roles(Role.OPERATOR, Role.AUDITOR, Role.INSTITUTION_ADMIN), this::list);
    api.add("verifyAudit", Access.roles(Role.OPERATOR, Role.AUDITOR),
        ctx -> Respond.json(ctx, 200, db.call(c -> audit.verify(c).toJson())));
  }

  private void list(RoutingContext ctx) {
    Caller caller = ApiOperations.caller(ctx);
    Page page = Page.from(ctx, CURSOR);
    String asked = ctx.queryParams().get("institutionId");
    UUID institution = asked == null ? null : UUID.fromString(asked);
    if (!caller.scope().coversPlatform()) {
      UUID own = caller.scope().institutionId().orElseThrow();
      if (institution != null && !institution.equals(own)) {
        // another institution's events do not exist for this caller
        ctx.json(new JsonObject().put("items", new io.vertx.core.json.JsonArray()).putNull("nextCursor"));
        return;
      }
      institution = own;
    }
    var filter = new AuditLog.Filter(institution, ctx.queryParams().get("actor"), time(ctx, "from"), time(ctx, "to"));
    long after = page.after().map(k -> k.number("seq")).orElse(0L);
    Respond.json(ctx, 200, db.call(c -> page.answer(audit.list(c, filter, after, page.fetchSize()),
        AuditEvent::toJson, e -> new JsonObject().put("seq", e.seq()))));
  }

  private static Instant time(RoutingContext ctx, String name) {
    String v = ctx.queryParams().get(name);
    if (v == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(v).toInstant();
    } catch (DateTimeParseException e) {
      throw Problem.badRequest(name + " is not a date-time", List.of(new FieldError(name,
          "must be an RFC 3339 date-time such as 2026-01-31T00:00:00Z")));
    }
  }
}
