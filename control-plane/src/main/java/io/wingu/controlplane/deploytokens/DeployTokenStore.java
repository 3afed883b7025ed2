package io.wingu.controlplane.deploytokens;

import io.wingu.controlplane.app.Keyset;
import io.wingu.controlplane.caller.TokenGrant;
import java.sql.Array;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** SQL for deploy tokens (table {@code deploy_token}). */
final class DeployTokenStore {

  private static final String SELECT =
      "SELECT t.id, t.site_id, t.name, t.scopes, a.username AS created_by, t.created_at,"
          + " t.expires_at, t.last_used_at, t.revoked_at FROM deploy_token t"
          + " JOIN account a ON a.id = t.account_id";

  private static final RowMapper<DeployToken> TOKEN = ConstructorMapper.of(DeployToken.class);

  private static List<String> strings(Array array) throws SQLException {
    return Arrays.asList((String[]) array.getArray());
  }

  void insert(
      Handle h,
      UUID id,
      UUID siteId,
      UUID accountId,
      String name,
      List<String> scopes,
      String secretHash,
      Instant createdAt,
      Instant expiresAt) {
    h.createUpdate(
            "INSERT INTO deploy_token (id, site_id, account_id, name, scopes, secret_hash,"
                + " created_at, expires_at) VALUES (:id, :siteId, :accountId, :name,"
                + " CAST(:scopes AS text[]), :secretHash, :createdAt, :expiresAt)")
        .bind("id", id)
        .bind("siteId", siteId)
        .bind("accountId", accountId)
        .bind("name", name)
        .bindArray("scopes", String.class, scopes)
        .bind("secretHash", secretHash)
        .bind("createdAt", createdAt)
        .bind("expiresAt", expiresAt)
        .execute();
  }

  Optional<DeployToken> find(Handle h, UUID siteId, UUID id) {
    return h.createQuery(SELECT + " WHERE t.site_id = :siteId AND t.id = :id")
        .bind("siteId", siteId)
        .bind("id", id)
        .map(TOKEN)
        .findOne();
  }

  /** A site's tokens, newest first. */
  List<DeployToken> list(Handle h, UUID siteId, Keyset keyset) {
    return keyset
        .query(h, SELECT + " WHERE t.site_id = :siteId")
        .bind("siteId", siteId)
        .map(TOKEN)
        .list();
  }

  /** The usable tokens one account made, newest first. */
  List<DeployToken> activeOf(Handle h, UUID accountId, Instant now) {
    return h.createQuery(
            SELECT
                + " WHERE t.account_id = :accountId AND t.revoked_at IS NULL"
                + " AND t.expires_at > :now ORDER BY t.created_at DESC, t.id")
        .bind("accountId", accountId)
        .bind("now", now)
        .map(TOKEN)
        .list();
  }

  /** Revokes the usable tokens of one account ({@code id}: only that one); how many. */
  int revokeOf(Handle h, UUID accountId, Optional<UUID> id, Instant at) {
    return h.createUpdate(
            "UPDATE deploy_token SET revoked_at = :at WHERE account_id = :accountId"
                + " AND revoked_at IS NULL AND expires_at > :at"
                + (id.isPresent() ? " AND id = :id" : ""))
        .bind("accountId", accountId)
        .bind("id", id.orElse(null))
        .bind("at", at)
        .execute();
  }

  /** Marks the token revoked (once: a second revocation keeps the first time). */
  void revoke(Handle h, UUID id, Instant at) {
    h.createUpdate("UPDATE deploy_token SET revoked_at = :at WHERE id = :id AND revoked_at IS NULL")
        .bind("id", id)
        .bind("at", at)
        .execute();
  }

  /** What the token with this secret's hash grants, and its account, when it is usable now. */
  record Use(UUID accountId, TokenGrant grant) {}

  /**
   * The token whose secret hashes to {@code secretHash}, when neither revoked nor expired; its last
   * use becomes {@code now}.
   */
  Optional<Use> use(Handle h, String secretHash, Instant now) {
    return h.createQuery(
            "UPDATE deploy_token SET last_used_at = :now WHERE secret_hash = :secretHash"
                + " AND revoked_at IS NULL AND expires_at > :now"
                + " RETURNING id, name, site_id, account_id, scopes")
        .bind("secretHash", secretHash)
        .bind("now", now)
        .map(
            (rs, ctx) ->
                new Use(
                    rs.getObject("account_id", UUID.class),
                    new TokenGrant(
                        rs.getObject("id", UUID.class),
                        rs.getString("name"),
                        rs.getObject("site_id", UUID.class),
                        Set.copyOf(strings(rs.getArray("scopes"))))))
        .findOne();
  }
}
