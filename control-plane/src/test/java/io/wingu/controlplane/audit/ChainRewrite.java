package io.wingu.controlplane.audit;

import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.app.Page;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The attack the signed checkpoints are for: someone who owns the audit table changes an event and
 * recomputes every hash after it, and the head, so the chain is internally valid again.
 */
final class ChainRewrite {

  private ChainRewrite() {}

  /** Replaces the {@code after} of the event at {@code seq} and re-links everything after it. */
  static void rewrite(Handle handle, long seq, JsonObject forgedAfter) throws SQLException {
    Connection owner = handle.getConnection();
    boolean autoCommit = owner.getAutoCommit();
    owner.setAutoCommit(false);
    try {
      List<AuditEvent> events =
          new AuditLog(java.time.Clock.systemUTC())
              .list(
                  handle,
                  new AuditLog.Filter(null, null, null, null),
                  Page.first(100_000, AuditService.CURSOR));
      String prev = seq == 1 ? AuditLog.GENESIS : events.get((int) seq - 2).hash();
      for (AuditEvent e : events) {
        if (e.seq() < seq) {
          continue;
        }
        JsonObject after = e.seq() == seq ? forgedAfter : e.after();
        AuditEvent forged =
            new AuditEvent(
                e.seq(),
                e.at(),
                e.actor(),
                e.action(),
                e.target(),
                e.institutionId(),
                e.requestId(),
                e.before(),
                after,
                prev,
                null);
        String hash = AuditLog.hash(prev, forged);
        try (var st =
            owner.prepareStatement(
                "UPDATE audit_event SET after = ?::jsonb, prev_hash = ?, hash = ? WHERE seq = ?")) {
          st.setString(1, after == null ? null : after.encode());
          st.setString(2, prev);
          st.setString(3, hash);
          st.setLong(4, e.seq());
          st.executeUpdate();
        }
        prev = hash;
      }
      try (var st = owner.prepareStatement("UPDATE audit_head SET hash = ?")) {
        st.setString(1, prev);
        st.executeUpdate();
      }
      owner.commit();
    } finally {
      owner.setAutoCommit(autoCommit);
    }
  }

  /** Deletes the events after {@code seq} and moves the head back to it, as if they never were. */
  static void cutAfter(Handle owner, long seq) throws SQLException {
    try (var st = owner.getConnection().createStatement()) {
      st.execute("DELETE FROM audit_event WHERE seq > " + seq);
      st.execute(
          "UPDATE audit_head SET seq = e.seq, hash = e.hash FROM audit_event e WHERE e.seq = "
              + seq);
    }
  }
}
