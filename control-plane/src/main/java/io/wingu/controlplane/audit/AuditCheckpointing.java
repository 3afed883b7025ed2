package io.wingu.controlplane.audit;

import io.vertx.core.Vertx;
import io.wingu.controlplane.app.Database;
import io.wingu.controlplane.app.StartupException;
import io.wingu.controlplane.app.WinguConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the audit log with its checkpoints from the configuration, refusing to start without them,
 * and schedules the signing: the chain's head at start-up, then every minute whatever is due
 * (WINGU_AUDIT_CHECKPOINT_EVERY events, or a day), and the head again at shutdown.
 */
public final class AuditCheckpointing {

  private static final Logger LOG = LoggerFactory.getLogger(AuditCheckpointing.class);
  private static final long CHECK_MILLIS = 60_000L;

  /** The log (whose verification holds the chain against the latest checkpoint) and its signer. */
  public record Trail(AuditLog log, AuditCheckpointer checkpointer, FileCheckpointStore store) {}

  private AuditCheckpointing() {}

  public static Trail open(WinguConfig.AuditCheckpoints config, Clock clock) {
    AuditSigningKey key =
        AuditSigningKey.read(
            config
                .signingKey()
                .orElseThrow(
                    () ->
                        new StartupException(
                            "WINGU_AUDIT_SIGNING_KEY is not set: give the"
                                + " Ed25519 PEM key that signs audit checkpoints, kept where the database is not (./wingu dev makes one)")),
            config
                .publicKey()
                .orElseThrow(
                    () ->
                        new StartupException(
                            "WINGU_AUDIT_PUBLIC_KEY is not set: give the public half of WINGU_AUDIT_SIGNING_KEY")));
    Path dir =
        config
            .dir()
            .orElseThrow(
                () ->
                    new StartupException(
                        "WINGU_AUDIT_CHECKPOINT_DIR is not set: give a"
                            + " folder, shared by every replica and kept apart from the database, for the signed audit checkpoints"));
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new StartupException(
          "WINGU_AUDIT_CHECKPOINT_DIR='" + dir + "' cannot be created: " + e.getMessage(), e);
    }
    if (!Files.isWritable(dir)) {
      throw new StartupException(
          "WINGU_AUDIT_CHECKPOINT_DIR='" + dir + "' is not a writable folder");
    }
    FileCheckpointStore store = new FileCheckpointStore(dir);
    AuditLog log = new AuditLog(clock, store, key);
    return new Trail(log, new AuditCheckpointer(log, store, key, config.every(), clock), store);
  }

  /** Signs the head now (in the background) and checks every minute whether a checkpoint is due. */
  public static Schedule start(Vertx vertx, Database database, AuditCheckpointer checkpointer) {
    database
        .withHandle(checkpointer::checkpointHead)
        .onFailure(e -> LOG.warn("audit checkpoint at start-up failed: {}", e.getMessage()));
    long timer =
        vertx.setPeriodic(
            CHECK_MILLIS,
            id ->
                database
                    .withHandle(checkpointer::checkpointIfDue)
                    .onFailure(e -> LOG.warn("audit checkpoint failed: {}", e.getMessage())));
    return new Schedule(vertx, database, checkpointer, timer);
  }

  /** The running schedule; closing it stops the checks and signs the head one last time. */
  public static final class Schedule implements AutoCloseable {
    private final Vertx vertx;
    private final Database database;
    private final AuditCheckpointer checkpointer;
    private final long timer;

    private Schedule(Vertx vertx, Database database, AuditCheckpointer checkpointer, long timer) {
      this.vertx = vertx;
      this.database = database;
      this.checkpointer = checkpointer;
      this.timer = timer;
    }

    /** Waits up to 30 s for the last checkpoint: the database is closed next. */
    @Override
    public void close() {
      vertx.cancelTimer(timer);
      try {
        database
            .withHandle(checkpointer::checkpointHead)
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        LOG.warn("audit checkpoint at shutdown interrupted");
      } catch (Exception e) {
        LOG.warn("audit checkpoint at shutdown failed: {}", e.toString());
      }
    }
  }
}
