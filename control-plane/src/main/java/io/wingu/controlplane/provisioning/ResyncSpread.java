package io.wingu.controlplane.provisioning;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The periodic full resync, spread out: the tenants go to the work queue a slice every {@link
 * #STEP} over the first half of the period instead of all at once. A burst of thousands of tenants
 * would put a change made meanwhile (an approval, drift) behind all of them; spread out, the queue
 * holds one slice at a time and the change waits for that slice at most. Every tenant is still
 * reconciled once a period, and the last slice goes half a period before the next resync starts.
 */
final class ResyncSpread {

  /** How often a slice goes to the queue. */
  static final Duration STEP = Duration.ofSeconds(1);

  /** The tenants that go to the queue {@code delay} after the resync starts. */
  record Slice(Duration delay, List<UUID> tenants) {}

  private ResyncSpread() {}

  /**
   * The slices of one resync of {@code tenants} every {@code period}: in the order given, each
   * tenant in exactly one slice, slices {@link #STEP} apart, the first at once.
   */
  static List<Slice> plan(List<UUID> tenants, Duration period) {
    if (tenants.isEmpty()) {
      return List.of();
    }
    long steps = Math.max(1, period.dividedBy(2).dividedBy(STEP));
    int slices = (int) Math.min(tenants.size(), steps);
    List<Slice> out = new ArrayList<>(slices);
    for (int i = 0; i < slices; i++) {
      // contiguous chunks whose sizes differ by one at most
      int from = (int) ((long) tenants.size() * i / slices);
      int to = (int) ((long) tenants.size() * (i + 1) / slices);
      out.add(new Slice(STEP.multipliedBy(i), List.copyOf(tenants.subList(from, to))));
    }
    return out;
  }
}
