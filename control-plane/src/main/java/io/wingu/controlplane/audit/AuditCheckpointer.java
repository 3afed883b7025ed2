package io.wingu.controlplane.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs checkpoints of the audit chain: at every multiple of {@code every} events, at the head once
 * the latest checkpoint is a day old, and on demand (start-up, shutdown). Before signing it walks
 * the events since the latest checkpoint, so a chain broken or rewritten since is never anchored;
 * it then logs an error and signs nothing until someone looks.
 */
public final class AuditCheckpointer {

  private static final Logger LOG = LoggerFactory.getLogger(AuditCheckpointer.class);

  /** Session lock that lets one replica at a time sign, so replicas never race for a seq. */
  private static final long LOCK_KEY = 0x77696e6775_41L; // "wingu" + 'A'

  static final Duration MAX_AGE = Duration.ofDays(1);

  private final AuditLog log;
  private final CheckpointStore store;
  private final AuditSigningKey key;
  private final int every;
  private final Clock clock;

  public AuditCheckpointer(
      AuditLog log, CheckpointStore store, AuditSigningKey key, int every, Clock clock) {
    this.log = log;
    this.store = store;
    this.key = key;
    this.every = every;
    this.clock = clock;
  }

  /**
   * The periodic check: a checkpoint if {@code every} more events or a day have passed since the
   * last.
   */
  public Optional<AuditCheckpoint> checkpointIfDue(Handle h) {
    long head = AuditLog.head(h);
    Optional<AuditCheckpoint> latest = latest();
    long anchored = latest.map(AuditCheckpoint::seq).orElse(0L);
    long target = head - head % every;
    if (target > anchored) {
      return checkpointAt(h, target);
    }
    boolean old = latest.isEmpty() || latest.get().at().plus(MAX_AGE).isBefore(clock.instant());
    return head > anchored && old ? checkpointAt(h, head) : Optional.empty();
  }

  /** A checkpoint of the newest committed event, unless the latest checkpoint already is there. */
  public Optional<AuditCheckpoint> checkpointHead(Handle h) {
    long head = AuditLog.head(h);
    long anchored = latest().map(AuditCheckpoint::seq).orElse(0L);
    return head > anchored ? checkpointAt(h, head) : Optional.empty();
  }

  /** Signs the chain up to {@code seq} after checking it from the latest checkpoint on. */
  Optional<AuditCheckpoint> checkpointAt(Handle h, long seq) {
    if (!tryLock(h)) {
      return Optional.empty(); // another replica is signing; it will cover this seq or a later one
    }
    try {
      Optional<AuditCheckpoint> latest = latest();
      if (latest.isPresent() && !latest.get().signedBy(key)) {
        LOG.error(
            "audit checkpoint at seq {} does not verify with the audit public key (key {}): no new"
                + " checkpoint is signed until it is looked into (GET /api/v1/audit/verify)",
            latest.get().seq(),
            key.keyId());
        return Optional.empty();
      }
      long afterSeq = latest.map(AuditCheckpoint::seq).orElse(0L);
      if (afterSeq >= seq) {
        return Optional.empty();
      }
      AuditLog.Walk walk =
          log.walk(
              h, afterSeq, latest.map(AuditCheckpoint::hash).orElse(AuditLog.GENESIS), seq, -1);
      if (walk.brokenSeq() != null) {
        LOG.error(
            "audit chain is broken at seq {} (or no longer holds the checkpoint at seq {}): no checkpoint"
                + " is signed for it",
            walk.brokenSeq(),
            afterSeq);
        return Optional.empty();
      }
      if (walk.lastSeq() != seq) {
        return Optional.empty(); // not committed (yet): a later check signs it
      }
      long count = latest.map(AuditCheckpoint::count).orElse(0L) + walk.checked();
      AuditCheckpoint checkpoint =
          AuditCheckpoint.sign(
              seq, walk.lastHash(), count, clock.instant().truncatedTo(ChronoUnit.MILLIS), key);
      try {
        if (!store.put(checkpoint)) {
          return Optional.empty();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot store the audit checkpoint at seq " + seq + ": " + e.getMessage(), e);
      }
      LOG.info("audit checkpoint signed at seq {} ({} events, key {})", seq, count, key.keyId());
      return Optional.of(checkpoint);
    } finally {
      unlock(h);
    }
  }

  private Optional<AuditCheckpoint> latest() {
    try {
      return store.latest();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the latest audit checkpoint: " + e.getMessage(), e);
    }
  }

  private static boolean tryLock(Handle h) {
    return h.createQuery("SELECT pg_try_advisory_lock(:key)")
        .bind("key", LOCK_KEY)
        .mapTo(Boolean.class)
        .one();
  }

  private static void unlock(Handle h) {
    h.createQuery("SELECT pg_advisory_unlock(:key)")
        .bind("key", LOCK_KEY)
        .mapTo(Boolean.class)
        .one();
  }
}
