package io.wingu.controlplane.usage;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daily partitions of usage_sample: yesterday to a week ahead exist, and partitions older than
 * the retention are dropped whole. Samples that arrived while a day had no partition wait in the
 * default partition and move into the day's partition when it is made. Runs as the schema owner
 * (the application role may not create or drop tables).
 */
final class UsagePartitions {

  private static final Logger LOG = LoggerFactory.getLogger(UsagePartitions.class);
  static final int DAYS_AHEAD = 7;
  private static final DateTimeFormatter SUFFIX = DateTimeFormatter.BASIC_ISO_DATE;

  private UsagePartitions() {}

  static String name(LocalDate day) {
    return "usage_sample_" + SUFFIX.format(day);
  }

  /** Makes the partitions from yesterday to a week ahead, drops those older than the retention. */
  static void maintain(DataSource owner, LocalDate today, int retentionDays) throws SQLException {
    try (Connection c = owner.getConnection()) {
      for (LocalDate day = today.minusDays(1);
          !day.isAfter(today.plusDays(DAYS_AHEAD));
          day = day.plusDays(1)) {
        create(c, day);
      }
      LocalDate oldestKept = today.minusDays(retentionDays);
      for (String partition : partitions(c)) {
        LocalDate day = LocalDate.parse(partition.substring("usage_sample_".length()), SUFFIX);
        if (day.isBefore(oldestKept)) {
          try (var st = c.createStatement()) {
            st.execute("DROP TABLE " + partition);
          }
          LOG.info("dropped usage partition {} (retention {} days)", partition, retentionDays);
        }
      }
      try (var st =
          c.prepareStatement("DELETE FROM usage_sample_default WHERE collected_at < ?::date")) {
        st.setObject(1, oldestKept);
        st.executeUpdate();
      }
    }
  }

  /** One day's partition, taking over that day's rows from the default partition. */
  static void create(Connection c, LocalDate day) throws SQLException {
    String table = name(day);
    try (var st = c.prepareStatement("SELECT to_regclass(?)")) {
      st.setString(1, table);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        if (rs.getString(1) != null) {
          return;
        }
      }
    }
    String from = "'" + day + "'";
    String to = "'" + day.plusDays(1) + "'";
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try (var st = c.createStatement()) {
      st.execute("CREATE TABLE " + table + " (LIKE usage_sample INCLUDING DEFAULTS)");
      st.execute(
          "INSERT INTO "
              + table
              + " SELECT * FROM usage_sample_default WHERE collected_at >= "
              + from
              + " AND collected_at < "
              + to);
      st.execute(
          "DELETE FROM usage_sample_default WHERE collected_at >= "
              + from
              + " AND collected_at < "
              + to);
      st.execute(
          "ALTER TABLE usage_sample ATTACH PARTITION "
              + table
              + " FOR VALUES FROM ("
              + from
              + ") TO ("
              + to
              + ")");
      c.commit();
    } catch (SQLException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(autoCommit);
    }
  }

  static List<String> partitions(Connection c) throws SQLException {
    List<String> out = new ArrayList<>();
    try (var st =
            c.prepareStatement(
                "SELECT child.relname FROM pg_inherits i JOIN pg_class parent ON parent.oid = i.inhparent"
                    + " JOIN pg_class child ON child.oid = i.inhrelid WHERE parent.relname = 'usage_sample'"
                    + " AND child.relname ~ '^usage_sample_[0-9]{8}$' ORDER BY 1");
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
