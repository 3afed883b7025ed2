package io.wingu.controlplane.backups;

import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.app.DomainError;
import io.wingu.controlplane.audit.AuditEntry;
import io.wingu.controlplane.audit.AuditLog;
import io.wingu.controlplane.provisioning.TenantDatabases;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backups of tenant databases: dump (pg_dump, custom format, in an exported snapshot whose row
 * counts are recorded) → encrypt (Tink streaming AEAD) → upload (multipart, completed only after
 * the last byte); verify by downloading, decrypting and restoring into a scratch database whose row
 * counts must match; restore in place by restoring into a scratch database first and swapping it
 * for the live one in one transaction, so an interrupted restore leaves the site on its data.
 *
 * <p>Every method blocks (processes, the store, JDBC): callers run it off the event loop.
 */
public final class BackupService {

  private static final Logger LOG = LoggerFactory.getLogger(BackupService.class);
  private static final String SCRATCH_PREFIX = "wingu_scratch_";
  private static final String OLD_PREFIX = "wingu_old_";
  private static final int COPY_BUFFER = 1 << 20;

  /** Retention's weeks and months are the country's (Monday to Sunday). */
  private static final java.time.ZoneId RETENTION_ZONE =
      java.time.ZoneId.of("Africa/Dar_es_Salaam");

  /** The advisory lock of the schedule's pass: one replica at a time. */
  private static final long SCHEDULE_LOCK = 0x77696e6775_0020L;

  private final Jdbi jdbi;
  private final ObjectStore store;
  private final BackupKeys keys;
  private final TenantServer server;
  private final PgClient pg;
  private final AuditLog audit;
  private final Clock clock;
  private final TenantDatabases databases;
  private final Consumer<UUID> siteChanged;
  private final BackupStore backups = new BackupStore();

  /**
   * {@code siteChanged} is told of each site whose restore started or ended, so that its reconcile
   * words the {@code DatabaseReady} condition and writes a new database's Secret.
   */
  public BackupService(
      Jdbi jdbi,
      ObjectStore store,
      BackupKeys keys,
      TenantServer server,
      Optional<java.nio.file.Path> pgBin,
      AuditLog audit,
      Clock clock,
      Consumer<UUID> siteChanged) {
    this.jdbi = jdbi;
    this.store = store;
    this.keys = keys;
    this.server = server;
    this.pg = new PgClient(pgBin, server);
    this.audit = audit;
    this.clock = clock;
    this.siteChanged = siteChanged;
    // no Kubernetes client: the reconciler writes a new database's Secret
    this.databases = new TenantDatabases(server.dataSource(), null, server.host(), server.port());
  }

  /**
   * The service the configuration asks for, empty when backups are off (no endpoint) or there is no
   * tenant database server. At start-up the bucket is made when missing and what a stopped process
   * left behind is cleaned ({@link #recoverInterrupted}); a store that is down then is logged, not
   * fatal: each backup reports it.
   */
  public static Optional<BackupService> open(
      io.wingu.controlplane.app.WinguConfig config,
      Jdbi jdbi,
      AuditLog audit,
      Clock clock,
      Consumer<UUID> siteChanged)
      throws IOException {
    var c = config.backups();
    var p = config.provisioning();
    if (!c.enabled() || p.tenantDbUrl().isEmpty()) {
      LOG.info("backups are off: set WINGU_BACKUP_S3_ENDPOINT and WINGU_TENANT_DB_URL");
      return Optional.empty();
    }
    ObjectStore store = ObjectStore.of(c);
    BackupService service =
        new BackupService(
            jdbi,
            store,
            BackupKeys.load(c.keyFile().orElseThrow()),
            TenantServer.of(
                p.tenantDbUrl().get(), p.tenantDbUser(), p.tenantDbPassword().orElse(null)),
            c.pgBin(),
            audit,
            clock,
            siteChanged);
    try {
      store.ensureBucket();
      service.recoverInterrupted();
    } catch (IOException | SQLException | RuntimeException e) {
      LOG.warn("backups: the store or the tenant server is not reachable now: {}", e.getMessage());
    }
    return Optional.of(service);
  }

