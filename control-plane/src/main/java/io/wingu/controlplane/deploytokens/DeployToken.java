package io.wingu.controlplane.deploytokens;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** A deploy token as its owners see it: never its secret, which only its creation answer shows. */
public record DeployToken(
    UUID id,
    UUID siteId,
    String name,
    List<String> scopes,
    String createdBy,
    Instant createdAt,
    Instant expiresAt,
    Optional<Instant> lastUsedAt,
    Optional<Instant> revokedAt) {

  public DeployToken {
    scopes = List.copyOf(scopes);
  }

  /** Usable now: neither revoked nor expired. */
  public boolean activeAt(Instant now) {
    return revokedAt.isEmpty() && now.isBefore(expiresAt);
  }

  public JsonObject toJson() {
    JsonObject j =
        new JsonObject()
            .put("id", id.toString())
            .put("siteId", siteId.toString())
            .put("name", name)
            .put("scopes", new JsonArray(scopes))
            .put("createdBy", createdBy)
            .put("createdAt", createdAt.toString())
            .put("expiresAt", expiresAt.toString());
    lastUsedAt.ifPresent(t -> j.put("lastUsedAt", t.toString()));
    revokedAt.ifPresent(t -> j.put("revokedAt", t.toString()));
    return j;
  }
}
