package io.wingu.controlplane.notifications;

import io.vertx.core.Vertx;
import io.wingu.controlplane.app.Database;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notifications written on a schedule: the operators' daily digest and the monthly reminder of
 * overdue ICT register reviews. Every replica runs the passes; each mail carries a key naming its
 * person and period, so whichever pass comes first writes it and the others write nothing.
 */
public final class NotificationJobs implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(NotificationJobs.class);

  /** How often the passes look: a digest goes out at most this long after its hour. */
  static final long EVERY_MILLIS = 10 * 60 * 1000L;

  private final Vertx vertx;
  private final long timer;

  private NotificationJobs(Vertx vertx, long timer) {
    this.vertx = vertx;
    this.timer = timer;
  }

  public static NotificationJobs start(Vertx vertx, Notifications notifications, Clock clock) {
    long timer =
        vertx.setPeriodic(
            EVERY_MILLIS,
            EVERY_MILLIS,
            id -> {
              notifications
                  .digest(clock.instant())
                  .onFailure(
                      e -> LOG.warn("daily digest not written: {}", Database.rootMessage(e)));
              notifications
                  .reviewsOverdue(clock.instant())
                  .onFailure(
                      e ->
                          LOG.warn(
                              "register review reminders not written: {}",
                              Database.rootMessage(e)));
            });
    return new NotificationJobs(vertx, timer);
  }

  @Override
  public void close() {
    vertx.cancelTimer(timer);
  }
}
