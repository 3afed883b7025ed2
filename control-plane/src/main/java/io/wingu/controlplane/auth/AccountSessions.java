package io.wingu.controlplane.auth;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * A person's sessions: the console's (table {@code web_session}) and the API access tokens they
 * signed in for ({@code api_session}), listed and ended within the caller's transaction. Ending an
 * API session revokes its token's id ({@code revoked_token}), which every replica checks; {@link
 * AccessTokens#forget} then drops this replica's remembered answer.
 */
public final class AccountSessions {

  /** One session as its owner sees it. {@code kind}: {@code console} or {@code api}. */
  public record Session(
      UUID id,
      String kind,
      Instant createdAt,
      Instant expiresAt,
      Optional<Instant> lastSeenAt,
      Optional<String> address,
      Optional<String> userAgent) {

    public JsonObject toJson() {
      JsonObject j =
          new JsonObject()
              .put("id", id.toString())
              .put("kind", kind)
              .put("createdAt", createdAt.toString())
              .put("expiresAt", expiresAt.toString());
      lastSeenAt.ifPresent(t -> j.put("lastSeenAt", t.toString()));
      address.ifPresent(a -> j.put("address", a));
      userAgent.ifPresent(a -> j.put("userAgent", a));
      return j;
    }
  }

  private static final RowMapper<Session> SESSION =
      (rs, ctx) ->
          new Session(
              rs.getObject("id", UUID.class),
              rs.getString("kind"),
              rs.getTimestamp("created_at").toInstant(),
              rs.getTimestamp("expires_at").toInstant(),
              Optional.ofNullable(rs.getTimestamp("last_seen_at")).map(t -> t.toInstant()),
              Optional.ofNullable(rs.getString("address")),
              Optional.ofNullable(rs.getString("user_agent")));

  private static final String LIVE =
      "SELECT id, 'console' AS kind, created_at, expires_at, last_seen_at, address, user_agent"
          + " FROM web_session WHERE account_id = :accountId AND expires_at > :now"
          + " UNION ALL"
          + " SELECT id, 'api' AS kind, created_at, expires_at, last_seen_at, address, user_agent"
          + " FROM api_session WHERE account_id = :accountId AND expires_at > :now";

  /** The account's live sessions, newest first. */
  public List<Session> list(Handle h, UUID accountId, Instant now) {
    return h.createQuery(LIVE + " ORDER BY created_at DESC, id")
        .bind("accountId", accountId)
        .bind("now", now)
        .map(SESSION)
        .list();
  }

  /** Ends one session of the account; false when it has no such live session. */
  public boolean end(Handle h, UUID accountId, UUID sessionId, Instant now) {
    return endWhere(h, accountId, "id = :sessionId", sessionId, now) > 0;
  }

  /**
   * Ends every session of the account but {@code keep} (the one the request came in, when the
   * person ends the others); how many ended.
   */
  public int endAll(Handle h, UUID accountId, Optional<UUID> keep, Instant now) {
    return keep.isPresent()
        ? endWhere(h, accountId, "id <> :sessionId", keep.get(), now)
        : endWhere(h, accountId, "TRUE", null, now);
  }

  private int endWhere(Handle h, UUID accountId, String which, UUID sessionId, Instant now) {
    int console =
        h.createUpdate("DELETE FROM web_session WHERE account_id = :accountId AND " + which)
            .bind("accountId", accountId)
            .bind("sessionId", sessionId)
            .execute();
    // the token's id goes to the revocation list until the token would have expired anyway
    int api =
        h.createUpdate(
                "WITH ended AS (DELETE FROM api_session WHERE account_id = :accountId AND "
                    + which
                    + " RETURNING id, expires_at)"
                    + " INSERT INTO revoked_token (jti, expires_at)"
                    + " SELECT id::text, expires_at + interval '60 seconds' FROM ended"
                    + " WHERE expires_at + interval '60 seconds' > :now"
                    + " ON CONFLICT (jti) DO NOTHING")
            .bind("accountId", accountId)
            .bind("sessionId", sessionId)
            .bind("now", now)
            .execute();
    return console + api;
  }
}
