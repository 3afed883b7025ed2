package io.wingu.controlplane.audit;

import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.app.Keyset;
import io.wingu.controlplane.app.Page;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.erdtman.jcs.JsonCanonicalizer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.result.ResultIterator;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * The append-only, hash-chained audit log: one chain for the whole platform. Appending is the last
 * statement of the transaction it records, so the lock on the chain's head is held only for the
 * insert and the commit, never for the business work before it. Every capability records through
 * {@link #append}; reading goes through {@link AuditService}.
 */
public final class AuditLog {

  public static final String GENESIS = "0".repeat(64);

  /** The chain's head: the newest event's seq and hash (0 and {@link #GENESIS} when empty). */
  private record Head(long seq, String hash) {}

  private static final RowMapper<Head> HEAD =
      (rs, ctx) -> new Head(rs.getLong("seq"), rs.getString("hash"));

  private static final RowMapper<AuditEvent> EVENT =
      (rs, ctx) -> {
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
      };

  /**
   * What else must happen in the transaction of an audited change: a capability that follows
   * changes (notifications' outbox) writes its rows there, so they commit or roll back with it.
   */
  @FunctionalInterface
  public interface Observer {
    void changed(Handle h, AuditEntry e) throws SQLException;
  }

  private final java.util.List<Observer> observers =
      new java.util.concurrent.CopyOnWriteArrayList<>();

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

  /** Adds work done in the transaction of every audited change, before its event is appended. */
  public void observe(Observer o) {
    observers.add(o);
  }

  /** Appends in the caller's transaction; call it last, right before commit. */
  public AuditEvent append(Handle h, AuditEntry e) throws SQLException {
    if (h.getConnection().getAutoCommit()) {
      throw new IllegalStateException(
          "audit events are appended inside the transaction they record");
    }
    // before the chain's head is locked: the observers' work does not hold every writer up
    for (Observer o : observers) {
      o.changed(h, e);
    }
    Head head = h.createQuery("SELECT seq, hash FROM audit_head FOR UPDATE").map(HEAD).one();
    long seq = head.seq() + 1;
    String prevHash = head.hash();
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
    h.createUpdate(
            "INSERT INTO audit_event (seq, at, actor, action, target, institution_id, request_id,"
                + " before, after, prev_hash, hash) VALUES (:seq, :at, :actor, :action, :target,"
                + " :institutionId, :requestId, :before::jsonb, :after::jsonb, :prevHash, :hash)")
        .bind("seq", seq)
        .bind("at", at)
        .bind("actor", e.actor())
        .bind("action", e.action())
        .bind("target", e.target())
        .bind("institutionId", e.institutionId())
        .bind("requestId", e.requestId())
        .bind("before", e.before() == null ? null : e.before().encode())
        .bind("after", e.after() == null ? null : e.after().encode())
        .bind("prevHash", prevHash)
        .bind("hash", hash)
        .execute();
    h.createUpdate("UPDATE audit_head SET seq = :seq, hash = :hash")
        .bind("seq", seq)
        .bind("hash", hash)
        .execute();
    return unsigned.withHash(hash);
  }

  /** Filters of GET /audit and of the console's log; null means "any". */
  public record Filter(UUID institutionId, String actor, String action, Instant from, Instant to) {
    public Filter(UUID institutionId, String actor, Instant from, Instant to) {
      this(institutionId, actor, null, from, to);
    }
  }

  /** One page of the events matching the filter, oldest first. */
  List<AuditEvent> list(Handle h, Filter f, Page page) {
    return matching(f).select(h, Keyset.ascending(page, "seq"));
  }

  /** One page of the events matching the filter, newest first. */
  List<AuditEvent> latestMatching(Handle h, Filter f, Page page) {
    return matching(f).select(h, Keyset.descending(page, "seq"));
  }

  /** The filter's conditions on the audit events: each one given narrows them. */
  private static Conditions matching(Filter f) {
    Conditions where = new Conditions();
    where.and("institution_id = :institutionId", "institutionId", f.institutionId());
    where.and("actor = :actor", "actor", f.actor());
    where.and("action = :action", "action", f.action());
    where.and("at >= :from", "from", f.from());
    where.and("at < :to", "to", f.to());
    return where;
  }

  /** One page of the events of one institution (null: all), newest first. */
  List<AuditEvent> latest(Handle h, UUID institutionId, Page page) {
    Conditions where = new Conditions();
    where.and("institution_id = :institutionId", "institutionId", institutionId);
    return where.select(h, Keyset.descending(page, "seq"));
  }

  /**
   * The conditions of a query over the events: only the filters actually given, each bound once.
   */
  private static final class Conditions {
    private final List<String> sql = new ArrayList<>();
    private final Map<String, Object> values = new HashMap<>();

    /** Adds {@code condition} on the named value, unless the value is null (no filter). */
    Conditions and(String condition, String name, Object value) {
      if (value != null) {
        sql.add(condition);
        values.put(name, value);
      }
      return this;
    }

    List<AuditEvent> select(Handle h, Keyset keyset) {
      sql.add(keyset.after());
      return keyset
          .bind(
              h.createQuery(
                  "SELECT * FROM audit_event WHERE "
                      + String.join(" AND ", sql)
                      + keyset.orderAndLimit()))
          .bindMap(values)
          .map(EVENT)
          .list();
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
   * also whether the chain still holds the latest signed checkpoint's head. It reads in one
   * snapshot of its own: with a snapshot a statement, an event committed between the walk and the
   * read of the head made the head look ahead of the table, and a busy platform's intact chain was
   * reported truncated.
   */
  Verification verify(Handle h) {
    return h.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, this::verifyInOneSnapshot);
  }

  private Verification verifyInOneSnapshot(Handle h) {
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
    Walk walk = walk(h, 0, GENESIS, Long.MAX_VALUE, checkpoint == null ? -1 : checkpoint.seq());
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
    Head head = h.createQuery("SELECT seq, hash FROM audit_head").map(HEAD).one();
    if (head.seq() != walk.lastSeq() || !head.hash().equals(walk.lastHash())) {
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
  Walk walk(Handle h, long afterSeq, String afterHash, long toSeq, long noteSeq) {
    // in a transaction, so that the cursor streams rather than loads everything
    return h.inTransaction(
        tx -> {
          long expectedSeq = afterSeq + 1;
          String prevHash = afterHash;
          long checked = 0;
          String notedHash = null;
          long notedCount = 0;
          try (ResultIterator<AuditEvent> events =
              tx.createQuery(
                      "SELECT * FROM audit_event WHERE seq > :afterSeq AND seq <= :toSeq ORDER BY seq")
                  .setFetchSize(1000)
                  .bind("afterSeq", afterSeq)
                  .bind("toSeq", toSeq)
                  .map(EVENT)
                  .iterator()) {
            while (events.hasNext()) {
              AuditEvent e = events.next();
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
        });
  }

  /** The seq of the newest committed event (0 for an empty chain). */
  static long head(Handle h) {
    return h.createQuery("SELECT seq FROM audit_head").mapTo(Long.class).one();
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
}
