package io.wingu.controlplane.usage;

import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.plans.Quantities;

/**
 * An institution's quota: the sum of its live sites' approved resources, and the database storage
 * the plans of those with a database give.
 */
public record Quota(long cpuMillis, long memoryBytes, long storageBytes, long databaseBytes) {

  /** Each figure in bytes or millicores and as a Kubernetes quantity. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("cpuMillis", cpuMillis)
        .put("memoryBytes", memoryBytes)
        .put("storageBytes", storageBytes)
        .put("cpu", Quantities.cpu(cpuMillis))
        .put("memory", Quantities.bytes(memoryBytes))
        .put("storage", Quantities.bytes(storageBytes))
        .put("databaseBytes", databaseBytes)
        .put("database", Quantities.bytes(databaseBytes));
  }
}