  /**
   * Backs up the site's database now. Returns the catalogue row: SUCCEEDED with its size, hash and
   * row counts, or FAILED with the reason (nothing is kept then).
   */
  public Backup backup(UUID siteId, Backup.Reason reason, String actor) {
    return run(start(siteId, reason), actor);
  }

  /** Records a RUNNING backup of the site's database (404 when it has none); {@link #run} it. */
  public Backup start(UUID siteId, Backup.Reason reason) {
    BackupStore.SiteDatabase db =
        jdbi.withHandle(h -> backups.siteDatabase(h, siteId))
            .orElseThrow(() -> DomainError.notFound("The site has no database to back up"));
    UUID id = UUID.randomUUID();
    Backup running =
        new Backup(
            id,
            siteId,
            db.institutionId(),
            db.name(),
            reason,
            Backup.Status.RUNNING,
            db.institutionId() + "/" + siteId + "/" + id + ".dump.tink",
            keys.primaryKeyId(),
            now(),
            null,
            null,
            null,
            List.of(),
            null,
            null);
    jdbi.useHandle(h -> backups.insertRunning(h, running));
    return running;
  }

  /** Dumps, encrypts and uploads a started backup; returns it SUCCEEDED or FAILED. */
  public Backup run(Backup running, String actor) {
    UUID id = running.id();
    UUID siteId = running.siteId();
    Backup.Reason reason = running.reason();
    BackupStore.SiteDatabase db =
        new BackupStore.SiteDatabase(siteId, running.institutionId(), running.databaseName());
    try {
      Dumped d = dump(running);
      jdbi.useTransaction(
          h -> {
            backups.succeeded(h, id, now(), d.size(), d.sha256(), d.tables());
            audit.append(
                h,
                new AuditEntry(
                    actor,
                    "backup.create",
                    target(running),
                    db.institutionId(),
                    null,
                    null,
                    new JsonObject()
                        .put("reason", reason.name())
                        .put("sizeBytes", d.size())
                        .put("sha256", d.sha256())));
          });
      LOG.info("backup {} of {}: {} bytes", id, db.name(), d.size());
    } catch (IOException | SQLException | RuntimeException e) {
      String why = e.getMessage() == null ? e.toString() : e.getMessage();
      LOG.warn("ALERT backup {} of {} failed: {}", id, db.name(), why);
      recordFailure(running, actor, why);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      recordFailure(running, actor, "interrupted");
    }
    return get(siteId, id);
  }

  /** A failed backup, recorded and audited in one transaction (its people are told of it). */
  private void recordFailure(Backup running, String actor, String why) {
    try {
      auditFailure(running, actor, why);
    } catch (SQLException e) {
      LOG.warn("backup {} failure not audited: {}", running.id(), e.getMessage());
      jdbi.useHandle(h -> backups.failed(h, running.id(), now(), why));
    }
  }

  private void auditFailure(Backup running, String actor, String why) throws SQLException {
    jdbi.useTransaction(
        h -> {
          backups.failed(h, running.id(), now(), why);
          audit.append(
              h,
              new AuditEntry(
                  actor,
                  "backup.fail",
                  target(running),
                  running.institutionId(),
                  null,
                  null,
                  new JsonObject()
                      .put("reason", running.reason().name())
                      .put("database", running.databaseName())
                      .put("error", why)));
        });
  }

  /**
   * One pass of the schedule: every site whose last backup is older than its plan's interval
   * ({@code every} at most) is backed up and the backup verified, then retention deletes what each
   * plan no longer keeps ({@link #expire}). A PostgreSQL advisory lock makes one replica run it at
   * a time; whether a site is due is read from the catalogue, so a pass on another replica
   * afterwards finds nothing to do. A site whose backup failed is due again at the next pass.
   * Returns the backups made.
   */
  public int runSchedule(java.time.Duration every, int minimumDays) {
    try (org.jdbi.v3.core.Handle lock = jdbi.open()) {
      boolean mine =
          lock.createQuery("SELECT pg_try_advisory_lock(:key)")
              .bind("key", SCHEDULE_LOCK)
              .mapTo(Boolean.class)
              .one();
      if (!mine) {
        return 0;
      }
      try {
        int made = 0;
        int capHours = (int) Math.max(1, every.toHours());
        for (UUID site : jdbi.withHandle(h -> backups.due(h, now(), capHours))) {
          Backup b = backup(site, Backup.Reason.SCHEDULED, "wingu");
          made++;
          if (b.status() == Backup.Status.SUCCEEDED) {
            verify(site, b.id());
          }
        }
        expire(minimumDays);
        return made;
      } catch (SQLException e) {
        LOG.warn("backup schedule pass stopped: {}", e.getMessage());
        return 0;
      } finally {
        lock.createQuery("SELECT pg_advisory_unlock(:key)")
            .bind("key", SCHEDULE_LOCK)
            .mapTo(Boolean.class)
            .one();
      }
    }
  }

