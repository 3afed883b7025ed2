package io.wingu.controlplane.sites;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** Revision N of a site: one immutable, content-addressed bundle and the template it came from. */
public record Revision(
    int revision,
    String digest,
    String templateId,
    String templateVersion,
    Instant createdAt,
    String createdBy) {

  public JsonObject toJson(Integer currentRevision) {
    return new JsonObject()
        .put("revision", revision)
        .put("digest", digest)
        .put("templateId", templateId)
        .put("templateVersion", templateVersion)
        .put("createdAt", createdAt.toString())
        .put("createdBy", createdBy)
        .put("current", currentRevision != null && currentRevision == revision);
  }

  /** What the revision was rendered from, for previews (no rebuild of the bundle). */
  public record Source(String templateId, String parametersJson, String contentJson) {}
}
