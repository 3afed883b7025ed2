package io.wingu.controlplane.institutions;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A public institution onboarded onto the platform, with the DNS names delegated to it. */
public record Institution(
    UUID id,
    String code,
    String name,
    String nameSw,
    List<String> domains,
    String contactEmail,
    Instant createdAt) {

  public String namespace() {
    return "inst-" + code;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("code", code)
        .put("name", name)
        .put("nameSw", nameSw)
        .put("domains", new JsonArray(domains))
        .put("contactEmail", contactEmail)
        .put("namespace", namespace())
        .put("createdAt", createdAt.toString());
  }
}
