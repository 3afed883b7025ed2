package io.wingu.controlplane.sites;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A site as the API shows it: where it stands and why. */
public record SiteView(
    UUID id,
    UUID institutionId,
    String institutionCode,
    String name,
    List<String> hostnames,
    String status,
    String statusReason,
    JsonArray conditions,
    Integer currentRevision,
    String templateId,
    String templateVersion,
    Instant createdAt,
    Instant updatedAt) {

  public String namespace() {
    return "inst-" + institutionCode;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("institutionId", institutionId.toString())
        .put("name", name)
        .put("hostnames", new JsonArray(hostnames))
        .put("namespace", namespace())
        .put("status", status)
        .put("statusReason", statusReason)
        .put("conditions", conditions)
        .put("currentRevision", currentRevision)
        .put("templateId", templateId)
        .put("templateVersion", templateVersion)
        .put("url", hostnames.isEmpty() ? null : "https://" + hostnames.get(0) + "/")
        .put("createdAt", createdAt.toString())
        .put("updatedAt", updatedAt.toString());
  }
}
