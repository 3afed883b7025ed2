package io.wingu.controlplane.usage;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sizes of the tenant databases over time: each live site's database is measured at most once an
 * hour (whoever reconciles calls {@link #sample}), and an institution's series sums its sites'.
 */
public final class DatabaseSizes {

  private static final Logger LOG = LoggerFactory.getLogger(DatabaseSizes.class);

  /** How big a database on the tenant server is (pg_database_size). */
  @FunctionalInterface
  public interface Reader {
    long sizeBytes(String database) throws SQLException;
  }

  private DatabaseSizes() {
  }

  /** Measures every live site's database that has no sample for the hour of {@code now}; returns how many. */
  public static int sample(Connection c, Reader reader, Instant now) throws SQLException {
    Timestamp hour = Timestamp.from(now.truncatedTo(ChronoUnit.HOURS));
    Map<UUID, String> due = new LinkedHashMap<>();
    try (var st = c.prepareStatement("SELECT s.id, s.database_name FROM site s WHERE s.database_name IS NOT NULL"
        + " AND s.database_dropped_at IS NULL AND s.status NOT IN ('DECOMMISSIONING', 'DECOMMISSIONED')"
        + " AND NOT EXISTS (SELECT 1 FROM database_size_sample d WHERE d.site_id = s.id AND d.hour = ?)")) {
      st.setTimestamp(1, hour);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          due.put(rs.getObject(1, UUID.class), rs.getString(2));
        }
      }
    }
    int sampled = 0;
    try (var st = c.prepareStatement("INSERT INTO database_size_sample (site_id, hour, bytes) VALUES (?, ?, ?)"
        + " ON CONFLICT DO NOTHING")) {
      for (Map.Entry<UUID, String> e : due.entrySet()) {
        long bytes;
        try {
          bytes = reader.sizeBytes(e.getValue());
        } catch (SQLException ex) {
          // the next pass tries again; the other databases are still measured
          LOG.warn("size of tenant database {} (site {}) not measured: {}", e.getValue(), e.getKey(), ex.getMessage());
          continue;
        }
        st.setObject(1, e.getKey());
        st.setTimestamp(2, hour);
        st.setLong(3, bytes);
        sampled += st.executeUpdate();
      }
    }
    return sampled;
  }

  /** Per hour or day bucket: the sum over the institution's sites of each one's largest size in the bucket. */
  public static JsonArray series(Connection c, UUID institutionId, String step, Instant from, Instant to)
      throws SQLException {
    try (var st = c.prepareStatement("SELECT bucket, sum(bytes) FROM (SELECT d.site_id,"
        + " date_trunc(?, d.hour, 'UTC') AS bucket, max(d.bytes) AS bytes FROM database_size_sample d"
        + " JOIN site s ON s.id = d.site_id WHERE s.institution_id = ? AND d.hour >= ? AND d.hour < ?"
        + " GROUP BY d.site_id, bucket) per_site GROUP BY bucket ORDER BY bucket")) {
      st.setString(1, step);
      st.setObject(2, institutionId);
      st.setTimestamp(3, Timestamp.from(from));
      st.setTimestamp(4, Timestamp.from(to));
      JsonArray out = new JsonArray();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(new JsonObject().put("at", rs.getObject(1, OffsetDateTime.class).toInstant().toString())
              .put("bytes", rs.getLong(2)));
        }
      }
      return out;
    }
  }

  /** The database storage the institution's live sites were approved, in bytes. */
  public static long quota(Connection c, UUID institutionId) throws SQLException {
    try (var st = c.prepareStatement("SELECT coalesce(sum(p.db_storage_bytes), 0) FROM site s"
        + " JOIN plan p ON p.id = s.database_plan_id WHERE s.institution_id = ?"
        + " AND s.status NOT IN ('DECOMMISSIONING', 'DECOMMISSIONED')")) {
      st.setObject(1, institutionId);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
