package io.wingu.controlplane.usage;

import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sizes of the tenant databases over time: each live site's database is measured at most once an
 * hour (whoever reconciles calls {@link #sample}); {@link UsageStore#databaseSeries} answers with
 * them.
 */
public final class DatabaseSizes {

  private static final Logger LOG = LoggerFactory.getLogger(DatabaseSizes.class);

  /** How big a database on the tenant server is (pg_database_size). */
  @FunctionalInterface
  public interface Reader {
    long sizeBytes(String database) throws SQLException;
  }

  private DatabaseSizes() {}

  /**
   * Measures every live site's database that has no sample for the hour of {@code now}; returns how
   * many.
   */
  public static int sample(Handle h, Reader reader, Instant now) {
    Instant hour = now.truncatedTo(ChronoUnit.HOURS);
    Map<UUID, String> due = new LinkedHashMap<>();
    h.createQuery(
            "SELECT s.id, s.database_name FROM site s WHERE s.database_name IS NOT NULL"
                + " AND s.database_dropped_at IS NULL"
                + " AND s.status NOT IN ('DECOMMISSIONING', 'DECOMMISSIONED') AND NOT EXISTS"
                + " (SELECT 1 FROM database_size_sample d WHERE d.site_id = s.id AND d.hour = :hour)")
        .bind("hour", hour)
        .map((rs, ctx) -> Map.entry(rs.getObject("id", UUID.class), rs.getString("database_name")))
        .forEach(e -> due.put(e.getKey(), e.getValue()));
    int sampled = 0;
    for (Map.Entry<UUID, String> e : due.entrySet()) {
      long bytes;
      try {
        bytes = reader.sizeBytes(e.getValue());
      } catch (SQLException ex) {
        // the next pass tries again; the other databases are still measured
        LOG.warn(
            "size of tenant database {} (site {}) not measured: {}",
            e.getValue(),
            e.getKey(),
            ex.getMessage());
        continue;
      }
      sampled +=
          h.createUpdate(
                  "INSERT INTO database_size_sample (site_id, hour, bytes)"
                      + " VALUES (:site, :hour, :bytes) ON CONFLICT DO NOTHING")
              .bind("site", e.getKey())
              .bind("hour", hour)
              .bind("bytes", bytes)
              .execute();
    }
    return sampled;
  }
}
