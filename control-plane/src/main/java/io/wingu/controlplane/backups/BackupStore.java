package io.wingu.controlplane.backups;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.app.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** The backup catalogue's SQL. */
final class BackupStore {

  private static final String SELECT =
      "SELECT id, site_id, institution_id, database_name, reason, status, object_key, key_id,"
          + " started_at, finished_at, size_bytes, sha256, tables::text AS tables, error,"
          + " verified_at, verified_ok, verified_detail FROM backup";

  private static final RowMapper<Backup> BACKUP = (rs, ctx) -> read(rs);

  /** The site's institution and database name; empty when the site has no database. */
  Optional<SiteDatabase> siteDatabase(Handle h, UUID siteId) {
    return h.createQuery(
            "SELECT institution_id, database_name FROM site WHERE id = :id"
                + " AND database_name IS NOT NULL AND database_dropped_at IS NULL")
        .bind("id", siteId)
        .map(
            (rs, ctx) ->
                new SiteDatabase(
                    siteId,
                    rs.getObject("institution_id", UUID.class),
                    rs.getString("database_name")))
        .findOne();
  }

  /**
   * Sites with a live database and no backup started, running or succeeded, within their plan's
   * interval ({@code capHours} at most): those the schedule backs up now. The database's own plan
   * says, or else the site's.
   */
  List<UUID> due(Handle h, Instant now, int capHours) {
    return h.createQuery(
            "SELECT s.id FROM site s JOIN plan p ON p.id = COALESCE(s.database_plan_id, s.plan_id)"
                + " WHERE s.database_name IS NOT NULL"
                + " AND s.database_dropped_at IS NULL"
                + " AND s.status IN ('ACTIVE', 'DEGRADED', 'SUSPENDED')"
                + " AND NOT EXISTS (SELECT 1 FROM backup b WHERE b.site_id = s.id"
                + "   AND b.status IN ('RUNNING', 'SUCCEEDED')"
                + "   AND b.started_at > CAST(:now AS timestamptz)"
                + "   - make_interval(hours => LEAST(p.backup_every_hours, :cap)))"
                + " ORDER BY s.id")
        .bind("now", now)
        .bind("cap", capHours)
        .mapTo(UUID.class)
        .list();
  }

  /** A finished backup as retention weighs it, with its site's plan's retention. */
  record Kept(UUID siteId, String objectKey, Retention retention, Retention.Held held) {}

  /**
   * Every finished backup, with what retention needs: whether it is untouchable (being restored,
   * the safety backup or source of a running restore, or its site's newest verified backup) and the
   * retention of the plan of its site's database.
   */
  List<Kept> finished(Handle h) {
    return h.createQuery(
            "SELECT b.id, b.site_id, b.object_key, b.started_at, b.status = 'SUCCEEDED' AS good,"
                + " (b.restoring"
                + "  OR EXISTS (SELECT 1 FROM database_restore r WHERE r.status = 'RUNNING'"
                + "    AND b.id IN (r.backup_id, r.safety_backup_id))"
                + "  OR b.id IS NOT DISTINCT FROM (SELECT v.id FROM backup v"
                + "    WHERE v.site_id = b.site_id AND v.status = 'SUCCEEDED' AND v.verified_ok"
                + "    ORDER BY v.started_at DESC LIMIT 1)) AS untouchable,"
                + " p.backup_keep_days, p.backup_keep_weeks, p.backup_keep_months"
                + " FROM backup b JOIN site s ON s.id = b.site_id"
                + " JOIN plan p ON p.id = COALESCE(s.database_plan_id, s.plan_id)"
                + " WHERE b.status <> 'RUNNING' ORDER BY b.site_id, b.started_at")
        .map(
            (rs, ctx) ->
                new Kept(
                    rs.getObject("site_id", UUID.class),
                    rs.getString("object_key"),
                    new Retention(
                        rs.getInt("backup_keep_days"),
                        rs.getInt("backup_keep_weeks"),
                        rs.getInt("backup_keep_months")),
                    new Retention.Held(
                        rs.getObject("id", UUID.class),
                        rs.getTimestamp("started_at").toInstant(),
                        rs.getBoolean("good"),
                        rs.getBoolean("untouchable"))))
        .list();
  }

