package io.wingu.controlplane.usage;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** SQL for the usage answers: series, node capacity, monthly report, quotas and alerts. */
final class UsageStore {

  private static final RowMapper<Quota> QUOTA = ConstructorMapper.of(Quota.class);
  private static final RowMapper<InstitutionUsage.DatabasePoint> DATABASE_POINT =
      ConstructorMapper.of(InstitutionUsage.DatabasePoint.class);
  private static final RowMapper<InstitutionUsage.Alert> ALERT =
      ConstructorMapper.of(InstitutionUsage.Alert.class);
  private static final RowMapper<NodeUsage.Report> NODE_REPORT =
      ConstructorMapper.of(NodeUsage.Report.class);
  private static final RowMapper<MonthReport.Line> MONTH_LINE =
      ConstructorMapper.of(MonthReport.Line.class);

  /** Sites that still hold their resources (not being or already decommissioned). */
  private static final String LIVE_SITE = "s.status NOT IN ('DECOMMISSIONING', 'DECOMMISSIONED')";

  Quota quota(Handle h, UUID institutionId) {
    return h.createQuery(
            "SELECT coalesce(sum(s.cpu_millis), 0) AS cpu_millis,"
                + " coalesce(sum(s.memory_bytes), 0) AS memory_bytes,"
                + " coalesce(sum(s.storage_bytes), 0) AS storage_bytes,"
                + " coalesce(sum(p.db_storage_bytes), 0) AS database_bytes FROM site s"
                + " LEFT JOIN plan p ON p.id = s.database_plan_id"
                + " WHERE s.institution_id = :institution AND "
                + LIVE_SITE)
        .bind("institution", institutionId)
        .map(QUOTA)
        .one();
  }

  /** Sum over the namespace's pods per bucket: average CPU and memory, network transferred. */
  List<InstitutionUsage.Point> series(
      Handle h, String namespace, String resolution, Instant from, Instant to) {
    return h.createQuery(
            "SELECT bucket, sum(cpu_millis_avg) AS cpu, sum(memory_bytes_avg) AS memory,"
                + " sum(net_rx_bytes) AS rx, sum(net_tx_bytes) AS tx FROM usage_rollup"
                + " WHERE namespace = :namespace AND resolution = :resolution"
                + " AND bucket >= :from AND bucket < :to GROUP BY bucket ORDER BY bucket")
        .bind("namespace", namespace)
        .bind("resolution", resolution)
        .bind("from", from)
        .bind("to", to)
        .map(
            (rs, ctx) ->
                new InstitutionUsage.Point(
                    rs.getTimestamp("bucket").toInstant(),
                    Math.round(rs.getDouble("cpu")),
                    Math.round(rs.getDouble("memory")),
                    rs.getLong("rx"),
                    rs.getLong("tx")))
        .list();
  }

  /**
   * The institution's tenant databases per hour or day: the sum over its sites of each one's
   * largest measured size in the bucket ({@link DatabaseSizes} measures them).
   */
  List<InstitutionUsage.DatabasePoint> databaseSeries(
      Handle h, UUID institutionId, String resolution, Instant from, Instant to) {
    return h.createQuery(
            "SELECT bucket AS at, sum(bytes) AS bytes FROM (SELECT d.site_id,"
                + " date_trunc(step.v, d.hour, 'UTC') AS bucket, max(d.bytes) AS bytes"
                + " FROM database_size_sample d JOIN site s ON s.id = d.site_id"
                + " AND s.institution_id = :institution CROSS JOIN (SELECT :resolution::text AS v) step"
                + " WHERE d.hour >= :from AND d.hour < :to GROUP BY d.site_id, bucket) per_site"
                + " GROUP BY bucket ORDER BY bucket")
        .bind("institution", institutionId)
        .bind("resolution", resolution)
        .bind("from", from)
        .bind("to", to)
        .map(DATABASE_POINT)
        .list();
  }

  List<InstitutionUsage.Alert> alerts(Handle h, UUID institutionId) {
    return h.createQuery(
            "SELECT resource, threshold, day, used, quota, raised_at FROM usage_alert"
                + " WHERE institution_id = :institution ORDER BY raised_at DESC LIMIT 50")
        .bind("institution", institutionId)
        .map(ALERT)
        .list();
  }

  /** The latest report of every node: capacity, requested (approved quotas) and used. */
  List<NodeUsage.Report> nodes(Handle h) {
    return h.createQuery(
            "SELECT DISTINCT ON (node_name) node_name, seq, collected_at, received_at,"
                + " cpu_capacity_millis, cpu_used_millis, memory_capacity_bytes, memory_used_bytes,"
                + " fs_capacity_bytes, fs_used_bytes, pods FROM node_report"
                + " ORDER BY node_name, collected_at DESC")
        .map(NODE_REPORT)
        .list();
  }

