package io.wingu.controlplane.sites;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Immutable bytes addressed by their SHA-256 (uploaded documents, rendered bundles): each digest is
 * stored once, whoever names it, and never changes afterwards.
 */
public final class Blobs {

  /**
   * Stores the bytes under their digest unless it is stored already; true when this call stored
   * them.
   */
  public boolean putOnce(Connection c, String digest, byte[] bytes, Instant at)
      throws SQLException {
    if (exists(c, digest)) {
      return false; // the common case of a repeated deploy: do not ship the bytes to the server
      // again
    }
    try (var st =
        c.prepareStatement(
            "INSERT INTO content_blob (digest, bytes, size, created_at) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (digest) DO NOTHING")) {
      st.setString(1, digest);
      st.setBytes(2, bytes);
      st.setLong(3, bytes.length);
      st.setObject(4, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
      return st.executeUpdate() > 0;
    }
  }

  public boolean exists(Connection c, String digest) throws SQLException {
    try (var st = c.prepareStatement("SELECT 1 FROM content_blob WHERE digest = ?")) {
      st.setString(1, digest);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next();
      }
    }
  }
}