  /**
   * Retention, the one place backups are deleted: each site's finished backups its plan no longer
   * keeps ({@link Retention}; every backup is kept at least {@code minimumDays} days), never one
   * under restore nor the site's newest verified one. Each goes from the catalogue and the store in
   * one transaction: its row is deleted (which waits for, and yields to, a restore marking it),
   * then its object; when the store fails, the row comes back and the next pass tries again.
   * Returns the backups deleted.
   */
  public int expire(int minimumDays) {
    Instant at = now();
    Map<UUID, List<BackupStore.Kept>> bySite = new java.util.LinkedHashMap<>();
    for (BackupStore.Kept k : jdbi.withHandle(backups::finished)) {
      bySite.computeIfAbsent(k.siteId(), s -> new ArrayList<>()).add(k);
    }
    int deleted = 0;
    for (List<BackupStore.Kept> site : bySite.values()) {
      Retention plan = site.get(0).retention();
      Retention retention =
          new Retention(Math.max(plan.days(), minimumDays), plan.weeks(), plan.months());
      Set<UUID> expired =
          Set.copyOf(
              retention.expired(
                  site.stream().map(BackupStore.Kept::held).toList(), at, RETENTION_ZONE));
      for (BackupStore.Kept k : site) {
        if (expired.contains(k.held().id()) && deleteOne(k)) {
          deleted++;
        }
      }
    }
    return deleted;
  }

  private boolean deleteOne(BackupStore.Kept k) {
    try {
      return jdbi.inTransaction(
          h -> {
            if (!backups.deleteUnlessRestoring(h, k.held().id())) {
              return false;
            }
            store.delete(k.objectKey());
            return true;
          });
    } catch (IOException | RuntimeException e) {
      LOG.warn("expired backup {} kept for now: {}", k.held().id(), e.getMessage());
      return false;
    }
  }

  /** A site's backup; 404 when it is not that site's. */
  public Backup get(UUID siteId, UUID backupId) {
    return jdbi.withHandle(h -> backups.find(h, siteId, backupId))
        .orElseThrow(() -> DomainError.notFound("No such backup of this site"));
  }

  /** A site's backups, newest first, after the given one when there is one. */
  public List<Backup> page(UUID siteId, Instant beforeAt, UUID beforeId, int limit) {
    return jdbi.withHandle(h -> backups.page(h, siteId, beforeAt, beforeId, limit));
  }

