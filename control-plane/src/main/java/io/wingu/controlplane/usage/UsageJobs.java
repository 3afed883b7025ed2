package io.wingu.controlplane.usage;

import io.vertx.core.Vertx;
import io.wingu.controlplane.app.Database;
import io.wingu.controlplane.app.WinguConfig;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Usage's periodic work: the daily partitions of the samples (made ahead, dropped after the
 * retention; at start and hourly) and the roll-up that raises quota alerts (every
 * WINGU_USAGE_ROLLUP_SECONDS). Started once by the control plane, stopped when it closes.
 */
public final class UsageJobs implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(UsageJobs.class);
  private static final long HOUR_MILLIS = 3_600_000L;

  private final Vertx vertx;
  private final List<Long> timers;

  private UsageJobs(Vertx vertx, List<Long> timers) {
    this.vertx = vertx;
    this.timers = timers;
  }

  /**
   * Maintains the partitions now (before the first report can arrive), then schedules both jobs.
   */
  public static UsageJobs start(
      Vertx vertx, Database database, UsageService usage, WinguConfig.Usage config, Clock clock) {
    maintainPartitions(database, config, clock);
    long partitions =
        vertx.setPeriodic(
            HOUR_MILLIS,
            id ->
                vertx.executeBlocking(
                    () -> {
                      maintainPartitions(database, config, clock);
                      return null;
                    },
                    false));
    long rollups =
        vertx.setPeriodic(
            config.rollupSeconds() * 1000L,
            id ->
                usage.rollUp().onFailure(e -> LOG.warn("usage rollup failed: {}", e.getMessage())));
    return new UsageJobs(vertx, List.of(partitions, rollups));
  }

  /** Today's and the coming days' partitions exist, expired ones are gone (idempotent). */
  private static void maintainPartitions(Database database, WinguConfig.Usage config, Clock clock) {
    try {
      UsagePartitions.maintain(
          database.schemaOwner(), LocalDate.now(clock), config.retentionDays());
    } catch (JdbiException e) {
      LOG.warn(
          "usage partitions not maintained (samples wait in the default partition): {}",
          e.getMessage());
    }
  }

  @Override
  public void close() {
    timers.forEach(vertx::cancelTimer);
  }
}