  /**
   * Deletes a backup's row unless, since retention weighed it, it came under restore (the restore
   * marks it first): true when it was deleted.
   */
  boolean deleteUnlessRestoring(Handle h, UUID id) {
    return Rows.changeOne(
        h, "DELETE FROM backup WHERE id = :id AND NOT restoring", Map.of("id", id));
  }

  /** A site's database as backups need it. */
  record SiteDatabase(UUID siteId, UUID institutionId, String name) {}

  void insertRunning(Handle h, Backup b) {
    h.createUpdate(
            "INSERT INTO backup (id, site_id, institution_id, database_name, reason, status,"
                + " object_key, key_id, started_at) VALUES (:id, :siteId, :institutionId,"
                + " :databaseName, :reason, 'RUNNING', :objectKey, :keyId, :startedAt)")
        .bindMethods(b)
        .execute();
  }

  void succeeded(
      Handle h, UUID id, Instant at, long sizeBytes, String sha256, List<Backup.TableRows> tables) {
    JsonArray t = new JsonArray();
    tables.forEach(r -> t.add(new JsonObject().put("name", r.name()).put("rows", r.rows())));
    h.createUpdate(
            "UPDATE backup SET status = 'SUCCEEDED', finished_at = :at, size_bytes = :size,"
                + " sha256 = :sha, tables = CAST(:tables AS jsonb) WHERE id = :id")
        .bind("id", id)
        .bind("at", at)
        .bind("size", sizeBytes)
        .bind("sha", sha256)
        .bind("tables", t.encode())
        .execute();
  }

  void failed(Handle h, UUID id, Instant at, String error) {
    h.createUpdate(
            "UPDATE backup SET status = 'FAILED', finished_at = :at, error = :error WHERE id = :id")
        .bind("id", id)
        .bind("at", at)
        .bind("error", error)
        .execute();
  }

  void verified(Handle h, UUID id, Backup.Verification v) {
    h.createUpdate(
            "UPDATE backup SET verified_at = :at, verified_ok = :ok, verified_detail = :detail"
                + " WHERE id = :id")
        .bind("id", id)
        .bind("at", v.at())
        .bind("ok", v.ok())
        .bind("detail", v.detail())
        .execute();
  }

  /** Marks a backup as being restored (retention keeps it); false when it already was. */
  boolean markRestoring(Handle h, UUID id, boolean restoring) {
    return Rows.changeOne(
        h,
        "UPDATE backup SET restoring = :restoring WHERE id = :id AND restoring <> :restoring",
        Map.of("id", id, "restoring", restoring));
  }

  /** Backups a dead process left RUNNING become FAILED; returns them. */
  List<Backup> failInterrupted(Handle h, Instant at) {
    List<Backup> running = h.createQuery(SELECT + " WHERE status = 'RUNNING'").map(BACKUP).list();
    h.createUpdate(
            "UPDATE backup SET status = 'FAILED', finished_at = :at, error = :error"
                + " WHERE status = 'RUNNING'")
        .bind("at", at)
        .bind("error", "the control plane stopped during the backup; nothing was kept")
        .execute();
    h.createUpdate("UPDATE backup SET restoring = false WHERE restoring").execute();
    return running;
  }

  Optional<Backup> find(Handle h, UUID siteId, UUID id) {
    return ofSite(h, SELECT, BACKUP, siteId, id);
  }

  /** The row of {@code select} with this id, when it is the site's. */
  private static <T> Optional<T> ofSite(
      Handle h, String select, RowMapper<T> rows, UUID siteId, UUID id) {
    return h.createQuery(select + " WHERE site_id = :siteId AND id = :id")
        .bind("siteId", siteId)
        .bind("id", id)
        .map(rows)
        .findOne();
  }

  /** A site's backups, newest first, after the cursor's (startedAt, id) when given. */
  List<Backup> page(Handle h, UUID siteId, Instant beforeAt, UUID beforeId, int limit) {
    return h.createQuery(
            SELECT
                + " WHERE site_id = :siteId"
                + (beforeAt == null ? "" : " AND (started_at, id) < (:beforeAt, :beforeId)")
                + " ORDER BY started_at DESC, id DESC LIMIT :limit")
        .bind("siteId", siteId)
        .bind("beforeAt", beforeAt)
        .bind("beforeId", beforeId)
        .bind("limit", limit)
        .map(BACKUP)
        .list();
  }