  /**
   * Proves a backup restores: downloads it, decrypts it, restores it into a scratch database on the
   * tenant server, compares each table's rows with those counted at dump time, drops the scratch
   * database and records the outcome.
   */
  public Backup.Verification verify(UUID siteId, UUID backupId) throws SQLException {
    Backup b = succeeded(siteId, backupId);
    String scratch = SCRATCH_PREFIX + shortId();
    Backup.Verification v;
    try {
      createScratch(scratch, owner(b.databaseName()));
      restoreInto(b, scratch, owner(b.databaseName()));
      v = new Backup.Verification(now(), true, compare(b, scratch));
    } catch (BackupUnreadable e) {
      v = new Backup.Verification(now(), false, e.getMessage());
    } catch (IOException | SQLException e) {
      v = new Backup.Verification(now(), false, "could not restore: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      v = new Backup.Verification(now(), false, "interrupted");
    } finally {
      dropQuietly(scratch);
    }
    Backup.Verification outcome = v;
    jdbi.useTransaction(
        h -> {
          backups.verified(h, backupId, outcome);
          audit.append(
              h,
              new AuditEntry(
                  "wingu",
                  outcome.ok() ? "backup.verify" : "backup.verify-failed",
                  target(b),
                  b.institutionId(),
                  null,
                  null,
                  new JsonObject()
                      .put("ok", outcome.ok())
                      .put("database", b.databaseName())
                      .put("detail", outcome.detail())));
        });
    if (!outcome.ok()) {
      LOG.error("ALERT backup {} of {} failed verification: {}", b.id(), b.databaseName(), v);
    }
    return outcome;
  }

  /**
   * Restores a backup over the site's live database now (see {@link #startRestore} and {@link
   * #runRestore}); returns the safety backup taken first. A restore that fails is a 409 {@code
   * restore-failed} whose detail says why; the live database then kept its data.
   */
  public Backup restoreInPlace(UUID siteId, UUID backupId, String actor, String requestId) {
    Restore done =
        runRestore(startRestore(siteId, backupId, Restore.Target.IN_PLACE, actor), requestId);
    if (done.status() != Backup.Status.SUCCEEDED) {
      throw DomainError.conflict("restore-failed", null, done.error());
    }
    return get(siteId, done.safetyBackupId());
  }

  /**
   * Starts a restore: the whole stored object is read first (its SHA-256 must be the catalogue's
   * and every segment must decrypt: else 409 {@code backup-damaged}, nothing started), then the
   * restore is recorded RUNNING, which the site's {@code DatabaseReady} condition shows. One
   * restore of a site at a time (409 {@code restore-running}). {@link #runRestore} does the work.
   */
  public Restore startRestore(UUID siteId, UUID backupId, Restore.Target target, String actor) {
    Backup b = checkStored(siteId, backupId);
    Restore r =
        jdbi.inTransaction(
            h -> {
              // one restore of a site at a time: the site row serialises the check
              h.createQuery("SELECT id FROM site WHERE id = :id FOR UPDATE")
                  .bind("id", siteId)
                  .mapTo(UUID.class)
                  .one();
              if (backups.restores(h, siteId, 1).stream()
                  .anyMatch(x -> x.status() == Backup.Status.RUNNING)) {
                throw DomainError.conflict(
                    "restore-running",
                    null,
                    "A restore of this site is running already: wait for it to finish");
              }
              if (!backups.markRestoring(h, backupId, true)) {
                throw DomainError.conflict(
                    "backup-restoring", null, "This backup is already being restored");
              }
              Integer n =
                  target == Restore.Target.NEW ? backups.nextRestoreNumber(h, siteId) : null;
              Restore started =
                  new Restore(
                      UUID.randomUUID(),
                      siteId,
                      b.institutionId(),
                      backupId,
                      target,
                      Backup.Status.RUNNING,
                      n,
                      n == null ? null : restoredName(b.databaseName(), n),
                      null,
                      actor,
                      now(),
                      null,
                      null);
              backups.insertRestore(h, started);
              return started;
            });
    siteChanged.accept(siteId);
    return r;
  }

  /**
   * Runs a started restore and records its outcome (the site's {@code DatabaseReady} condition
   * words it). In place: a safety backup first, then the backup is restored into a scratch database
   * and checked, and only then swapped for the live one (one transaction of two renames). Into a
   * new database: a role and database made as the site's own are (its limits, nobody else may
   * connect), the backup restored into it and checked; the reconciler then gives the role a
   * password and writes the Secret {@code db-<site>-restored-<n>}. A backup that does not decrypt,
   * or whose rows differ, leaves the live database untouched and no new database behind.
   */
  public Restore runRestore(Restore r, String requestId) {
    String error = null;
    try {
      Backup b = get(r.siteId(), r.backupId());
      JsonObject detail = r.target() == Restore.Target.IN_PLACE ? inPlace(r, b) : intoNew(r, b);
      jdbi.useTransaction(
          h -> {
            backups.restoreFinished(h, r.id(), now(), null);
            audit.append(
                h,
                new AuditEntry(
                    r.actor(),
                    "backup.restore",
                    target(b),
                    b.institutionId(),
                    requestId,
                    null,
                    detail.put("target", r.target().api()).put("restore", r.id().toString())));
          });
    } catch (DomainError e) {
      error = e.getMessage();
    } catch (BackupUnreadable e) {
      error = e.getMessage() + "; nothing was restored";
    } catch (IOException | SQLException | RuntimeException e) {
      error = "The restore failed: " + (e.getMessage() == null ? e.toString() : e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      error = "The restore was interrupted";
    } finally {
      String why = error;
      jdbi.useHandle(
          h -> {
            if (why != null) {
              backups.restoreFinished(h, r.id(), now(), why);
            }
            backups.markRestoring(h, r.backupId(), false);
          });
      siteChanged.accept(r.siteId());
    }
    if (error != null) {
      LOG.warn("restore {} of backup {} failed: {}", r.id(), r.backupId(), error);
    }
    return restore(r.siteId(), r.id());
  }

  /** A site's restore; 404 when it is not that site's. */
  public Restore restore(UUID siteId, UUID restoreId) {
    return jdbi.withHandle(h -> backups.findRestore(h, siteId, restoreId))
        .orElseThrow(() -> DomainError.notFound("No such restore of this site"));
  }

  /** A site's latest restores, newest first. */
  public List<Restore> restores(UUID siteId, int limit) {
    return jdbi.withHandle(h -> backups.restores(h, siteId, limit));
  }

  private JsonObject inPlace(Restore r, Backup b)
      throws IOException, SQLException, InterruptedException {
    Backup safety = backup(r.siteId(), Backup.Reason.SAFETY, r.actor());
    if (safety.status() != Backup.Status.SUCCEEDED) {
      throw DomainError.conflict(
          "backup-safety-failed",
          null,
          "The safety backup before the restore failed, so nothing was restored: "
              + safety.error());
    }
    jdbi.useHandle(h -> backups.restoreSafety(h, r.id(), safety.id()));
    String role = owner(b.databaseName());
    String scratch = SCRATCH_PREFIX + shortId();
    try {
      createScratch(scratch, role);
      restoreInto(b, scratch, role);
      String found = compare(b, scratch);
      swap(b.databaseName(), scratch);
      return new JsonObject().put("safetyBackup", safety.id().toString()).put("detail", found);
    } finally {
      dropQuietly(scratch);
    }
  }

  private JsonObject intoNew(Restore r, Backup b)
      throws IOException, SQLException, InterruptedException {
    String name = r.databaseName();
    boolean done = false;
    try {
      // made as the live one was: its connection limit, no one else connects; no password yet
      databases.ensureOnServer(name, connectionLimit(b.databaseName()), false);
      restoreInto(b, name, name);
      String found = compare(b, name);
      done = true;
      return new JsonObject().put("database", name).put("number", r.number()).put("detail", found);
    } finally {
      if (!done) {
        dropNew(name);
      }
    }
  }

  /**
   * The name of a site's n-th new database (and its role): {@code r<n>_} before the live one's,
   * within PostgreSQL's 63 bytes. Tenant databases start with {@code t_}, so no site's own database
   * can be given this name.
   */
  static String restoredName(String live, int n) {
    String prefix = "r" + n + "_";
    if (prefix.length() + live.length() <= 63) {
      return prefix + live;
    }
    String hash =
        HexFormat.of().formatHex(sha256().digest(live.getBytes(StandardCharsets.UTF_8)), 0, 4);
    return prefix + live.substring(0, 63 - prefix.length() - 9) + "_" + hash;
  }

  private int connectionLimit(String live) throws SQLException {
    try (Connection c = server.connect("postgres");
        var st = c.prepareStatement("SELECT rolconnlimit FROM pg_roles WHERE rolname = ?")) {
      st.setString(1, live);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? rs.getInt(1) : 10;
      }
    }
  }

  /** Drops a new database a restore made, and its role. */
  private void dropNew(String name) {
    try {
      databases.drop(name);
    } catch (SQLException e) {
      LOG.warn(
          "could not drop the half-restored database {} (dropped at next start): {}",
          name,
          e.getMessage());
    }
  }

  /**
   * After a start: backups and restores a dead process left running are marked failed, the new
   * database (and role) a restore was filling is dropped, scratch and swapped-out databases are
   * dropped, and a live database a restore had closed is opened again.
   */
  public void recoverInterrupted() throws SQLException {
    List<Backup> interrupted = jdbi.withHandle(h -> backups.failInterrupted(h, now()));
    for (Restore r : jdbi.withHandle(h -> backups.failInterruptedRestores(h, now()))) {
      if (r.target() == Restore.Target.NEW) {
        databases.drop(r.databaseName());
      }
      siteChanged.accept(r.siteId());
    }
    for (Backup b : interrupted) {
      try {
        store.delete(b.objectKey()); // normally absent: the upload was never completed
      } catch (IOException e) {
        LOG.warn(
            "could not delete the object of interrupted backup {}: {}", b.id(), e.getMessage());
      }
    }
    try (Connection c = server.connect("postgres");
        Statement st = c.createStatement()) {
      List<String> leftovers = new ArrayList<>();
      List<String> closed = new ArrayList<>();
      try (ResultSet rs =
          st.executeQuery(
              "SELECT datname, datallowconn FROM pg_database WHERE datname LIKE 'wingu\\_scratch\\_%'"
                  + " OR datname LIKE 'wingu\\_old\\_%' OR (datname LIKE 't\\_%' AND NOT datallowconn)")) {
        while (rs.next()) {
          (rs.getString(1).startsWith("t_") ? closed : leftovers).add(rs.getString(1));
        }
      }
      for (String name : closed) {
        st.execute("ALTER DATABASE " + quote(name) + " ALLOW_CONNECTIONS true");
      }
      for (String name : leftovers) {
        st.execute("DROP DATABASE IF EXISTS " + quote(name) + " WITH (FORCE)");
      }
    }
  }

  /**
   * Reads the whole stored object before a restore touches anything: its SHA-256 must be the
   * catalogue's and every segment must decrypt. A changed byte, or a key no longer in the keyset,
   * is a 409 {@code backup-damaged}.
   */
  public Backup checkStored(UUID siteId, UUID backupId) {
    Backup b = succeeded(siteId, backupId);
    MessageDigest sha256 = sha256();
    try (InputStream stored = store.download(b.objectKey());
        DigestInputStream hashed = new DigestInputStream(stored, sha256)) {
      // not closed on its own: closing it would close the stored stream before it is drained
      try {
        keys.decrypting(hashed, b.id().toString()).transferTo(OutputStream.nullOutputStream());
      } catch (IOException e) {
        throw unreadable(b, e);
      }
      hashed.transferTo(OutputStream.nullOutputStream());
      String actual = HexFormat.of().formatHex(sha256.digest());
      if (!actual.equals(b.sha256())) {
        throw changed(actual, b);
      }
      return b;
    } catch (BackupUnreadable e) {
      throw DomainError.conflict("backup-damaged", null, e.getMessage() + "; nothing was restored");
    } catch (IOException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** Records in the audit log that someone downloaded a backup. */
  public void recordDownload(Backup b, String actor, String requestId) throws SQLException {
    jdbi.useTransaction(
        h ->
            audit.append(
                h,
                new AuditEntry(
                    actor,
                    "backup.download",
                    target(b),
                    b.institutionId(),
                    requestId,
                    null,
                    new JsonObject().put("sha256", b.sha256()))));
  }

  /** The decrypted dump of a backup, for a download; its hash is checked as it is read. */
  public InputStream open(UUID siteId, UUID backupId) throws IOException {
    Backup b = succeeded(siteId, backupId);
    return keys.decrypting(store.download(b.objectKey()), b.id().toString());
  }

  private Backup succeeded(UUID siteId, UUID backupId) {
    Backup b = get(siteId, backupId);
    if (b.status() != Backup.Status.SUCCEEDED) {
      throw DomainError.conflict(
          "backup-not-usable",
          null,
          "This backup did not finish ("
              + b.status().name().toLowerCase(java.util.Locale.ROOT)
              + "): there is nothing to restore");
    }
    return b;
  }

  private record Dumped(long size, String sha256, List<Backup.TableRows> tables) {}

  private Dumped dump(Backup b) throws IOException, SQLException, InterruptedException {
    try (Connection c = server.connect(b.databaseName())) {
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      c.setReadOnly(true);
      String snapshot;
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT pg_export_snapshot()")) {
        rs.next();
        snapshot = rs.getString(1);
      }
      // rows are counted in the very snapshot pg_dump dumps, while it dumps
      CompletableFuture<List<Backup.TableRows>> counted = new CompletableFuture<>();
      Thread.ofVirtual()
          .start(
              () -> {
                try {
                  counted.complete(countRows(c));
                } catch (SQLException | RuntimeException e) {
                  counted.completeExceptionally(e);
                }
              });
      Process p = pg.dump(b.databaseName(), snapshot);
      PgClient.ErrorOutput err = new PgClient.ErrorOutput(p);
      ObjectStore.Upload upload = store.upload(b.objectKey());
      boolean completed = false;
      try {
        OutputStream encrypted = keys.encrypting(upload, b.id().toString());
        try (InputStream dump = p.getInputStream()) {
          copy(dump, encrypted);
        }
        int exit = p.waitFor();
        if (exit != 0) {
          throw new IOException("pg_dump failed (exit " + exit + "): " + err.lastLine());
        }
        List<Backup.TableRows> tables = rows(counted);
        encrypted.close(); // the last segment, then the upload is completed: the object exists
        completed = true;
        return new Dumped(upload.size(), upload.sha256(), tables);
      } finally {
        if (!completed) {
          p.destroy();
          upload.abort();
        }
        c.rollback();
      }
    }
  }

  private static List<Backup.TableRows> rows(CompletableFuture<List<Backup.TableRows>> counted)
      throws SQLException, InterruptedException {
    try {
      return counted.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SQLException s) {
        throw s;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Rows of every ordinary table, by {@code schema.table}, sorted by name. */
  private static List<Backup.TableRows> countRows(Connection c) throws SQLException {
    List<String> tables = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c"
                    + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r'"
                    + " AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
                    + " AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'"
                    + " ORDER BY 1")) {
      while (rs.next()) {
        tables.add(rs.getString(1));
      }
    }
    List<Backup.TableRows> rows = new ArrayList<>();
    try (Statement st = c.createStatement()) {
      for (String t : tables) {
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + t)) {
          rs.next();
          rows.add(new Backup.TableRows(t, rs.getLong(1)));
        }
      }
    }
    return rows;
  }

