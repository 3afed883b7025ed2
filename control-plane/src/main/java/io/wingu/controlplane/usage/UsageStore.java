package io.wingu.controlplane.usage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** SQL for the usage answers: series, node capacity, monthly report, quotas and alerts. */
final class UsageStore {

  Quota quota(Connection c, UUID institutionId) throws SQLException {
    try (var st =
        c.prepareStatement(
            "SELECT coalesce(sum(s.cpu_millis), 0), coalesce(sum(s.memory_bytes), 0),"
                + " coalesce(sum(s.storage_bytes), 0), coalesce(sum(p.db_storage_bytes), 0) FROM site s"
                + " LEFT JOIN plan p ON p.id = s.database_plan_id WHERE s.institution_id = ? AND s.status NOT IN"
                + " ('DECOMMISSIONING', 'DECOMMISSIONED')")) {
      st.setObject(1, institutionId);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return new Quota(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
      }
    }
  }

  /** Sum over the namespace's pods per bucket: average CPU and memory, network transferred. */
  List<InstitutionUsage.Point> series(
      Connection c, String namespace, String resolution, Instant from, Instant to)
      throws SQLException {
    return bucketed(
        c,
        "SELECT bucket, sum(cpu_millis_avg), sum(memory_bytes_avg), sum(net_rx_bytes),"
            + " sum(net_tx_bytes) FROM usage_rollup WHERE namespace = ? AND resolution = ? AND bucket >= ? AND bucket < ?"
            + " GROUP BY bucket ORDER BY bucket",
        namespace,
        resolution,
        from,
        to,
        (at, rs) ->
            new InstitutionUsage.Point(
                at,
                Math.round(rs.getDouble(2)),
                Math.round(rs.getDouble(3)),
                rs.getLong(4),
                rs.getLong(5)));
  }

  /**
   * The institution's tenant databases per hour or day: the sum over its sites of each one's
   * largest measured size in the bucket ({@link DatabaseSizes} measures them).
   */
  List<InstitutionUsage.DatabasePoint> databaseSeries(
      Connection c, UUID institutionId, String resolution, Instant from, Instant to)
      throws SQLException {
    return bucketed(
        c,
        "SELECT bucket, sum(bytes) FROM (SELECT d.site_id, date_trunc(step.v, d.hour, 'UTC') AS bucket,"
            + " max(d.bytes) AS bytes FROM database_size_sample d JOIN site s ON s.id = d.site_id AND s.institution_id = ?"
            + " CROSS JOIN (SELECT ?::text AS v) step WHERE d.hour >= ? AND d.hour < ? GROUP BY d.site_id, bucket) per_site"
            + " GROUP BY bucket ORDER BY bucket",
        institutionId,
        resolution,
        from,
        to,
        (at, rs) -> new InstitutionUsage.DatabasePoint(at, rs.getLong(2)));
  }

  /** A row of a bucketed query: its bucket (the first column) and the rest. */
  private interface Point<T> {
    T read(Instant at, ResultSet rs) throws SQLException;
  }

