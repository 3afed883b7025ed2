package io.wingu.controlplane.audit;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.app.Cursor;
import io.wingu.controlplane.app.Database;
import io.wingu.controlplane.auth.Caller;
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
  public static JsonObject cursorKey(AuditEvent event) {
    return new JsonObject().put("seq", event.seq());
  }

  /**
   * Up to {@code max} events after {@code afterSeq} (0 for the start) matching the filter, oldest
   * first. An institution's people see only their institution's events: another institution's do
   * not exist for them (an empty list, not a refusal).
   */
  public Future<List<AuditEvent>> list(
      Caller caller, AuditLog.Filter filter, long afterSeq, int max) {
    AuditLog.Filter scoped = filter;
    if (!caller.scope().coversPlatform()) {
      UUID own = caller.scope().institutionId().orElseThrow();
      if (filter.institutionId() != null && !filter.institutionId().equals(own)) {
        return Future.succeededFuture(List.of());
      }
      scoped =
          new AuditLog.Filter(own, filter.actor(), filter.action(), filter.from(), filter.to());
    }
    AuditLog.Filter f = scoped;
    return db.withHandle(h -> log.list(h, f, afterSeq, max));
  }

  /**
   * The platform's newest {@code max} events before {@code beforeSeq} (null for the newest), newest
   * first.
   */
  public Future<List<AuditEvent>> latest(Long beforeSeq, int max) {
    return db.withHandle(h -> log.latest(h, null, beforeSeq, max));
  }

  /**
   * The platform's newest {@code max} events matching {@code filter} before {@code beforeSeq} (null
   * for the newest), newest first: the console's log with its filters.
   */
  public Future<List<AuditEvent>> latest(AuditLog.Filter filter, Long beforeSeq, int max) {
    return db.withHandle(h -> log.latestMatching(h, filter, beforeSeq, max));
  }

  /** Walks the whole chain and holds it against the latest signed checkpoint. */
  public Future<AuditLog.Verification> verify() {
    return db.withHandle(log::verify);
  }
}
