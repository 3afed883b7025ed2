package io.wingu.controlplane.provisioning;

import io.vertx.core.json.JsonArray;
import io.wingu.controlplane.institutions.DnsNames;
import io.wingu.controlplane.institutions.InstitutionService;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** SQL the reconciler reads desired state with and writes status back through. */
public final class TenantStore {

  private final SiteEvents events;

  /** A store whose status changes record nothing more. */
  public TenantStore() {
    this(SiteEvents.NONE);
  }

  /** A store that records, through {@code events}, the status changes people are told of. */
  public TenantStore(SiteEvents events) {
    this.events = events;
  }

  /**
   * A restore of a site's backup as the reconciler words it in {@code DatabaseReady}, and for a
   * restore into a new database that succeeded, the database whose Secret it writes.
   */
  public record SiteRestore(
      UUID id,
      UUID backupId,
      String target,
      String status,
      Integer number,
      String databaseName,
      UUID safetyBackupId,
      Instant finishedAt,
      String error) {

    public boolean running() {
      return "RUNNING".equals(status);
    }

    public boolean succeeded() {
      return "SUCCEEDED".equals(status);
    }

    public boolean intoNew() {
      return "NEW".equals(target);
    }
  }

  /** The site's newest restore (for its condition); empty when it was never restored. */
  public Optional<SiteRestore> latestRestore(Handle h, UUID siteId) {
    return h.createQuery(
            SELECT_RESTORE + " WHERE site_id = :id ORDER BY started_at DESC, id DESC LIMIT 1")
        .bind("id", siteId)
        .map(SITE_RESTORE)
        .findOne();
  }

  /** The new databases restores made for the site that hold their data and are not dropped. */
  public List<SiteRestore> restoredDatabases(Handle h, UUID siteId) {
    return h.createQuery(
            SELECT_RESTORE
                + " WHERE site_id = :id AND target = 'NEW' AND status = 'SUCCEEDED'"
                + " AND dropped_at IS NULL ORDER BY number")
        .bind("id", siteId)
        .map(SITE_RESTORE)
        .list();
  }

  public void markRestoredDatabaseDropped(Handle h, UUID restoreId, Instant at) {
    h.createUpdate("UPDATE database_restore SET dropped_at = :at WHERE id = :id")
        .bind("at", at)
        .bind("id", restoreId)
        .execute();
  }

  private static final RowMapper<SiteRestore> SITE_RESTORE =
      ConstructorMapper.of(SiteRestore.class);

  private static final String SELECT_RESTORE =
      "SELECT id, backup_id, target, status, number, database_name, safety_backup_id,"
          + " finished_at, error FROM database_restore";

  /** A decommissioned site's database whose retention has run out. */
  public record ExpiredDatabase(UUID siteId, String name) {}

  /** The tenant with every site that still has something in the cluster. */
  public Optional<Tenant> load(Handle h, UUID institutionId) throws SQLException {
    Optional<String> code =
        h.createQuery("SELECT code FROM institution WHERE id = :id")
            .bind("id", institutionId)
            .mapTo(String.class)
            .findOne();
    if (code.isEmpty()) {
      return Optional.empty();
    }
    List<String> domains =
        h.createQuery(
                "SELECT domain FROM institution_domain WHERE institution_id = :id ORDER BY domain")
            .bind("id", institutionId)
            .mapTo(String.class)
            .list();
    List<Tenant.Site> sites =
        h.createQuery(
                "SELECT s.id, s.name, s.cpu_millis, s.memory_bytes, s.storage_bytes, s.status,"
                    + " s.database_engine, dp.db_storage_bytes, dp.db_connections,"
                    + " coalesce((SELECT array_agg(h.hostname ORDER BY h.hostname) FROM site_hostname h WHERE h.site_id = s.id), '{}')"
                    + " AS owned, r.digest AS bundle_digest FROM site s"
                    + " LEFT JOIN site_revision r ON r.site_id = s.id AND r.revision = s.current_revision LEFT JOIN plan dp ON dp.id = s.database_plan_id"
                    + " WHERE s.institution_id = :id AND s.status <> 'DECOMMISSIONED' ORDER BY s.name")
            .bind("id", institutionId)
            .map(TenantStore::site)
            .list();
    // whose the hostnames are is decided among all institutions' domains (the most specific wins)
    List<String> hostnames =
        sites.stream().flatMap(s -> s.hostnames().stream()).map(DnsNames::normalise).toList();
    return Optional.of(
        new Tenant(
            institutionId,
            code.get(),
            domains,
            sites,
            InstitutionService.delegationsCovering(h, hostnames)));
  }

