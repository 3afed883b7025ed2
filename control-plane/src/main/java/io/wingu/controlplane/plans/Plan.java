package io.wingu.controlplane.plans;

import io.vertx.core.json.JsonObject;
import java.util.UUID;

/** A size of hosting an institution can ask for. */
public record Plan(
    UUID id,
    String name,
    long cpuMillis,
    long memoryBytes,
    long storageBytes,
    long dbStorageBytes,
    int dbConnections) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("name", name)
        .put("cpu", Quantities.cpu(cpuMillis))
        .put("memory", Quantities.bytes(memoryBytes))
        .put("storage", Quantities.bytes(storageBytes))
        .put("dbStorage", Quantities.bytes(dbStorageBytes))
        .put("dbConnections", dbConnections);
  }
}