  /**
   * Per institution for a month: CPU core-hours and memory GiB-hours from the hourly rollups (each
   * hour's average counts for that hour), storage GiB-months from the approved storage of sites
   * live during the month (pro rata), network from the counters.
   */
  List<MonthReport.Line> month(Handle h, YearMonth month) {
    Instant from = month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    Instant to = month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    String hourly =
        " FROM usage_rollup r WHERE r.namespace = 'inst-' || i.code AND r.resolution = 'hour'"
            + " AND r.bucket >= :from AND r.bucket < :to), 0)";
    return h.createQuery(
            "SELECT i.id AS institution_id, i.code, i.name,"
                + " coalesce((SELECT sum(r.cpu_millis_avg) / 1000.0"
                + hourly
                + " AS cpu_core_hours,"
                + " coalesce((SELECT sum(r.memory_bytes_avg) / 1073741824.0"
                + hourly
                + " AS memory_gib_hours,"
                + " greatest(0, coalesce((SELECT sum(s.storage_bytes / 1073741824.0 * extract(epoch"
                + "   FROM (least(coalesce(CASE WHEN s.status = 'DECOMMISSIONED' THEN s.updated_at END,"
                + "   :to::timestamptz), :to::timestamptz) - greatest(s.created_at, :from::timestamptz)))"
                + "   / :monthSeconds) FROM site s WHERE s.institution_id = i.id AND s.created_at < :to"
                + "   AND (s.status <> 'DECOMMISSIONED' OR s.updated_at >= :from)), 0))"
                + " AS storage_gib_months,"
                + " coalesce((SELECT sum(r.net_rx_bytes)"
                + hourly
                + " AS net_rx_bytes,"
                + " coalesce((SELECT sum(r.net_tx_bytes)"
                + hourly
                + " AS net_tx_bytes FROM institution i ORDER BY i.code")
        .bind("from", from)
        .bind("to", to)
        .bind("monthSeconds", (double) (to.getEpochSecond() - from.getEpochSecond()))
        .map(MONTH_LINE)
        .list();
  }

  /** Raises an alert unless one for the same resource, threshold and day exists; true when new. */
  boolean raiseAlert(
      Handle h,
      UUID institutionId,
      String resource,
      int threshold,
      double used,
      double quota,
      Instant at) {
    return h.createUpdate(
                "INSERT INTO usage_alert (institution_id, resource, threshold, day, used, quota,"
                    + " raised_at) VALUES (:institution, :resource, :threshold,"
                    + " (:at::timestamptz AT TIME ZONE 'UTC')::date, :used, :quota, :at)"
                    + " ON CONFLICT DO NOTHING")
            .bind("institution", institutionId)
            .bind("resource", resource)
            .bind("threshold", threshold)
            .bind("used", used)
            .bind("quota", quota)
            .bind("at", at)
            .execute()
        == 1;
  }

  /** Each institution's use in the latest rolled-up hour, next to its quota. */
  record Pressure(
      UUID institutionId, String code, double cpuMillis, double memoryBytes, Quota quota) {}

  List<Pressure> pressure(Handle h, Instant hour) {
    return h.createQuery(
            "SELECT i.id, i.code, sum(r.cpu_millis_avg) AS cpu, sum(r.memory_bytes_avg) AS memory,"
                + " (SELECT coalesce(sum(cpu_millis), 0) FROM site s WHERE s.institution_id = i.id"
                + " AND "
                + LIVE_SITE
                + ") AS cpu_quota,"
                + " (SELECT coalesce(sum(memory_bytes), 0) FROM site s WHERE s.institution_id = i.id"
                + " AND "
                + LIVE_SITE
                + ") AS memory_quota"
                + " FROM usage_rollup r JOIN institution i ON r.namespace = 'inst-' || i.code"
                + " WHERE r.resolution = 'hour' AND r.bucket = :hour GROUP BY i.id, i.code")
        .bind("hour", hour)
        .map(
            (rs, ctx) ->
                new Pressure(
                    rs.getObject("id", UUID.class),
                    rs.getString("code"),
                    rs.getDouble("cpu"),
                    rs.getDouble("memory"),
                    new Quota(rs.getLong("cpu_quota"), rs.getLong("memory_quota"), 0, 0)))
        .list();
  }
}
