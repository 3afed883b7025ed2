package io.wingu.controlplane.usage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

/** SQL for the one valid minted agent token of each node (table agent_token). */
final class AgentTokenStore {

  /** Records a node's new token; the one it replaces is no longer valid. */
  void record(
      Connection c,
      String node,
      String tokenId,
      Instant issuedAt,
      Instant expiresAt,
      String issuedBy)
      throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            "INSERT INTO agent_token (node_name, token_id, issued_at, expires_at,"
                + " issued_by) VALUES (?, ?, ?, ?, ?) ON CONFLICT (node_name) DO UPDATE SET token_id = excluded.token_id,"
                + " issued_at = excluded.issued_at, expires_at = excluded.expires_at, issued_by = excluded.issued_by")) {
      st.setString(1, node);
      st.setString(2, tokenId);
      st.setTimestamp(3, Timestamp.from(issuedAt));
      st.setTimestamp(4, Timestamp.from(expiresAt));
      st.setString(5, issuedBy);
      st.executeUpdate();
    }
  }

  /** Revokes a node's token; false when it had none. */
  boolean revoke(Connection c, String node) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("DELETE FROM agent_token WHERE node_name = ?")) {
      st.setString(1, node);
      return st.executeUpdate() == 1;
    }
  }

  /** The id of the node's valid token, if it has one. */
  Optional<String> current(Connection c, String node) throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement("SELECT token_id FROM agent_token WHERE node_name = ?")) {
      st.setString(1, node);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }
}