  /** Thrown when a backup's object does not decrypt or is not the object that was uploaded. */
  static final class BackupUnreadable extends IOException {
    private static final long serialVersionUID = 1L;

    BackupUnreadable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Streams the object from the store through decryption into pg_restore. Decryption authenticates
   * every 1 MiB segment; the whole object's SHA-256 is compared at the end.
   */
  private void restoreInto(Backup b, String database, String role)
      throws IOException, InterruptedException {
    MessageDigest sha256 = sha256();
    Process p = pg.restore(database, role);
    PgClient.ErrorOutput err = new PgClient.ErrorOutput(p);
    boolean done = false;
    try (InputStream stored = store.download(b.objectKey());
        DigestInputStream hashed = new DigestInputStream(stored, sha256)) {
      InputStream plain;
      try {
        plain = keys.decrypting(hashed, b.id().toString());
      } catch (IOException e) {
        throw unreadable(b, e);
      }
      byte[] buf = new byte[COPY_BUFFER];
      try (OutputStream in = p.getOutputStream()) {
        while (true) {
          int n;
          try {
            n = plain.read(buf);
          } catch (IOException e) {
            throw unreadable(b, e);
          }
          if (n < 0) {
            break;
          }
          try {
            in.write(buf, 0, n);
          } catch (IOException e) {
            int exit = p.waitFor();
            throw new IOException("pg_restore failed (exit " + exit + "): " + err.lastLine(), e);
          }
        }
      }
      hashed.transferTo(OutputStream.nullOutputStream());
      String actual = HexFormat.of().formatHex(sha256.digest());
      if (!actual.equals(b.sha256())) {
        throw changed(actual, b);
      }
      int exit = p.waitFor();
      if (exit != 0) {
        throw new IOException("pg_restore failed (exit " + exit + "): " + err.lastLine());
      }
      done = true;
    } finally {
      if (!done) {
        p.destroy();
      }
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static BackupUnreadable changed(String actual, Backup b) {
    return new BackupUnreadable(
        "The backup's object in the store is not the one uploaded (SHA-256 "
            + actual
            + ", catalogue "
            + b.sha256()
            + "): it was changed in the store",
        null);
  }

  private static BackupUnreadable unreadable(Backup b, IOException e) {
    return new BackupUnreadable(
        "The backup does not decrypt: its object was changed in the store, or key "
            + b.keyId()
            + " is not in WINGU_BACKUP_KEY_FILE ("
            + e.getMessage()
            + ")",
        e);
  }

  /** Compares a restored copy's rows with the dump's; returns what matched or throws. */
  private String compare(Backup b, String database) throws SQLException, BackupUnreadable {
    List<Backup.TableRows> restored;
    try (Connection c = server.connect(database)) {
      restored = countRows(c);
    }
    if (!restored.equals(b.tables())) {
      throw new BackupUnreadable(
          "The restored rows differ from those counted at dump time: dumped "
              + b.tables()
              + ", restored "
              + restored,
          null);
    }
    long rows = restored.stream().mapToLong(Backup.TableRows::rows).sum();
    return restored.size() + " tables and " + rows + " rows restored as counted at dump time";
  }

  private String owner(String database) throws SQLException {
    try (Connection c = server.connect("postgres");
        var st =
            c.prepareStatement(
                "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = ?")) {
      st.setString(1, database);
      try (ResultSet rs = st.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("the database " + database + " is missing");
        }
        return rs.getString(1);
      }
    }
  }

  private void createScratch(String name, String owner) throws SQLException {
    try (Connection c = server.connect("postgres");
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + quote(name) + " OWNER " + quote(owner));
      st.execute("REVOKE ALL ON DATABASE " + quote(name) + " FROM PUBLIC");
    }
  }

