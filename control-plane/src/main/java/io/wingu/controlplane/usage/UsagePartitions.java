package io.wingu.controlplane.usage;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
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
  static void maintain(DataSource owner, LocalDate today, int retentionDays) {
    Jdbi.create(owner)
        .useHandle(
            h -> {
              for (LocalDate day = today.minusDays(1);
                  !day.isAfter(today.plusDays(DAYS_AHEAD));
                  day = day.plusDays(1)) {
                create(h, day);
              }
              LocalDate oldestKept = today.minusDays(retentionDays);
              for (String partition : partitions(h)) {
                LocalDate day =
                    LocalDate.parse(partition.substring("usage_sample_".length()), SUFFIX);
                if (day.isBefore(oldestKept)) {
                  h.execute("DROP TABLE " + partition);
                  LOG.info(
                      "dropped usage partition {} (retention {} days)", partition, retentionDays);
                }
              }
              h.createUpdate(
                      "DELETE FROM usage_sample_default WHERE collected_at < :oldestKept::date")
                  .bind("oldestKept", oldestKept)
                  .execute();
            });
  }

  /**
   * One day's partition, taking over that day's rows from the default partition. Table names and
   * partition bounds cannot be parameters: both are made from the date here, never from input.
   */
  static void create(Handle h, LocalDate day) {
    String table = name(day);
    boolean exists =
        h.createQuery("SELECT to_regclass(:table) IS NOT NULL")
            .bind("table", table)
            .mapTo(Boolean.class)
            .one();
    if (exists) {
      return;
    }
    String from = "'" + day + "'";
    String to = "'" + day.plusDays(1) + "'";
    h.useTransaction(
        tx -> {
          tx.execute("CREATE TABLE " + table + " (LIKE usage_sample INCLUDING DEFAULTS)");
          tx.execute(
              "INSERT INTO "
                  + table
                  + " SELECT * FROM usage_sample_default WHERE collected_at >= "
                  + from
                  + " AND collected_at < "
                  + to);
          tx.execute(
              "DELETE FROM usage_sample_default WHERE collected_at >= "
                  + from
                  + " AND collected_at < "
                  + to);
          tx.execute(
              "ALTER TABLE usage_sample ATTACH PARTITION "
                  + table
                  + " FOR VALUES FROM ("
                  + from
                  + ") TO ("
                  + to
                  + ")");
        });
  }

  static List<String> partitions(Handle h) {
    return h.createQuery(
            "SELECT child.relname FROM pg_inherits i JOIN pg_class parent ON parent.oid = i.inhparent"
                + " JOIN pg_class child ON child.oid = i.inhrelid WHERE parent.relname = 'usage_sample'"
                + " AND child.relname ~ '^usage_sample_[0-9]{8}$' ORDER BY 1")
        .mapTo(String.class)
        .list();
  }
}