  /**
   * Runs a query over one key, a resolution and [from, to); each row becomes a point at its bucket.
   */
  private static <T> List<T> bucketed(
      Connection c,
      String sql,
      Object key,
      String resolution,
      Instant from,
      Instant to,
      Point<T> point)
      throws SQLException {
    try (PreparedStatement st = c.prepareStatement(sql)) {
      st.setObject(1, key);
      st.setString(2, resolution);
      st.setTimestamp(3, Timestamp.from(from));
      st.setTimestamp(4, Timestamp.from(to));
      List<T> out = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(point.read(rs.getObject(1, OffsetDateTime.class).toInstant(), rs));
        }
      }
      return out;
    }
  }

  List<InstitutionUsage.Alert> alerts(Connection c, UUID institutionId) throws SQLException {
    try (var st =
        c.prepareStatement(
            "SELECT resource, threshold, day, used, quota, raised_at FROM usage_alert"
                + " WHERE institution_id = ? ORDER BY raised_at DESC LIMIT 50")) {
      st.setObject(1, institutionId);
      List<InstitutionUsage.Alert> out = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(
              new InstitutionUsage.Alert(
                  rs.getString(1),
                  rs.getInt(2),
                  rs.getDate(3).toLocalDate(),
                  rs.getDouble(4),
                  rs.getDouble(5),
                  rs.getObject(6, OffsetDateTime.class).toInstant()));
        }
      }
      return out;
    }
  }

  /** The latest report of every node: capacity, requested (approved quotas) and used. */
  List<NodeUsage.Report> nodes(Connection c) throws SQLException {
    try (var st =
            c.prepareStatement(
                "SELECT DISTINCT ON (node_name) node_name, seq, collected_at, received_at,"
                    + " cpu_capacity_millis, cpu_used_millis, memory_capacity_bytes, memory_used_bytes, fs_capacity_bytes,"
                    + " fs_used_bytes, pods FROM node_report ORDER BY node_name, collected_at DESC");
        ResultSet rs = st.executeQuery()) {
      List<NodeUsage.Report> out = new ArrayList<>();
      while (rs.next()) {
        out.add(
            new NodeUsage.Report(
                rs.getString(1),
                rs.getLong(2),
                rs.getObject(3, OffsetDateTime.class).toInstant(),
                rs.getObject(4, OffsetDateTime.class).toInstant(),
                rs.getLong(5),
                rs.getLong(6),
                rs.getLong(7),
                rs.getLong(8),
                rs.getLong(9),
                rs.getLong(10),
                rs.getInt(11)));
      }
      return out;
    }
  }

  /**
   * Per institution for a month: CPU core-hours and memory GiB-hours from the hourly rollups (each
   * hour's average counts for that hour), storage GiB-months from the approved storage of sites
   * live during the month (pro rata), network from the counters.
   */
  List<MonthReport.Line> month(Connection c, YearMonth month) throws SQLException {
    Instant from = month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    Instant to = month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    double monthSeconds = to.getEpochSecond() - from.getEpochSecond();
    try (PreparedStatement st =
        c.prepareStatement(
            "SELECT i.id, i.code, i.name,"
                + " coalesce((SELECT sum(r.cpu_millis_avg) / 1000.0 FROM usage_rollup r WHERE r.namespace = 'inst-' || i.code"
                + "   AND r.resolution = 'hour' AND r.bucket >= ? AND r.bucket < ?), 0),"
                + " coalesce((SELECT sum(r.memory_bytes_avg) / 1073741824.0 FROM usage_rollup r WHERE r.namespace = 'inst-' || i.code"
                + "   AND r.resolution = 'hour' AND r.bucket >= ? AND r.bucket < ?), 0),"
                + " coalesce((SELECT sum(s.storage_bytes / 1073741824.0 * extract(epoch FROM"
                + "   (least(coalesce(CASE WHEN s.status = 'DECOMMISSIONED' THEN s.updated_at END, ?::timestamptz), ?::timestamptz)"
                + "    - greatest(s.created_at, ?::timestamptz))) / ?) FROM site s WHERE s.institution_id = i.id"
                + "   AND s.created_at < ? AND (s.status <> 'DECOMMISSIONED' OR s.updated_at >= ?)), 0),"
                + " coalesce((SELECT sum(r.net_rx_bytes) FROM usage_rollup r WHERE r.namespace = 'inst-' || i.code"
                + "   AND r.resolution = 'hour' AND r.bucket >= ? AND r.bucket < ?), 0),"
                + " coalesce((SELECT sum(r.net_tx_bytes) FROM usage_rollup r WHERE r.namespace = 'inst-' || i.code"
                + "   AND r.resolution = 'hour' AND r.bucket >= ? AND r.bucket < ?), 0)"
                + " FROM institution i ORDER BY i.code")) {
      Timestamp f = Timestamp.from(from);
      Timestamp t = Timestamp.from(to);
      Object[] params = {f, t, f, t, t, t, f, monthSeconds, t, f, f, t, f, t};
      for (int i = 0; i < params.length; i++) {
        st.setObject(i + 1, params[i]);
      }
      List<MonthReport.Line> out = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(
              new MonthReport.Line(
                  rs.getObject(1, UUID.class),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getDouble(4),
                  rs.getDouble(5),
                  Math.max(0, rs.getDouble(6)),
                  rs.getLong(7),
                  rs.getLong(8)));
        }
      }
      return out;
    }
  }

  /** Raises an alert unless one for the same resource, threshold and day exists; true when new. */
  boolean raiseAlert(
      Connection c,
      UUID institutionId,
      String resource,
      int threshold,
      double used,
      double quota,
      Instant at)
      throws SQLException {
    try (var st =
        c.prepareStatement(
            "INSERT INTO usage_alert (institution_id, resource, threshold, day, used, quota,"
                + " raised_at) VALUES (?, ?, ?, (?::timestamptz AT TIME ZONE 'UTC')::date, ?, ?, ?) ON CONFLICT DO NOTHING")) {
      st.setObject(1, institutionId);
      st.setString(2, resource);
      st.setInt(3, threshold);
      st.setTimestamp(4, Timestamp.from(at));
      st.setDouble(5, used);
      st.setDouble(6, quota);
      st.setTimestamp(7, Timestamp.from(at));
      return st.executeUpdate() == 1;
    }
  }

  /** Each institution's use in the latest rolled-up hour, next to its quota. */
  record Pressure(
      UUID institutionId, String code, double cpuMillis, double memoryBytes, Quota quota) {}

  List<Pressure> pressure(Connection c, Instant hour) throws SQLException {
    try (var st =
        c.prepareStatement(
            "SELECT i.id, i.code, sum(r.cpu_millis_avg), sum(r.memory_bytes_avg),"
                + " (SELECT coalesce(sum(cpu_millis), 0) FROM site s WHERE s.institution_id = i.id AND s.status NOT IN ('DECOMMISSIONING', 'DECOMMISSIONED')),"
                + " (SELECT coalesce(sum(memory_bytes), 0) FROM site s WHERE s.institution_id = i.id AND s.status NOT IN ('DECOMMISSIONING', 'DECOMMISSIONED'))"
                + " FROM usage_rollup r JOIN institution i ON r.namespace = 'inst-' || i.code"
                + " WHERE r.resolution = 'hour' AND r.bucket = ? GROUP BY i.id, i.code")) {
      st.setTimestamp(1, Timestamp.from(hour));
      List<Pressure> out = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(
              new Pressure(
                  rs.getObject(1, UUID.class),
                  rs.getString(2),
                  rs.getDouble(3),
                  rs.getDouble(4),
                  new Quota(rs.getLong(5), rs.getLong(6), 0, 0)));
        }
      }
      return out;
    }
  }
}