  /**
   * Puts the restored copy in the live database's place: connections to the live one are closed and
   * refused, both renames commit together, then the old data is dropped (the safety backup holds
   * it).
   */
  private void swap(String live, String restored) throws SQLException {
    String old = OLD_PREFIX + shortId();
    try (Connection c = server.connect("postgres");
        Statement st = c.createStatement()) {
      st.execute("ALTER DATABASE " + quote(live) + " ALLOW_CONNECTIONS false");
      try {
        try (var t =
            c.prepareStatement(
                "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity"
                    + " WHERE datname = ? AND pid <> pg_backend_pid()")) {
          t.setString(1, live);
          t.executeQuery().close();
        }
        c.setAutoCommit(false);
        st.execute("ALTER DATABASE " + quote(live) + " RENAME TO " + quote(old));
        st.execute("ALTER DATABASE " + quote(restored) + " RENAME TO " + quote(live));
        c.commit();
        c.setAutoCommit(true);
      } catch (SQLException e) {
        if (!c.getAutoCommit()) {
          c.rollback();
          c.setAutoCommit(true);
        }
        st.execute("ALTER DATABASE " + quote(live) + " ALLOW_CONNECTIONS true");
        throw e;
      }
      st.execute("DROP DATABASE IF EXISTS " + quote(old) + " WITH (FORCE)");
    }
  }

  private void dropQuietly(String database) {
    try (Connection c = server.connect("postgres");
        Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + quote(database) + " WITH (FORCE)");
    } catch (SQLException e) {
      LOG.warn(
          "could not drop scratch database {} (dropped at next start): {}",
          database,
          e.getMessage());
    }
  }

  private static void copy(InputStream from, OutputStream to) throws IOException {
    byte[] buf = new byte[COPY_BUFFER];
    int n;
    while ((n = from.read(buf)) >= 0) {
      to.write(buf, 0, n);
    }
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  private static String shortId() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  }

  private static String target(Backup b) {
    return "backup/" + b.siteId() + "/" + b.id();
  }

  private static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }
}
