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
 * The append-only, hash-chained audit log: one chain for the whole platform. Appending is the last
 * statement of the transaction it records, so the lock on the chain's head is held only for the
 * insert and the commit, never for the business work before it. Every capability records through
 * {@link #append}; reading goes through {@link AuditService}.
 */
public final class AuditLog {

  public static final String GENESIS = "0".repeat(64);

  private final Clock clock;
  private final CheckpointStore checkpoints;
  private final AuditSigningKey signingKey;

  /** A chain checked on its own (its verification cannot tell a consistent rewrite). */
  public AuditLog(Clock clock) {
    this(clock, null, null);
  }

  /** A chain whose verification also holds it against the latest checkpoint signed with the key. */
  public AuditLog(Clock clock, CheckpointStore checkpoints, AuditSigningKey signingKey) {
    this.clock = clock;
    this.checkpoints = checkpoints;
    this.signingKey = signingKey;
  }

  /** Appends in the caller's transaction; call it last, right before commit. */
  public AuditEvent append(Connection c, AuditEntry e) throws SQLException {
    if (c.getAutoCommit()) {
      throw new IllegalStateException(
          "audit events are appended inside the transaction they record");
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
    AuditEvent unsigned =
        new AuditEvent(
            seq,
            at,
            e.actor(),
            e.action(),
            e.target(),
            e.institutionId(),
            e.requestId(),
            e.before(),
            e.after(),
            prevHash,
            null);
    String hash = hash(prevHash, unsigned);
    try (var st =
        c.prepareStatement(
            "INSERT INTO audit_event (seq, at, actor, action, target, institution_id,"
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
    return new AuditEvent(
        seq,
        at,
        e.actor(),
        e.action(),
        e.target(),
        e.institutionId(),
        e.requestId(),
        e.before(),
        e.after(),
        prevHash,
        hash);
  }

  /** Filters of GET /audit; null means "any". */
  public record Filter(UUID institutionId, String actor, Instant from, Instant to) {}

  /** Events after {@code afterSeq} (0 for the start) matching the filter, oldest first. */
  List<AuditEvent> list(Connection c, Filter f, long afterSeq, int max) throws SQLException {
    Timestamp from = f.from() == null ? null : Timestamp.from(f.from());
    Timestamp to = f.to() == null ? null : Timestamp.from(f.to());
    return events(
        c,
        "SELECT * FROM audit_event WHERE seq > ?"
            + " AND (?::uuid IS NULL OR institution_id = ?::uuid) AND (?::text IS NULL OR actor = ?::text)"
            + " AND (?::timestamptz IS NULL OR at >= ?::timestamptz) AND (?::timestamptz IS NULL OR at < ?::timestamptz)"
            + " ORDER BY seq LIMIT ?",
        afterSeq,
        f.institutionId(),
        f.institutionId(),
        f.actor(),
        f.actor(),
        from,
        from,
        to,
        to,
        max);
  }

  /** The newest {@code max} events of one institution (null: all), newest first. */
  List<AuditEvent> latest(Connection c, UUID institutionId, int max) throws SQLException {
    return latest(c, institutionId, null, max);
  }

  /**
   * Newest first, before {@code beforeSeq} (null for the newest): how the console pages the log.
   */
  List<AuditEvent> latest(Connection c, UUID institutionId, Long beforeSeq, int max)
      throws SQLException {
    return events(
        c,
        "SELECT * FROM audit_event"
            + " WHERE (?::uuid IS NULL OR institution_id = ?::uuid) AND (?::bigint IS NULL OR seq < ?::bigint)"
            + " ORDER BY seq DESC LIMIT ?",
        institutionId,
        institutionId,
        beforeSeq,
        beforeSeq,
        max);
  }

  /** The events a query selects ({@code SELECT *}), its parameters bound in order. */
  private static List<AuditEvent> events(Connection c, String sql, Object... params)
      throws SQLException {
    try (PreparedStatement st = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        st.setObject(i + 1, params[i]);
      }
      List<AuditEvent> out = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(read(rs));
        }
      }
      return out;
    }
  }

  /**
   * The outcome of walking the chain and of holding it against the latest signed checkpoint. {@code
   * reason}: broken-link, truncated, checkpoint-unreadable, checkpoint-signature or
   * checkpoint-mismatch when not valid. {@code anchoredSeq}/{@code anchoredAt}: the chain up to
   * there is vouched for by a checkpoint signed outside the database.
   */
  public record Verification(
      boolean valid,
      long checked,
      Long firstBrokenSeq,
      String reason,
      Long checkpointSeq,
      Boolean checkpointValid,
      Long anchoredSeq,
      Instant anchoredAt) {

    public Verification(boolean valid, long checked, Long firstBrokenSeq) {
      this(valid, checked, firstBrokenSeq, null, null, null, null, null);
    }

    public JsonObject toJson() {
      JsonObject j = new JsonObject().put("valid", valid).put("checked", checked);
      if (firstBrokenSeq != null) {
        j.put("firstBrokenSeq", firstBrokenSeq);
      }
      if (reason != null) {
        j.put("reason", reason);
      }
      if (checkpointSeq != null) {
        j.put("checkpointSeq", checkpointSeq);
      }
      if (checkpointValid != null) {
        j.put("checkpointValid", checkpointValid);
      }
      if (anchoredSeq != null) {
        j.put("anchoredSeq", anchoredSeq).put("anchoredAt", anchoredAt.toString());
      }
      return j;
    }
  }

  /**
   * Where a walk over the chain stopped: how many events it checked, the last good one, the first
   * broken one (null if none), and the hash and position of the event at the seq asked to note.
   */
  record Walk(
      long checked,
      long lastSeq,
      String lastHash,
      Long brokenSeq,
      String notedHash,
      long notedCount) {}

  /**
   * Walks the whole chain from the first event and reports the first broken link; with checkpoints,
   * also whether the chain still holds the latest signed checkpoint's head.
   */
  Verification verify(Connection c) throws SQLException {
    AuditCheckpoint checkpoint = null;
    boolean readable = true;
    if (checkpoints != null) {
      try {
        checkpoint = checkpoints.latest().orElse(null);
      } catch (IOException e) {
        readable = false;
      }
    }
    Boolean signed = null; // no checkpoint (yet): nothing to say about one
    if (checkpoint != null) {
      signed = checkpoint.signedBy(signingKey);
    } else if (!readable) {
      signed = false;
    }
    Long checkpointSeq = checkpoint == null ? null : checkpoint.seq();
    Walk walk = walk(c, 0, GENESIS, Long.MAX_VALUE, checkpoint == null ? -1 : checkpoint.seq());
    if (walk.brokenSeq() != null) {
      return new Verification(
          false,
          walk.checked(),
          walk.brokenSeq(),
          "broken-link",
          checkpointSeq,
          signed,
          null,
          null);
    }
    try (var head = c.createStatement();
        ResultSet rs = head.executeQuery("SELECT seq, hash FROM audit_head")) {
      rs.next();
      if (rs.getLong(1) != walk.lastSeq() || !rs.getString(2).equals(walk.lastHash())) {
        // events at the end were removed: the head remembers more than the table holds
        return new Verification(
            false,
            walk.checked(),
            walk.lastSeq() + 1,
            "truncated",
            checkpointSeq,
            signed,
            null,
            null);
      }
    }
    if (!readable) {
      return new Verification(
          false, walk.checked(), null, "checkpoint-unreadable", null, false, null, null);
    }
    if (checkpoint == null) {
      return new Verification(true, walk.checked(), null);
    }
    if (!signed) {
      return new Verification(
          false, walk.checked(), null, "checkpoint-signature", checkpointSeq, false, null, null);
    }
    if (walk.notedHash() == null
        || !walk.notedHash().equals(checkpoint.hash())
        || walk.notedCount() != checkpoint.count()) {
      // internally consistent, but not the chain that was signed: rewritten (or cut short) since
      long first = walk.notedHash() == null ? walk.lastSeq() + 1 : checkpoint.seq();
      return new Verification(
          false, walk.checked(), first, "checkpoint-mismatch", checkpointSeq, true, null, null);
    }
    return new Verification(
        true, walk.checked(), null, null, checkpointSeq, true, checkpoint.seq(), checkpoint.at());
  }

  /**
   * Checks the events after {@code afterSeq} up to {@code toSeq}: consecutive seqs, each linked to
   * the one before (the first to {@code afterHash}) and hashing to what it says. Notes the hash and
   * count of events at {@code noteSeq}.
   */
  Walk walk(Connection c, long afterSeq, String afterHash, long toSeq, long noteSeq)
      throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false); // a cursor needs a transaction to stream rather than load everything
    try (var st =
        c.prepareStatement("SELECT * FROM audit_event WHERE seq > ? AND seq <= ? ORDER BY seq")) {
      st.setFetchSize(1000);
      st.setLong(1, afterSeq);
      st.setLong(2, toSeq);
      long expectedSeq = afterSeq + 1;
      String prevHash = afterHash;
      long checked = 0;
      String notedHash = null;
      long notedCount = 0;
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          AuditEvent e = read(rs);
          checked++;
          if (e.seq() != expectedSeq
              || !e.prevHash().equals(prevHash)
              || !hash(prevHash, e).equals(e.hash())) {
            long broken = e.seq() != expectedSeq ? Math.min(e.seq(), expectedSeq) : e.seq();
            return new Walk(checked, expectedSeq - 1, prevHash, broken, notedHash, notedCount);
          }
          if (e.seq() == noteSeq) {
            notedHash = e.hash();
            notedCount = checked;
          }
          prevHash = e.hash();
          expectedSeq++;
        }
      }
      return new Walk(checked, expectedSeq - 1, prevHash, null, notedHash, notedCount);
    } finally {
      c.commit();
      c.setAutoCommit(autoCommit);
    }
  }

  /** The seq of the newest committed event (0 for an empty chain). */
  static long head(Connection c) throws SQLException {
    try (var st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT seq FROM audit_head")) {
      rs.next();
      return rs.getLong(1);
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
    return new AuditEvent(
        rs.getLong("seq"),
        rs.getObject("at", OffsetDateTime.class).toInstant(),
        rs.getString("actor"),
        rs.getString("action"),
        rs.getString("target"),
        rs.getObject("institution_id", UUID.class),
        rs.getString("request_id"),
        before == null ? null : new JsonObject(before),
        after == null ? null : new JsonObject(after),
        rs.getString("prev_hash"),
        rs.getString("hash"));
  }
}