  // --- restores

  private static final String RESTORE_COLUMNS =
      "id, site_id, institution_id, backup_id, target, status, number, database_name,"
          + " safety_backup_id, actor, started_at, finished_at, error";

  private static final String SELECT_RESTORE =
      "SELECT " + RESTORE_COLUMNS + " FROM database_restore";

  private static final RowMapper<Restore> RESTORE = ConstructorMapper.of(Restore.class);

  /** The next n of a site's new databases: one more than any it ever had. */
  int nextRestoreNumber(Handle h, UUID siteId) {
    return h.createQuery(
            "SELECT coalesce(max(number), 0) + 1 FROM database_restore WHERE site_id = :siteId")
        .bind("siteId", siteId)
        .mapTo(Integer.class)
        .one();
  }

  void insertRestore(Handle h, Restore r) {
    h.createUpdate(
            "INSERT INTO database_restore (id, site_id, institution_id, backup_id, target, status,"
                + " number, database_name, actor, started_at) VALUES (:id, :siteId,"
                + " :institutionId, :backupId, :target, 'RUNNING', :number, :databaseName, :actor,"
                + " :startedAt)")
        .bindMethods(r)
        .execute();
  }

  void restoreSafety(Handle h, UUID id, UUID safetyBackupId) {
    h.createUpdate("UPDATE database_restore SET safety_backup_id = :safety WHERE id = :id")
        .bind("id", id)
        .bind("safety", safetyBackupId)
        .execute();
  }

  void restoreFinished(Handle h, UUID id, Instant at, String error) {
    h.createUpdate(
            "UPDATE database_restore SET status = :status, finished_at = :at, error = :error"
                + " WHERE id = :id")
        .bind("id", id)
        .bind("status", error == null ? "SUCCEEDED" : "FAILED")
        .bind("at", at)
        .bind("error", error)
        .execute();
  }

  /** A site's restore; empty when it is not that site's. */
  Optional<Restore> findRestore(Handle h, UUID siteId, UUID id) {
    return ofSite(h, SELECT_RESTORE, RESTORE, siteId, id);
  }

  /** A site's restores, newest first. */
  List<Restore> restores(Handle h, UUID siteId, int limit) {
    return h.createQuery(
            SELECT_RESTORE
                + " WHERE site_id = :siteId ORDER BY started_at DESC, id DESC LIMIT :limit")
        .bind("siteId", siteId)
        .bind("limit", limit)
        .map(RESTORE)
        .list();
  }

  /** Restores a dead process left RUNNING become FAILED; returns them. */
  List<Restore> failInterruptedRestores(Handle h, Instant at) {
    return h.createQuery(
            "UPDATE database_restore SET status = 'FAILED', finished_at = :at, error = :error"
                + " WHERE status = 'RUNNING' RETURNING "
                + RESTORE_COLUMNS)
        .bind("at", at)
        .bind(
            "error",
            "the control plane stopped during the restore; the live database kept its data")
        .map(RESTORE)
        .list();
  }

  private static Backup read(ResultSet rs) throws SQLException {
    List<Backup.TableRows> tables = new ArrayList<>();
    for (Object o : new JsonArray(rs.getString("tables"))) {
      JsonObject t = (JsonObject) o;
      tables.add(new Backup.TableRows(t.getString("name"), t.getLong("rows")));
    }
    Timestamp verifiedAt = rs.getTimestamp("verified_at");
    long size = rs.getLong("size_bytes");
    Long sizeBytes = rs.wasNull() ? null : size;
    return new Backup(
        rs.getObject("id", UUID.class),
        rs.getObject("site_id", UUID.class),
        rs.getObject("institution_id", UUID.class),
        rs.getString("database_name"),
        Backup.Reason.valueOf(rs.getString("reason")),
        Backup.Status.valueOf(rs.getString("status")),
        rs.getString("object_key"),
        rs.getLong("key_id"),
        rs.getTimestamp("started_at").toInstant(),
        instant(rs.getTimestamp("finished_at")),
        sizeBytes,
        rs.getString("sha256"),
        tables,
        rs.getString("error"),
        verifiedAt == null
            ? null
            : new Backup.Verification(
                verifiedAt.toInstant(),
                rs.getBoolean("verified_ok"),
                rs.getString("verified_detail")));
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }
}
