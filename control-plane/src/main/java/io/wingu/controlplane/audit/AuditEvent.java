package io.wingu.controlplane.audit;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;

/** A recorded event of the chain, as stored. */
public record AuditEvent(
    long seq,
    Instant at,
    String actor,
    String action,
    String target,
    UUID institutionId,
    String requestId,
    JsonObject before,
    JsonObject after,
    String prevHash,
    String hash) {

  /** The fields the hash covers, as JSON (canonicalised with RFC 8785 before hashing). */
  JsonObject hashedFields() {
    return new JsonObject()
        .put("seq", seq)
        .put("at", at.toString())
        .put("actor", actor)
        .put("action", action)
        .put("target", target)
        .put("institutionId", institutionId == null ? null : institutionId.toString())
        .put("requestId", requestId)
        .put("before", before)
        .put("after", after);
  }

  /** The same event sealed with its hash (appending computes the hash of the unsealed one). */
  AuditEvent withHash(String sealed) {
    return new AuditEvent(
        seq, at, actor, action, target, institutionId, requestId, before, after, prevHash, sealed);
  }

  /** The hashed fields with the links of the chain; before/after only where the event has them. */
  public JsonObject toJson() {
    JsonObject json = hashedFields().put("hash", hash).put("prevHash", prevHash);
    if (before == null) {
      json.remove("before");
    }
    if (after == null) {
      json.remove("after");
    }
    return json;
  }
}
