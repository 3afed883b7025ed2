package io.wingu.controlplane.audit;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.app.Cursor;
import io.wingu.controlplane.app.Database;
import io.wingu.controlplane.app.Listing;
import io.wingu.controlplane.app.Page;
import io.wingu.controlplane.caller.Caller;
import java.util.List;
import java.util.UUID;

/**
 * Reading the audit log, for the API and the console alike: the events a caller may see, the newest
 * events, and the verification of the whole chain. Recording stays with {@link AuditLog}, which
 * every capability appends to inside its own transactions.
 */
public final class AuditService {

  /** Events are listed by sequence number: a cursor names the last one seen. */
  public static final Cursor.Shape CURSOR = Cursor.Shape.of(Cursor.Part.number("seq"));

  private final Database db;
  private final AuditLog log;

  public AuditService(Database db, AuditLog log) {
    this.db = db;
    this.log = log;
  }

  /** A listed event's cursor key. */
  private static JsonObject cursorKey(AuditEvent event) {
    return new JsonObject().put("seq", event.seq());
  }

  /**
   * One page of the events matching the filter, oldest first. An institution's people see only
   * their institution's events: another institution's do not exist for them (an empty list, not a
   * refusal).
   */
  public Future<Listing<AuditEvent>> list(Caller caller, AuditLog.Filter filter, Page page) {
    AuditLog.Filter scoped = filter;
    if (!caller.scope().coversPlatform()) {
      UUID own = caller.scope().institutionId().orElseThrow();
      if (filter.institutionId() != null && !filter.institutionId().equals(own)) {
        return Future.succeededFuture(new Listing<>(List.of(), null));
      }
      scoped =
          new AuditLog.Filter(own, filter.actor(), filter.action(), filter.from(), filter.to());
    }
    AuditLog.Filter f = scoped;
    return db.withHandle(h -> page.listing(log.list(h, f, page), AuditService::cursorKey));
  }

  /** One page of the platform's events, newest first. */
  public Future<Listing<AuditEvent>> latest(Page page) {
    return db.withHandle(h -> page.listing(log.latest(h, null, page), AuditService::cursorKey));
  }

  /** One page of the platform's events matching {@code filter}, newest first: the console's log. */
  public Future<Listing<AuditEvent>> latest(AuditLog.Filter filter, Page page) {
    return db.withHandle(
        h -> page.listing(log.latestMatching(h, filter, page), AuditService::cursorKey));
  }

  /** Walks the whole chain and holds it against the latest signed checkpoint. */
  public Future<AuditLog.Verification> verify() {
    return db.withHandle(log::verify);
  }
}
