package io.wingu.controlplane.usage;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.plans.Quantities;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

/**
 * What an institution's running pods have reserved of its quota: the requests the cluster's own
 * quota controller counts in the namespace's ResourceQuota status. It is what the scheduler and the
 * quota hold for the institution, beside what the agents measure it actually uses.
 */
public record Reserved(long cpuMillis, long memoryBytes, long pods) {

  /**
   * The quota's counted use; empty while the cluster has not counted it (no quota controller yet).
   */
  static Optional<Reserved> of(ResourceQuota quota) {
    if (quota == null || quota.getStatus() == null || quota.getStatus().getUsed() == null) {
      return Optional.empty();
    }
    Map<String, Quantity> used = quota.getStatus().getUsed();
    return Optional.of(
        new Reserved(
            amount(used.get("requests.cpu")).movePointRight(3).longValue(),
            amount(used.get("requests.memory")).longValue(),
            amount(used.get("pods")).longValue()));
  }

  private static BigDecimal amount(Quantity q) {
    return q == null ? BigDecimal.ZERO : Quantity.getAmountInBytes(q);
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("cpuMillis", cpuMillis)
        .put("memoryBytes", memoryBytes)
        .put("pods", pods)
        .put("cpu", Quantities.cpu(cpuMillis))
        .put("memory", Quantities.bytes(memoryBytes));
  }
}
