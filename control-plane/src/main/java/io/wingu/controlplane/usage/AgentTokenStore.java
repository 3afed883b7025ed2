package io.wingu.controlplane.usage;

import io.wingu.controlplane.app.Rows;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** SQL for the one valid minted agent token of each node (table agent_token). */
final class AgentTokenStore {

  /** Records a node's new token; the one it replaces is no longer valid. */
  void record(
      Handle h, String node, String tokenId, Instant issuedAt, Instant expiresAt, String issuedBy) {
    h.createUpdate(
            "INSERT INTO agent_token (node_name, token_id, issued_at, expires_at, issued_by)"
                + " VALUES (:node, :tokenId, :issuedAt, :expiresAt, :issuedBy)"
                + " ON CONFLICT (node_name) DO UPDATE SET token_id = excluded.token_id,"
                + " issued_at = excluded.issued_at, expires_at = excluded.expires_at,"
                + " issued_by = excluded.issued_by")
        .bind("node", node)
        .bind("tokenId", tokenId)
        .bind("issuedAt", issuedAt)
        .bind("expiresAt", expiresAt)
        .bind("issuedBy", issuedBy)
        .execute();
  }

  /** Revokes a node's token; false when it had none. */
  boolean revoke(Handle h, String node) {
    return Rows.changeOne(
        h, "DELETE FROM agent_token WHERE node_name = :node", Map.of("node", node));
  }

  /** The id of the node's valid token, if it has one. */
  Optional<String> current(Handle h, String node) {
    return h.createQuery("SELECT token_id FROM agent_token WHERE node_name = :node")
        .bind("node", node)
        .mapTo(String.class)
        .findOne();
  }
}
