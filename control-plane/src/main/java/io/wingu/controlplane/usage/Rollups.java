package io.wingu.controlplane.usage;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Hourly and daily rollups per pod. An hour that received samples is marked dirty; rolling it up
 * recomputes that hour from the raw samples and its day from the hours, so late reports are counted
 * and nothing is counted twice.
 */
final class Rollups {

  /** Rolls up every dirty hour; returns how many hours were processed. */
  int rollUpDirtyHours(Handle h) {
    List<Instant> hours =
        h.createQuery("DELETE FROM usage_rollup_dirty RETURNING hour").mapTo(Instant.class).list();
    for (Instant hour : hours) {
      rollUpHour(h, hour);
    }
    return hours.size();
  }

  /** Recomputes the hour from its samples, then its day from its hours. */
  void rollUpHour(Handle h, Instant hour) {
    update(h, "DELETE FROM usage_rollup WHERE resolution = 'hour' AND bucket = :hour", hour);
    update(
        h,
        "INSERT INTO usage_rollup (resolution, bucket, namespace, pod_uid,"
            + " pod_name, samples, cpu_millis_avg, cpu_millis_max, memory_bytes_avg, memory_bytes_max, net_rx_bytes,"
            + " net_tx_bytes) SELECT 'hour', :hour, namespace, pod_uid, max(pod_name), count(*), avg(cpu_millis),"
            + " max(cpu_millis), avg(memory_bytes), max(memory_bytes), max(net_rx_bytes) - min(net_rx_bytes),"
            + " max(net_tx_bytes) - min(net_tx_bytes) FROM usage_sample"
            + " WHERE collected_at >= :hour AND collected_at < :hour::timestamptz + interval '1 hour'"
            + " GROUP BY namespace, pod_uid",
        hour);
    update(
        h,
        "DELETE FROM usage_rollup WHERE resolution = 'day'"
            + " AND bucket = date_trunc('day', :hour::timestamptz, 'UTC')",
        hour);
    update(
        h,
        "INSERT INTO usage_rollup (resolution, bucket, namespace, pod_uid,"
            + " pod_name, samples, cpu_millis_avg, cpu_millis_max, memory_bytes_avg, memory_bytes_max, net_rx_bytes,"
            + " net_tx_bytes) SELECT 'day', date_trunc('day', :hour::timestamptz, 'UTC'), namespace, pod_uid, max(pod_name),"
            + " sum(samples), sum(cpu_millis_avg * samples) / sum(samples), max(cpu_millis_max),"
            + " sum(memory_bytes_avg * samples) / sum(samples), max(memory_bytes_max), sum(net_rx_bytes), sum(net_tx_bytes)"
            + " FROM usage_rollup WHERE resolution = 'hour' AND bucket >= date_trunc('day', :hour::timestamptz, 'UTC')"
            + " AND bucket < date_trunc('day', :hour::timestamptz, 'UTC') + interval '1 day' GROUP BY namespace, pod_uid",
        hour);
  }

  private static void update(Handle h, String sql, Instant hour) {
    h.createUpdate(sql).bind("hour", hour).execute();
  }
}
