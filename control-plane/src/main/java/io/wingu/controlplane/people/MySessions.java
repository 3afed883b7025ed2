package io.wingu.controlplane.people;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.auth.AccountSessions;
import io.wingu.controlplane.deploytokens.DeployToken;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What a person sees of their own ways in: live console sessions and API sign-ins ({@code current}
 * the one asking, when it is one of them), and the usable deploy tokens they made.
 */
public record MySessions(
    List<AccountSessions.Session> sessions,
    List<DeployToken> deployTokens,
    Optional<UUID> current) {

  public MySessions {
    sessions = List.copyOf(sessions);
    deployTokens = List.copyOf(deployTokens);
  }

  public boolean isCurrent(AccountSessions.Session s) {
    return current.filter(s.id()::equals).isPresent();
  }

  /** The answer of GET /me/sessions: every one as an item, newest first within each kind. */
  public JsonObject toJson() {
    JsonArray items = new JsonArray();
    sessions.forEach(s -> items.add(s.toJson().put("current", isCurrent(s))));
    deployTokens.forEach(
        t -> {
          JsonObject j =
              new JsonObject()
                  .put("id", t.id().toString())
                  .put("kind", "deploy-token")
                  .put("createdAt", t.createdAt().toString())
                  .put("expiresAt", t.expiresAt().toString())
                  .put("current", false)
                  .put("name", t.name())
                  .put("siteId", t.siteId().toString())
                  .put("scopes", new JsonArray(t.scopes()));
          t.lastUsedAt().ifPresent(at -> j.put("lastSeenAt", at.toString()));
          items.add(j);
        });
    return new JsonObject().put("items", items).putNull("nextCursor");
  }
}
