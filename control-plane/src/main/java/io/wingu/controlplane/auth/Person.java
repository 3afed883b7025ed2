package io.wingu.controlplane.auth;

import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.caller.Role;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A person's account as administrators see it: whether it is disabled (and by whom: {@code admin}
 * or {@code identity-provider}), when it was made and last signed in, and whether it has a Wingu
 * password ({@code local}) or signs in only through the identity provider.
 */
public record Person(
    UUID id,
    String username,
    Role role,
    Optional<UUID> institutionId,
    Optional<String> disabledBy,
    Instant createdAt,
    Optional<Instant> lastSignInAt,
    boolean local) {

  public boolean disabled() {
    return disabledBy.isPresent();
  }

  /** The fields of GET /institutions/{id}/users and of the lifecycle routes' answers. */
  public JsonObject toJson() {
    JsonObject j =
        new JsonObject()
            .put("id", id.toString())
            .put("username", username)
            .put("role", role.wireName())
            .put("disabled", disabled())
            .put("createdAt", createdAt.toString());
    institutionId.ifPresent(i -> j.put("institutionId", i.toString()));
    lastSignInAt.ifPresent(t -> j.put("lastSignInAt", t.toString()));
    return j;
  }
}
