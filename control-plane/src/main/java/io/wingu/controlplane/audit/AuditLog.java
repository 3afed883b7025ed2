package io.wingu.controlplane.audit;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.erdtman.jcs.JsonCanonicalizer;

/**
 * The append-only, hash-chained audit log: one chain for the whole platform. Appending is the
 * last statement of the transaction it records, so the lock on the chain's head is held only
 * for the insert and the commit, never for the business work before it.
 */
public final class AuditLog {

  public static final String GENESIS = "0".repeat(64);

  private final Clock clock;

  public AuditLog(Clock clock) {
    this.clock = clock;
  }

  /** Appends in the caller's transaction; call it last, right before commit. */
  public AuditEvent append(Connection c, AuditEntry e) throws SQLException {
    if (c.getAutoCommit()) {
      throw new IllegalStateException("audit events are appended inside the transaction they record");
    }
    long seq;
    String prevHash;
    try (var st = c.prepareStatement("SELECT seq, hash FROM audit_head FOR UPDATE");
        ResultSet rs = st.executeQuery()) {
      rs.next();
      seq = rs.getLong(1) + 1;
      prevHash = rs.getString(2);
    }
    Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
    AuditEvent unsigned = new AuditEvent(seq, at, e.actor(), e.action(), e.target(), e.institutionId(),
        e.requestId(), e.before(), e.after(), prevHash, null);
    String hash = hash(prevHash, unsigned);
    try (var st = c.prepareStatement("INSERT INTO audit_event (seq, at, actor, action, target, institution_id,"
        + " request_id, before, after, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?)")) {
      st.setLong(1, seq);
      st.setObject(2, OffsetDateTime.ofInstant(at, java.time.ZoneOffset.UTC));
      st.setString(3, e.actor());
      st.setString(4, e.action());
      st.setString(5, e.target());
      st.setObject(6, e.institutionId());
      st.setString(7, e.requestId());
      st.setString(8, e.before() == null ? null : e.before().encode());
      st.setString(9, e.after() == null ? null : e.after().encode());
      st.setString(10, prevHash);
      st.setString(11, hash);
      st.executeUpdate();
    }
    try (var st = c.prepareStatement("UPDATE audit_head SET seq = ?, hash = ?")) {
      st.setLong(1, seq);
      st.setString(2, hash);
      st.executeUpdate();
    }
    return new AuditEvent(seq, at, e.actor(), e.action(), e.target(), e.institutionId(), e.requestId(),
        e.before(), e.after(), prevHash, hash);
  }

  /** Filters of GET /audit; null means "any". */
  public record Filter(UUID institutionId, String actor, Instant from, Instant to) {
  }

  /** Events after {@code afterSeq} (0 for the start) matching the filter, oldest first. */
  public List<AuditEvent> list(Connection c, Filter f, long afterSeq, int max) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT * FROM audit_event WHERE seq > ?"
        + " AND (?::uuid IS NULL OR institution_id = ?::uuid) AND (?::text IS NULL OR actor = ?::text)"
        + " AND (?::timestamptz IS NULL OR at >= ?::timestamptz) AND (?::timestamptz IS NULL OR at < ?::timestamptz)"
        + " ORDER BY seq LIMIT ?")) {
      st.setLong(1, afterSeq);
      st.setObject(2, f.institutionId());
      st.setObject(3, f.institutionId());
      st.setString(4, f.actor());
      st.setString(5, f.actor());
      Timestamp from = f.from() == null ? null : Timestamp.from(f.from());
      Timestamp to = f.to() == null ? null : Timestamp.from(f.to());
      st.setTimestamp(6, from);
      st.setTimestamp(7, from);
      st.setTimestamp(8, to);
      st.setTimestamp(9, to);
      st.setInt(10, max);
      List<AuditEvent> out = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(read(rs));
        }
      }
      return out;
    }
  }

  /** The newest {@code max} events of one institution (null: all), newest first. */
  public List<AuditEvent> latest(Connection c, UUID institutionId, int max) throws SQLException {
    return latest(c, institutionId, null, max);
  }

  /** Newest first, before {@code beforeSeq} (null for the newest): how the console pages the log. */
  public List<AuditEvent> latest(Connection c, UUID institutionId, Long beforeSeq, int max) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT * FROM audit_event"
        + " WHERE (?::uuid IS NULL OR institution_id = ?::uuid) AND (?::bigint IS NULL OR seq < ?::bigint)"
        + " ORDER BY seq DESC LIMIT ?")) {
      st.setObject(1, institutionId);
      st.setObject(2, institutionId);
      st.setObject(3, beforeSeq);
      st.setObject(4, beforeSeq);
      st.setInt(5, max);
      List<AuditEvent> out = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(read(rs));
        }
      }
      return out;
    }
  }

  /** The outcome of walking the chain. */
  public record Verification(boolean valid, long checked, Long firstBrokenSeq) {
    public JsonObject toJson() {
      JsonObject j = new JsonObject().put("valid", valid).put("checked", checked);
      if (firstBrokenSeq != null) {
        j.put("firstBrokenSeq", firstBrokenSeq);
      }
      return j;
    }
  }

  /** Walks the whole chain from the first event and reports the first broken link. */
  public Verification verify(Connection c) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false); // a cursor needs a transaction to stream rather than load everything
    try (var st = c.prepareStatement("SELECT * FROM audit_event ORDER BY seq")) {
      st.setFetchSize(1000);
      long expectedSeq = 1;
      String prevHash = GENESIS;
      long checked = 0;
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          AuditEvent e = read(rs);
          checked++;
          if (e.seq() != expectedSeq || !e.prevHash().equals(prevHash) || !hash(prevHash, e).equals(e.hash())) {
            return new Verification(false, checked, e.seq() != expectedSeq ? Math.min(e.seq(), expectedSeq) : e.seq());
          }
          prevHash = e.hash();
          expectedSeq++;
        }
      }
      try (var head = c.createStatement(); ResultSet rs = head.executeQuery("SELECT seq, hash FROM audit_head")) {
        rs.next();
        if (rs.getLong(1) != expectedSeq - 1 || !rs.getString(2).equals(prevHash)) {
          // events at the end were removed: the head remembers more than the table holds
          return new Verification(false, checked, expectedSeq);
        }
      }
      return new Verification(true, checked, null);
    } finally {
      c.commit();
      c.setAutoCommit(autoCommit);
    }
  }

  static String hash(String prevHash, AuditEvent e) {
    try {
      String canonical = new JsonCanonicalizer(e.hashedFields().encode()).getEncodedString();
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(prevHash.getBytes(StandardCharsets.US_ASCII));
      sha.update(canonical.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest());
    } catch (IOException | NoSuchAlgorithmException ex) {
      throw new IllegalStateException("cannot canonicalise audit event " + e.seq(), ex);
    }
  }

  private static AuditEvent read(ResultSet rs) throws SQLException {
    String before = rs.getString("before");
    String after = rs.getString("after");
    return new AuditEvent(rs.getLong("seq"), rs.getObject("at", OffsetDateTime.class).toInstant(),
        rs.getString("actor"), rs.getString("action"), rs.getString("target"),
        rs.getObject("institution_id", UUID.class), rs.getString("request_id"),
        before == null ? null : new JsonObject(before), after == null ? null : new JsonObject(after),
        rs.getString("prev_hash"), rs.getString("hash"));
  }
}
