package io.wingu.controlplane.auth;

import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.caller.Caller;
import io.wingu.controlplane.caller.Role;
import java.util.Optional;
import java.util.UUID;

/** A sign-in account; the hash never leaves the server. */
public record Account(
    UUID id, String username, String passwordHash, Role role, Optional<UUID> institutionId) {

  public Caller asCaller() {
    return new Caller(id, username, role, institutionId);
  }

  public JsonObject toJson() {
    JsonObject j =
        new JsonObject()
            .put("id", id.toString())
            .put("username", username)
            .put("role", role.wireName());
    institutionId.ifPresent(i -> j.put("institutionId", i.toString()));
    return j;
  }
}
