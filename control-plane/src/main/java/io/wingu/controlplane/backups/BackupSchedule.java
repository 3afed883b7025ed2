package io.wingu.controlplane.backups;

import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backups' periodic work: every WINGU_BACKUP_CHECK_SECONDS a pass backs up (and verifies) each
 * site whose last backup is older than its plan's interval (WINGU_BACKUP_EVERY_HOURS at most) and
 * deletes what the plan no longer keeps (every backup kept WINGU_BACKUP_RETENTION_DAYS days at
 * least: {@link BackupService#expire}). Passes never overlap in one process, and an advisory lock
 * keeps two replicas from running one at once.
 */
public final class BackupSchedule implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(BackupSchedule.class);

  private final Vertx vertx;
  private final long timer;

  private BackupSchedule(Vertx vertx, long timer) {
    this.vertx = vertx;
    this.timer = timer;
  }

  /** Schedules the passes; none when {@code everyHours} is 0 (scheduled backups off). */
  public static BackupSchedule start(
      Vertx vertx,
      WorkerExecutor workers,
      BackupService service,
      int everyHours,
      int retentionDays,
      int checkSeconds) {
    if (everyHours == 0) {
      return new BackupSchedule(vertx, -1);
    }
    AtomicBoolean running = new AtomicBoolean();
    long timer =
        vertx.setPeriodic(
            checkSeconds * 1000L,
            id -> {
              if (!running.compareAndSet(false, true)) {
                return;
              }
              workers
                  .executeBlocking(
                      () -> service.runSchedule(Duration.ofHours(everyHours), retentionDays), false)
                  .onComplete(
                      r -> {
                        running.set(false);
                        if (r.failed()) {
                          LOG.warn("backup schedule pass failed: {}", r.cause().toString());
                        }
                      });
            });
    return new BackupSchedule(vertx, timer);
  }

  @Override
  public void close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }
}
