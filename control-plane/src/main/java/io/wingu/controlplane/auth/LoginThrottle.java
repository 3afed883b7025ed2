package io.wingu.controlplane.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sign-in attempts per source address in a sliding window. Per replica, by design: the lockout that
 * must hold across replicas (per account) lives in the database.
 */
public final class LoginThrottle {

  private final int maxAttempts;
  private final Duration window;
  private final Clock clock;
  private final Map<String, Deque<Instant>> attempts = new ConcurrentHashMap<>();

  public LoginThrottle(int maxAttempts, Duration window, Clock clock) {
    this.maxAttempts = maxAttempts;
    this.window = window;
    this.clock = clock;
  }

  /** Records an attempt from {@code source}; empty if allowed, else how long to wait. */
  public Optional<Duration> attempt(String source) {
    Instant now = clock.instant();
    Deque<Instant> times = attempts.computeIfAbsent(source, s -> new ArrayDeque<>());
    synchronized (times) {
      while (!times.isEmpty() && !times.peekFirst().isAfter(now.minus(window))) {
        times.pollFirst();
      }
      if (times.size() >= maxAttempts) {
        return Optional.of(Duration.between(now, times.peekFirst().plus(window)));
      }
      times.addLast(now);
    }
    if (attempts.size() > 100_000) {
      attempts.entrySet().removeIf(e -> e.getValue().isEmpty());
    }
    return Optional.empty();
  }
}
