package io.wingu.controlplane.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

/** Polls a condition until it holds, and fails the test naming what did not happen in time. */
public final class Eventually {

  private Eventually() {}

  public static void holds(String what, Callable<Boolean> condition, Duration timeout)
      throws Exception {
    Instant end = Instant.now().plus(timeout);
    while (Instant.now().isBefore(end)) {
      if (condition.call()) {
        return;
      }
      Thread.sleep(200);
    }
    assertThat(condition.call()).as(what + " within " + timeout).isTrue();
  }
}
