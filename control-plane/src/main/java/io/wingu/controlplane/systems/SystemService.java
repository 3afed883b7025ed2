package io.wingu.controlplane.systems;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.app.Cursor;
import io.wingu.controlplane.app.DomainError;
import io.wingu.controlplane.app.FieldError;
import io.wingu.controlplane.app.Keyset;
import io.wingu.controlplane.app.Page;
import io.wingu.controlplane.audit.AuditEntry;
import io.wingu.controlplane.audit.AuditedDatabase;
import io.wingu.controlplane.caller.Caller;
import io.wingu.controlplane.caller.Role;
import io.wingu.controlplane.institutions.Institution;
import io.wingu.controlplane.institutions.InstitutionService;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * The ICT systems register: institutions record the systems they run, operators and auditors read
 * them all and see which kinds of system many institutions run separately. Knows nothing of HTTP;
 * the REST API and the console both call it.
 */
public final class SystemService {

  /** Review dates are days in the country's time zone. */
  public static final ZoneId ZONE = ZoneId.of("Africa/Dar_es_Salaam");

  /** Systems are listed by name: a cursor names the last one's name and id. */
  public static final Cursor.Shape CURSOR =
      Cursor.Shape.of(Cursor.Part.text("name"), Cursor.Part.uuid("id"));

  /** A page of an institution's register. */
  public record Listing(
      Institution institution, io.wingu.controlplane.app.Listing<IctSystem> page) {

    /** The page's entries. */
    public List<IctSystem> systems() {
      return page.items();
    }
  }

  private final AuditedDatabase db;
  private final SystemStore systems = new SystemStore();
  private final InstitutionService institutions;

  public SystemService(AuditedDatabase db, InstitutionService institutions) {
    this.db = db;
    this.institutions = institutions;
  }

  /** Today, as review dates count days. */
  public LocalDate today() {
    return LocalDate.now(db.clock().withZone(ZONE));
  }

  /**
   * The institution whose register the caller asks for: 404 when the caller's scope does not cover
   * it.
   */
  public Future<Institution> institution(Caller caller, UUID institutionId) {
    return db.withHandle(h -> institution(h, caller, institutionId));
  }

  /** One page of the institution's entries, by name. */
  public Future<Listing> list(Caller caller, UUID institutionId, Page page) {
    return db.withHandle(
        h -> {
          Institution inst = institution(h, caller, institutionId);
          List<IctSystem> rows =
              systems.list(h, caller.scope(), inst.id(), Keyset.ascending(page, "s.name", "s.id"));
          return new Listing(
              inst,
              page.listing(
                  rows, s -> new JsonObject().put("name", s.name()).put("id", s.id().toString())));
        });
  }

  public Future<IctSystem> find(Caller caller, UUID institutionId, UUID id) {
    return db.withHandle(
        h -> {
          institution(h, caller, institutionId);
          return systems
              .find(h, caller.scope(), institutionId, id, false)
              .orElseThrow(() -> notFound(id));
        });
  }

  public Future<IctSystem> create(
      Caller caller, UUID institutionId, SystemEntry given, String requestId) {
    return written(
        caller,
        institutionId,
        given,
        (h, inst, entry) -> {
          Instant now = now();
          IctSystem s = stored(UUID.randomUUID(), inst.id(), entry, now, now, caller.username());
          systems.insert(h, s);
          record(h, caller, "system.create", inst, null, s, requestId);
          return s;
        });
  }

  public Future<IctSystem> update(
      Caller caller, UUID institutionId, UUID id, SystemEntry given, String requestId) {
    return written(
        caller,
        institutionId,
        given,
        (h, inst, entry) -> {
          IctSystem before = locked(h, caller, inst, id);
          IctSystem after =
              stored(id, inst.id(), entry, before.createdAt(), now(), caller.username());
          systems.update(h, after);
          record(h, caller, "system.update", inst, before, after, requestId);
          return after;
        });
  }

  /** How an entry is written once checked, by its institution's own admin. */
  @FunctionalInterface
  private interface Write {
    IctSystem into(Handle h, Institution inst, SystemEntry entry) throws SQLException;
  }

  /** Checks the given entry, then writes it in one transaction if the caller may. */
  private Future<IctSystem> written(
      Caller caller, UUID institutionId, SystemEntry given, Write write) {
    return checked(given)
        .compose(
            entry ->
                db.inTransaction(h -> write.into(h, writable(h, caller, institutionId), entry)));
  }

  public Future<IctSystem> delete(Caller caller, UUID institutionId, UUID id, String requestId) {
    return db.inTransaction(
        h -> {
          Institution inst = writable(h, caller, institutionId);
          IctSystem before = locked(h, caller, inst, id);
          systems.delete(h, inst.id(), id);
          record(h, caller, "system.delete", inst, before, null, requestId);
          return before;
        });
  }

  /** The entry, locked for a change in this transaction; 404 when the scope does not hold it. */
  private IctSystem locked(Handle h, Caller caller, Institution inst, UUID id) {
    return systems.find(h, caller.scope(), inst.id(), id, true).orElseThrow(() -> notFound(id));
  }

  /** The change in the audit log, in the same transaction ({@code before} null: created). */
  private void record(
      Handle h,
      Caller caller,
      String action,
      Institution inst,
      IctSystem before,
      IctSystem after,
      String requestId)
      throws SQLException {
    db.audit(
        h,
        new AuditEntry(
            caller.username(),
            action,
            target(inst, (after != null ? after : before).id()),
            inst.id(),
            requestId,
            before == null ? null : before.toJson(today()),
            after == null ? null : after.toJson(today())));
  }

  /** Categories of system that at least two institutions run separately, largest groups first. */
  public Future<List<DuplicateGroup>> duplicates(Caller caller) {
    return db.withHandle(h -> DuplicateGroup.of(systems.duplicates(h, caller.scope()), today()));
  }

  private Future<SystemEntry> checked(SystemEntry given) {
    SystemEntry entry = given.stripped();
    List<FieldError> errors = entry.problems(today());
    if (!errors.isEmpty()) {
      return Future.failedFuture(DomainError.invalid("The register entry is not valid", errors));
    }
    return Future.succeededFuture(entry);
  }

  private Institution institution(Handle h, Caller caller, UUID institutionId) throws SQLException {
    return institutions.get(h, caller.scope(), institutionId);
  }

  /** Only the institution's own admin writes its register; others may at most read it. */
  private Institution writable(Handle h, Caller caller, UUID institutionId) throws SQLException {
    Institution inst = institution(h, caller, institutionId);
    if (caller.role() != Role.INSTITUTION_ADMIN) {
      throw DomainError.forbidden("Only the institution's admin may change its register");
    }
    return inst;
  }

  private static IctSystem stored(
      UUID id, UUID institutionId, SystemEntry e, Instant createdAt, Instant updatedAt, String by) {
    return new IctSystem(
        id,
        institutionId,
        e.name(),
        e.purpose(),
        e.category(),
        e.hosting(),
        e.builtBy(),
        (int) e.users(),
        e.reviewDate(),
        createdAt,
        updatedAt,
        by);
  }

  private Instant now() {
    return db.now();
  }

  private static String target(Institution inst, UUID id) {
    return "institution/" + inst.code() + "/systems/" + id;
  }

  static DomainError notFound(UUID id) {
    return DomainError.notFound("No system " + id);
  }
}