  private static Tenant.Site site(ResultSet rs, StatementContext ctx) throws SQLException {
    Tenant.Database db =
        rs.getString("database_engine") == null
            ? null
            : new Tenant.Database(rs.getLong("db_storage_bytes"), rs.getInt("db_connections"));
    return new Tenant.Site(
        rs.getObject("id", UUID.class),
        rs.getString("name"),
        Arrays.asList((String[]) rs.getArray("owned").getArray()),
        rs.getLong("cpu_millis"),
        rs.getLong("memory_bytes"),
        rs.getLong("storage_bytes"),
        rs.getString("status"),
        db,
        rs.getString("bundle_digest"));
  }

  /** Institutions that have sites the cluster should hold. */
  public List<UUID> institutionsWithSites(Handle h) {
    return h.createQuery(
            "SELECT DISTINCT institution_id FROM site WHERE status <> 'DECOMMISSIONED'")
        .mapTo(UUID.class)
        .list();
  }

  public Optional<UUID> institutionOfSite(Handle h, UUID siteId) {
    return h.createQuery("SELECT institution_id FROM site WHERE id = :id")
        .bind("id", siteId)
        .mapTo(UUID.class)
        .findOne();
  }

  public Optional<UUID> institutionByCode(Handle h, String code) {
    return h.createQuery("SELECT id FROM institution WHERE code = :code")
        .bind("code", code)
        .mapTo(UUID.class)
        .findOne();
  }

  /**
   * Writes what the reconciler found of a site, in the caller's transaction: its status and its
   * conditions (each keeping its transition time while its status holds), and, when the status or a
   * condition changed in a way people are told of, the {@link SiteEvents} of it. The site's row is
   * locked first, so the change is read against what was stored right before.
   */
  public void report(Handle h, UUID siteId, String status, List<Condition> conditions, Instant at)
      throws SQLException {
    String before = lockStatus(h, siteId).orElse(null);
    JsonArray previous = conditions(h, siteId);
    JsonArray merged = Condition.merge(previous, conditions, at);
    if (writeStatus(h, siteId, status, merged, at)) {
      tell(h, siteId, SiteEvents.between(before, status, previous, merged));
    }
  }

  /** The site's stored status, its row locked until the transaction ends. */
  private Optional<String> lockStatus(Handle h, UUID siteId) {
    return h.createQuery("SELECT status FROM site WHERE id = :id FOR UPDATE")
        .bind("id", siteId)
        .mapTo(String.class)
        .findOne();
  }

  /**
   * Records each transition with what a person needs to read of it: the site's name, institution
   * and hostnames, and for a refused deployment its revision and who deployed it.
   */
  private void tell(Handle h, UUID siteId, List<SiteEvents.Transition> transitions)
      throws SQLException {
    if (transitions.isEmpty()) {
      return;
    }
    io.vertx.core.json.JsonObject site =
        h.createQuery(
                "SELECT s.name, s.institution_id, s.hostnames, s.current_revision, r.created_by"
                    + " FROM site s LEFT JOIN site_revision r ON r.site_id = s.id"
                    + " AND r.revision = s.current_revision WHERE s.id = :id")
            .bind("id", siteId)
            .map(
                (rs, ctx) ->
                    new io.vertx.core.json.JsonObject()
                        .put("siteId", siteId.toString())
                        .put("name", rs.getString("name"))
                        .put("institutionId", rs.getObject("institution_id", UUID.class).toString())
                        .put(
                            "hostnames",
                            new JsonArray(
                                Arrays.asList((Object[]) rs.getArray("hostnames").getArray())))
                        .put("revision", (Integer) rs.getObject("current_revision"))
                        .put("deployedBy", rs.getString("created_by")))
            .one();
    UUID institution = UUID.fromString(site.getString("institutionId"));
    for (SiteEvents.Transition t : transitions) {
      if ("site.deploy-failed".equals(t.action()) && site.getValue("revision") == null) {
        continue; // nothing deployed yet: nobody's deployment failed
      }
      events.record(h, siteId, institution, t.action(), site.copy().put("reason", t.reason()));
    }
  }

