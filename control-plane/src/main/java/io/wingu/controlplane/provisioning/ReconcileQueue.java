package io.wingu.controlplane.provisioning;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A work queue keyed by institution: a key queued twice runs once, one key never runs on two
 * threads at once (a key that changes while it runs goes again after), and failures come back with
 * exponential backoff and jitter (2 s, ×1.5, at most 5 min).
 */
public final class ReconcileQueue implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ReconcileQueue.class);
  static final Duration FIRST_RETRY = Duration.ofSeconds(2);
  static final Duration MAX_RETRY = Duration.ofMinutes(5);

  /** The work for one key; throwing means "try again later". */
  @FunctionalInterface
  public interface Work {
    void run(UUID key) throws Exception;
  }

  private final Work work;
  private final ExecutorService workers;
  private final ScheduledExecutorService timers;
  private final Set<UUID> queued = ConcurrentHashMap.newKeySet();
  private final Set<UUID> running = ConcurrentHashMap.newKeySet();
  private final Set<UUID> dirty = ConcurrentHashMap.newKeySet();
  private final Map<UUID, Integer> failures = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean open = true;

  public ReconcileQueue(Work work, int threads) {
    this.work = work;
    AtomicInteger n = new AtomicInteger();
    this.workers =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "wingu-reconcile-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.timers =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "wingu-reconcile-retry");
              t.setDaemon(true);
              return t;
            });
  }

  public void enqueue(UUID key) {
    if (!open) {
      return;
    }
    if (running.contains(key)) {
      dirty.add(key);
      return;
    }
    if (queued.add(key)) {
      inFlight.incrementAndGet();
      workers.execute(() -> runOnce(key));
    }
  }

  private void runOnce(UUID key) {
    synchronized (lockFor(key)) {
      queued.remove(key);
      running.add(key);
      try {
        work.run(key);
        failures.remove(key);
      } catch (Exception e) {
        int n = failures.merge(key, 1, Integer::sum);
        Duration wait = backoff(n);
        LOG.debug("reconcile of {} failed ({} in a row), again in {} ms", key, n, wait.toMillis());
        if (open) {
          timers.schedule(() -> enqueue(key), wait.toMillis(), TimeUnit.MILLISECONDS);
        }
      } finally {
        running.remove(key);
        inFlight.decrementAndGet();
        if (dirty.remove(key)) {
          enqueue(key);
        }
      }
    }
  }

  private final Map<UUID, Object> locks = new ConcurrentHashMap<>();

  private Object lockFor(UUID key) {
    return locks.computeIfAbsent(key, k -> new Object());
  }

  static Duration backoff(int failuresInARow) {
    double millis = FIRST_RETRY.toMillis() * Math.pow(1.5, Math.max(0, failuresInARow - 1));
    millis = Math.min(millis, MAX_RETRY.toMillis());
    double jitter = 0.8 + ThreadLocalRandom.current().nextDouble() * 0.4; // ±20 %
    return Duration.ofMillis((long) (millis * jitter));
  }

  /** True while any key is queued or running (retries waiting on a timer do not count). */
  public boolean busy() {
    return inFlight.get() > 0;
  }

  @Override
  public void close() {
    open = false;
    timers.shutdownNow();
    workers.shutdownNow();
  }
}
