package io.wingu.controlplane.usage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/**
 * Hourly and daily rollups per pod. An hour that received samples is marked dirty; rolling it up
 * recomputes that hour from the raw samples and its day from the hours, so late reports are counted
 * and nothing is counted twice.
 */
final class Rollups {

  /** Rolls up every dirty hour; returns how many hours were processed. */
  int rollUpDirtyHours(Connection c) throws SQLException {
    List<Timestamp> hours = new ArrayList<>();
    try (var st = c.prepareStatement("DELETE FROM usage_rollup_dirty RETURNING hour");
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        hours.add(rs.getTimestamp(1));
      }
    }
    for (Timestamp hour : hours) {
      rollUpHour(c, hour);
    }
    return hours.size();
  }

  /** Recomputes the hour from its samples, then its day from its hours. */
  void rollUpHour(Connection c, Timestamp hour) throws SQLException {
    update(c, "DELETE FROM usage_rollup WHERE resolution = 'hour' AND bucket = ?", hour, 1);
    update(
        c,
        "INSERT INTO usage_rollup (resolution, bucket, namespace, pod_uid,"
            + " pod_name, samples, cpu_millis_avg, cpu_millis_max, memory_bytes_avg, memory_bytes_max, net_rx_bytes,"
            + " net_tx_bytes) SELECT 'hour', ?, namespace, pod_uid, max(pod_name), count(*), avg(cpu_millis),"
            + " max(cpu_millis), avg(memory_bytes), max(memory_bytes), max(net_rx_bytes) - min(net_rx_bytes),"
            + " max(net_tx_bytes) - min(net_tx_bytes) FROM usage_sample"
            + " WHERE collected_at >= ? AND collected_at < ?::timestamptz + interval '1 hour' GROUP BY namespace, pod_uid",
        hour,
        3);
    update(
        c,
        "DELETE FROM usage_rollup WHERE resolution = 'day'"
            + " AND bucket = date_trunc('day', ?::timestamptz, 'UTC')",
        hour,
        1);
    update(
        c,
        "INSERT INTO usage_rollup (resolution, bucket, namespace, pod_uid,"
            + " pod_name, samples, cpu_millis_avg, cpu_millis_max, memory_bytes_avg, memory_bytes_max, net_rx_bytes,"
            + " net_tx_bytes) SELECT 'day', date_trunc('day', ?::timestamptz, 'UTC'), namespace, pod_uid, max(pod_name),"
            + " sum(samples), sum(cpu_millis_avg * samples) / sum(samples), max(cpu_millis_max),"
            + " sum(memory_bytes_avg * samples) / sum(samples), max(memory_bytes_max), sum(net_rx_bytes), sum(net_tx_bytes)"
            + " FROM usage_rollup WHERE resolution = 'hour' AND bucket >= date_trunc('day', ?::timestamptz, 'UTC')"
            + " AND bucket < date_trunc('day', ?::timestamptz, 'UTC') + interval '1 day' GROUP BY namespace, pod_uid",
        hour,
        3);
  }

  /** Runs a statement whose {@code times} parameters are all the hour. */
  private static void update(Connection c, String sql, Timestamp hour, int times)
      throws SQLException {
    try (PreparedStatement st = c.prepareStatement(sql)) {
      for (int i = 1; i <= times; i++) {
        st.setTimestamp(i, hour);
      }
      st.executeUpdate();
    }
  }
}