  public JsonArray conditions(Handle h, UUID siteId) {
    return h.createQuery("SELECT conditions::text FROM site WHERE id = :id")
        .bind("id", siteId)
        .mapTo(String.class)
        .findOne()
        .map(JsonArray::new)
        .orElseGet(JsonArray::new);
  }

  /**
   * Writes status and conditions only when they differ from what is stored. Suspending, resuming
   * and decommissioning are the operator's: a reconcile that read the site before such a change
   * never writes its older view over it (the change wakes another reconcile, which reads it).
   */
  public boolean writeStatus(
      Handle h, UUID siteId, String status, JsonArray conditions, Instant at) {
    return h.createUpdate(
                "UPDATE site SET status = :status, conditions = :conditions::jsonb, updated_at = :at"
                    + " WHERE id = :id AND status NOT IN ('DECOMMISSIONED')"
                    + " AND (status IN ('SUSPENDED', 'DECOMMISSIONING')) = (:status::text IN ('SUSPENDED', 'DECOMMISSIONING'))"
                    + " AND (status IS DISTINCT FROM :status OR conditions IS DISTINCT FROM :conditions::jsonb)")
            .bind("status", status)
            .bind("conditions", conditions.encode())
            .bind("at", at)
            .bind("id", siteId)
            .execute()
        > 0;
  }

  public void recordDatabaseName(Handle h, UUID siteId, String name) {
    h.createUpdate(
            "UPDATE site SET database_name = :name WHERE id = :id"
                + " AND database_name IS DISTINCT FROM :name")
        .bind("name", name)
        .bind("id", siteId)
        .execute();
  }

  /** Records the hash of the token in the site's bundle-token Secret (no write when unchanged). */
  public void recordBundleTokenHash(Handle h, UUID siteId, String hash) {
    h.createUpdate(
            "UPDATE site SET bundle_token_sha256 = :hash WHERE id = :id"
                + " AND bundle_token_sha256 IS DISTINCT FROM :hash")
        .bind("hash", hash)
        .bind("id", siteId)
        .execute();
  }

  /** The site's objects are gone: release its hostnames and schedule its database's end. */
  public void markDecommissioned(Handle h, UUID siteId, Instant dropDatabaseAfter, Instant at) {
    h.createUpdate("DELETE FROM site_hostname WHERE site_id = :id").bind("id", siteId).execute();
    h.createUpdate(
            "UPDATE site SET status = 'DECOMMISSIONED', updated_at = :at, database_drop_after ="
                + " CASE WHEN database_name IS NULL THEN NULL ELSE :dropAfter::timestamptz END"
                + " WHERE id = :id")
        .bind("at", at)
        .bind("dropAfter", dropDatabaseAfter)
        .bind("id", siteId)
        .execute();
  }

  /** Databases of decommissioned sites whose retention has run out. */
  public List<ExpiredDatabase> databasesToDrop(Handle h, Instant now) {
    return h.createQuery(
            "SELECT id AS site_id, database_name AS name FROM site WHERE database_drop_after <= :now"
                + " AND database_dropped_at IS NULL AND database_name IS NOT NULL")
        .bind("now", now)
        .map(ConstructorMapper.of(ExpiredDatabase.class))
        .list();
  }

  public void markDatabaseDropped(Handle h, UUID siteId, Instant at) {
    h.createUpdate("UPDATE site SET database_dropped_at = :at WHERE id = :id")
        .bind("at", at)
        .bind("id", siteId)
        .execute();
  }
}
