package io.wingu.controlplane.backups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wingu.controlplane.app.Database;
import io.wingu.controlplane.app.DatabaseRoles;
import io.wingu.controlplane.app.DomainError;
import io.wingu.controlplane.app.WinguConfig;
import io.wingu.controlplane.audit.AuditLog;
import io.wingu.controlplane.provisioning.TenantDatabases;
import io.wingu.controlplane.testing.BackupParts;
import io.wingu.controlplane.testing.TenantDatabaseServer;
import io.wingu.controlplane.testing.TestDatabase;
import io.wingu.dev.LocalPostgres;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Backups on real parts: the tenant PostgreSQL server, pg_dump/pg_restore 18, versitygw as the
 * S3-compatible store, Tink encryption. A restore gives back the very rows of dump time; one byte
 * changed in the store is refused and leaves the live database as it was.
 */
class BackupIT {

  private static final String MARKER = "plaintext-marker-that-must-not-reach-the-store";

  @TempDir Path dir;
  private Jdbi jdbi;
  private TenantServer tenantServer;
  private String database;
  private String tenantPassword;
  private UUID siteId;
  private WinguConfig.Backups config;
  private BackupService service;
  private final List<UUID> changed = new java.util.concurrent.CopyOnWriteArrayList<>();
  private ObjectStore store;

  @BeforeEach
  void parts() throws Exception {
    Map<String, String> env = TestDatabase.applicationEnv("backup");
    PGSimpleDataSource owner = new PGSimpleDataSource();
    owner.setUrl(env.get("WINGU_DB_URL"));
    owner.setUser(TestDatabase.OWNER_ROLE);
    owner.setPassword(TestDatabase.ROLE_PASSWORD);
    Flyway.configure().dataSource(owner).load().migrate();
    DatabaseRoles.grantApplicationRole(owner, TestDatabase.APP_ROLE);
    PGSimpleDataSource app = new PGSimpleDataSource();
    app.setUrl(env.get("WINGU_DB_URL"));
    app.setUser(TestDatabase.APP_ROLE);
    app.setPassword(TestDatabase.ROLE_PASSWORD);
    jdbi = Database.jdbi(app);

    LocalPostgres pg = TenantDatabaseServer.get();
    tenantServer =
        TenantServer.of(pg.jdbcUrl("postgres"), LocalPostgres.SUPERUSER, pg.superuserPassword());
    PGSimpleDataSource admin = new PGSimpleDataSource();
    admin.setUrl(pg.jdbcUrl("postgres"));
    admin.setUser(LocalPostgres.SUPERUSER);
    admin.setPassword(pg.superuserPassword());
    String code = "bk" + UUID.randomUUID().toString().substring(0, 6);
    database = "t_" + code + "__portal";
    tenantPassword =
        new TenantDatabases(admin, null, "127.0.0.1", 0).ensureOnServer(database, 10, true);
    siteId = BackupParts.insertSite(owner, code, database);

    BackupKeys.generate(dir.resolve("keyset.json"));
    config =
        WinguConfig.from(BackupParts.env(dir.resolve("keyset.json"), "backups-" + code)).backups();
    store = ObjectStore.of(config);
    store.ensureBucket();
    service = service(config);
    fillTenantDatabase();
  }

  private BackupService service(WinguConfig.Backups c) throws Exception {
    return new BackupService(
        jdbi,
        ObjectStore.of(c),
        BackupKeys.load(c.keyFile().orElseThrow()),
        tenantServer,
        c.pgBin(),
        new AuditLog(Clock.systemUTC()),
        Clock.systemUTC(),
        changed::add);
  }

  @Test
  void aRestoreInPlaceGivesBackEveryRowAsItWasAtDumpTime() throws Exception {
    Map<String, String> atDumpTime = contents();
    Backup b = service.backup(siteId, Backup.Reason.ON_DEMAND, "admin-a");

    assertThat(b.status()).as("error: %s", b.error()).isEqualTo(Backup.Status.SUCCEEDED);
    assertThat(b.sha256()).matches("[0-9a-f]{64}");
    assertThat(b.sizeBytes()).isPositive();
    assertThat(b.keyId()).isEqualTo(BackupKeys.load(config.keyFile().orElseThrow()).primaryKeyId());
    assertThat(b.tables())
        .containsExactly(
            new Backup.TableRows("archive.letters", 3),
            new Backup.TableRows("public.documents", 500),
            new Backup.TableRows("public.people", 4));
    byte[] stored;
    try (InputStream in = store.download(b.objectKey())) {
      stored = in.readAllBytes();
    }
    assertThat(stored).hasSize(b.sizeBytes().intValue());
    assertThat(new String(stored, StandardCharsets.ISO_8859_1))
        .as("the store never sees plaintext")
        .doesNotContain(MARKER)
        .doesNotContain("PGDMP");

    // the site goes on changing its data after the backup
    try (Connection c = asTenant();
        Statement st = c.createStatement()) {
      st.execute("DELETE FROM people WHERE name LIKE 'A%'");
      st.execute("UPDATE documents SET body = 'overwritten'");
      st.execute("DROP TABLE archive.letters");
      st.execute("CREATE TABLE after_backup (x int)");
    }
    assertThat(contents()).isNotEqualTo(atDumpTime);

    Backup safety = service.restoreInPlace(siteId, b.id(), "admin-a", "req-1");

    assertThat(contents()).isEqualTo(atDumpTime);
    assertThat(safety.reason()).isEqualTo(Backup.Reason.SAFETY);
    assertThat(safety.status()).isEqualTo(Backup.Status.SUCCEEDED);
    // the site's own role owns what was restored and goes on writing to it
    try (Connection c = asTenant();
        Statement st = c.createStatement()) {
      st.execute("INSERT INTO people (name, born) VALUES ('Zawadi', '2001-02-03')");
      try (ResultSet rs =
          st.executeQuery(
              "SELECT count(*) FROM pg_tables WHERE schemaname IN ('public', 'archive')"
                  + " AND tableowner <> current_user")) {
        rs.next();
        assertThat(rs.getLong(1)).isZero();
      }
    }
    assertThat(scratchDatabases()).isZero();
  }

  @Test
  void aRestoreIntoANewDatabaseGivesBackEveryRowBesideTheLiveOneOwnedByItsOwnRole()
      throws Exception {
    Map<String, String> atDumpTime = contents();
    Backup b = service.backup(siteId, Backup.Reason.ON_DEMAND, "admin-a");
    try (Connection c = asTenant();
        Statement st = c.createStatement()) {
      st.execute("DELETE FROM people WHERE name LIKE 'A%'");
      st.execute("CREATE TABLE after_backup (x int)");
    }
    Map<String, String> live = contents();

    Restore started = service.startRestore(siteId, b.id(), Restore.Target.NEW, "admin-a");
    assertThat(started.status()).isEqualTo(Backup.Status.RUNNING);
    assertThat(started.number()).isEqualTo(1);
    assertThat(started.databaseName()).isEqualTo("r1_" + database);
    assertThat(changed).as("the reconcile is woken to word DatabaseReady").contains(siteId);
    Restore done = service.runRestore(started, "req-new");

    assertThat(done.status()).as("error: %s", done.error()).isEqualTo(Backup.Status.SUCCEEDED);
    assertThat(contents()).as("the live database is left as it is").isEqualTo(live);
    try (Connection c = superuser(done.databaseName())) {
      assertThat(TableContents.of(c)).isEqualTo(atDumpTime);
      try (Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT count(*) FROM pg_tables WHERE schemaname IN ('public', 'archive')"
                      + " AND tableowner <> '"
                      + done.databaseName()
                      + "'")) {
        rs.next();
        assertThat(rs.getLong(1)).as("the new role owns every restored table").isZero();
      }
    }
    try (Connection c = tenantServer.connect("postgres");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT pg_get_userbyid(datdba), has_database_privilege('"
                    + database
                    + "', datname, 'CONNECT') FROM pg_database WHERE datname = '"
                    + done.databaseName()
                    + "'")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo(done.databaseName());
      assertThat(rs.getBoolean(2)).as("the live role may not connect to it").isFalse();
    }
    assertThat(service.restores(siteId, 5)).first().isEqualTo(done);
    Restore second =
        service.runRestore(
            service.startRestore(siteId, b.id(), Restore.Target.NEW, "admin-a"), "req-2");
    assertThat(second.number()).isEqualTo(2);
    assertThat(second.databaseName()).isEqualTo("r2_" + database);
  }

  @Test
  void aRestoreIntoANewDatabaseThatFailsLeavesNoDatabaseOrRoleAndSaysWhy() throws Exception {
    Backup b = service.backup(siteId, Backup.Reason.ON_DEMAND, "admin-a");
    Restore started = service.startRestore(siteId, b.id(), Restore.Target.NEW, "admin-a");
    // the object changes in the store after the check at start
    byte[] stored;
    try (InputStream in = store.download(b.objectKey())) {
      stored = in.readAllBytes();
    }
    stored[stored.length - 10] ^= 0x01;
    store.put(b.objectKey(), stored);
    Map<String, String> live = contents();

    Restore done = service.runRestore(started, "req-3");

    assertThat(done.status()).isEqualTo(Backup.Status.FAILED);
    assertThat(done.error()).contains("nothing was restored");
    assertThat(contents()).isEqualTo(live);
    assertThat(exists("pg_database", "datname", started.databaseName())).isFalse();
    assertThat(exists("pg_roles", "rolname", started.databaseName())).isFalse();
    assertThat(service.get(siteId, b.id()).status()).isEqualTo(Backup.Status.SUCCEEDED);
  }

  @Test
  void oneRestoreOfASiteAtATime() throws Exception {
    Backup b = service.backup(siteId, Backup.Reason.ON_DEMAND, "admin-a");
    Restore started = service.startRestore(siteId, b.id(), Restore.Target.NEW, "admin-a");

    assertThatThrownBy(
            () -> service.startRestore(siteId, b.id(), Restore.Target.IN_PLACE, "admin-a"))
        .isInstanceOf(DomainError.Conflict.class)
        .hasMessageContaining("running already");
    service.runRestore(started, "req-4");
  }

  @Test
  void aStartAfterACrashFailsTheInterruptedRestoreAndDropsItsHalfMadeDatabaseAndRole()
      throws Exception {
    Backup b = service.backup(siteId, Backup.Reason.ON_DEMAND, "admin-a");
    Restore started = service.startRestore(siteId, b.id(), Restore.Target.NEW, "admin-a");
    // the process died while pg_restore filled the new database
    new TenantDatabases(tenantServer.dataSource(), null, "127.0.0.1", 0)
        .ensureOnServer(started.databaseName(), 5, false);
    Map<String, String> live = contents();

    service.recoverInterrupted();

    Restore after = service.restore(siteId, started.id());
    assertThat(after.status()).isEqualTo(Backup.Status.FAILED);
    assertThat(after.error()).contains("stopped during the restore");
    assertThat(exists("pg_database", "datname", started.databaseName())).isFalse();
    assertThat(exists("pg_roles", "rolname", started.databaseName())).isFalse();
    assertThat(contents()).isEqualTo(live);
    assertThat(service.startRestore(siteId, b.id(), Restore.Target.NEW, "admin-a").number())
        .as("the backup is restorable again, into a database of a new number")
        .isEqualTo(2);
  }

  @Test
  void theNameOfANewDatabaseStaysWithinPostgresLimitsAndApartFromTenantDatabases() {
    String longest = "t_" + "a".repeat(61);
    String name = BackupService.restoredName(longest, 12);
    assertThat(name).hasSizeLessThanOrEqualTo(63).startsWith("r12_t_");
    assertThat(BackupService.restoredName("t_" + "a".repeat(60) + "b", 12)).isNotEqualTo(name);
  }

  @Test
  void verificationRestoresTheDownloadedObjectIntoAScratchDatabaseAndDropsIt() throws Exception {
    Backup b = service.backup(siteId, Backup.Reason.ON_DEMAND, "operator");

    Backup.Verification v = service.verify(siteId, b.id());

    assertThat(v.ok()).as(v.detail()).isTrue();
    assertThat(v.detail()).contains("3 tables and 507 rows");
    assertThat(service.get(siteId, b.id()).verified()).isEqualTo(v);
    assertThat(scratchDatabases()).isZero();
  }

  @Test
  void oneByteChangedInTheStoreIsRefusedAtRestoreAndTheLiveDataStays() throws Exception {
    Backup b = service.backup(siteId, Backup.Reason.ON_DEMAND, "admin-a");
    byte[] stored;
    try (InputStream in = store.download(b.objectKey())) {
      stored = in.readAllBytes();
    }
    stored[stored.length / 2] ^= 0x01;
    store.put(b.objectKey(), stored);
    try (Connection c = asTenant();
        Statement st = c.createStatement()) {
      st.execute("INSERT INTO people (name, born) VALUES ('Baraka', '1999-09-09')");
    }
    Map<String, String> live = contents();

    assertThatThrownBy(() -> service.restoreInPlace(siteId, b.id(), "admin-a", "req-2"))
        .isInstanceOf(DomainError.Conflict.class)
        .hasMessageContaining("does not decrypt")
        .hasMessageContaining("changed in the store")
        .hasMessageContaining("nothing was restored");
    assertThat(contents()).isEqualTo(live);
    assertThat(scratchDatabases()).isZero();

    Backup.Verification v = service.verify(siteId, b.id());
    assertThat(v.ok()).isFalse();
    assertThat(v.detail()).contains("does not decrypt");
  }

  @Test
  void aKeyNotInTheKeysetIsAClearError() throws Exception {
    Backup b = service.backup(siteId, Backup.Reason.ON_DEMAND, "admin-a");
    Path otherKey = dir.resolve("other.json");
    BackupKeys.generate(otherKey);
    Map<String, String> env = BackupParts.env(otherKey, config.s3Bucket());
    BackupService rotatedAway = service(WinguConfig.from(env).backups());

    Backup.Verification v = rotatedAway.verify(siteId, b.id());

    assertThat(v.ok()).isFalse();
    assertThat(v.detail()).contains("key " + b.keyId() + " is not in WINGU_BACKUP_KEY_FILE");
  }

  @Test
  void aStoreThatIsDownFailsTheBackupWithItsReasonAndKeepsNothing() throws Exception {
    Map<String, String> env = BackupParts.env(config.keyFile().orElseThrow(), config.s3Bucket());
    try (java.net.ServerSocket closed = new java.net.ServerSocket(0)) {
      env.put("WINGU_BACKUP_S3_ENDPOINT", "http://127.0.0.1:" + closed.getLocalPort());
    }
    Backup b =
        service(WinguConfig.from(env).backups()).backup(siteId, Backup.Reason.SCHEDULED, "wingu");

    assertThat(b.status()).isEqualTo(Backup.Status.FAILED);
    assertThat(b.error()).contains("the backup store could not");
    assertThat(b.sha256()).isNull();
    List<String> audited =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT after::text FROM audit_event WHERE action = 'backup.fail'"
                            + " AND target LIKE :target")
                    .bind("target", "%" + b.id())
                    .mapTo(String.class)
                    .list());
    assertThat(audited)
        .as("the failure is audited, which tells the operators (notifications)")
        .singleElement()
        .satisfies(after -> assertThat(after).contains(database).contains("could not"));
  }

  @Test
  void aStartAfterACrashFailsTheInterruptedBackupAndDropsItsLeftovers() throws Exception {
    UUID running = UUID.randomUUID();
    jdbi.useHandle(
        h ->
            h.execute(
                "INSERT INTO backup (id, site_id, institution_id, database_name, reason, status,"
                    + " object_key, key_id, started_at) SELECT ?, id, institution_id, ?,"
                    + " 'SCHEDULED', 'RUNNING', ?, 1, now() FROM site WHERE id = ?",
                running,
                database,
                "x/" + running,
                siteId));
    try (Connection c = tenantServer.connect("postgres");
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE wingu_scratch_leftover" + siteId.toString().substring(0, 8));
      st.execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS false");
    }

    service.recoverInterrupted();

    Backup b = service.get(siteId, running);
    assertThat(b.status()).isEqualTo(Backup.Status.FAILED);
    assertThat(b.error()).contains("stopped during the backup");
    assertThat(scratchDatabases()).isZero();
    try (Connection c = asTenant()) {
      assertThat(c.isValid(5)).as("the live database takes connections again").isTrue();
    }
  }

  @Test
  void twoReplicasRunningTheScheduleAtOnceTakeEachDueBackupOnce() throws Exception {
    BackupService other = service(config);
    var first =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> service.runSchedule(java.time.Duration.ofHours(24), 14));
    var second =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> other.runSchedule(java.time.Duration.ofHours(24), 14));

    assertThat(first.get() + second.get()).isEqualTo(1);
    assertThat(service.runSchedule(java.time.Duration.ofHours(24), 14)).isZero();
    assertThat(other.runSchedule(java.time.Duration.ofHours(24), 14)).isZero();
    assertThat(service.page(siteId, null, null, 10)).hasSize(1);
  }

  @Test
  void theSitesPlanSaysHowLongItsBackupsAreKept() throws Exception {
    // a plan that keeps every backup 2 days and the last of this week, none by month
    jdbi.useHandle(
        h -> {
          h.execute(
              "INSERT INTO plan (id, name, cpu_millis, memory_bytes, storage_bytes,"
                  + " db_storage_bytes, backup_every_hours, backup_keep_days, backup_keep_weeks,"
                  + " backup_keep_months) VALUES ('00000000-0000-4000-8000-0000000000b1',"
                  + " 'keep-two-days', 100, 1, 1, 1, 6, 2, 1, 0)");
          h.execute(
              "UPDATE site SET plan_id = '00000000-0000-4000-8000-0000000000b1' WHERE id = ?",
              siteId);
        });
    Backup verifiedLongAgo = service.backup(siteId, Backup.Reason.ON_DEMAND, "admin-a");
    assertThat(service.verify(siteId, verifiedLongAgo.id()).ok()).isTrue();
    Backup underRestore = service.backup(siteId, Backup.Reason.ON_DEMAND, "admin-a");
    Backup expired = service.backup(siteId, Backup.Reason.SCHEDULED, "wingu");
    Backup today = service.backup(siteId, Backup.Reason.SCHEDULED, "wingu");
    jdbi.useHandle(
        h -> {
          move(h, verifiedLongAgo, 40);
          move(h, underRestore, 30);
          move(h, expired, 20);
          h.execute("UPDATE backup SET restoring = true WHERE id = ?", underRestore.id());
        });

    assertThat(service.expire(1)).isEqualTo(1);

    assertThat(service.page(siteId, null, null, 10))
        .extracting(Backup::id)
        .containsExactlyInAnyOrder(today.id(), underRestore.id(), verifiedLongAgo.id());
    assertThatThrownBy(() -> store.download(expired.objectKey()).close())
        .as("gone from the store with its catalogue row")
        .hasMessageContaining("missing");
    try (InputStream kept = store.download(underRestore.objectKey())) {
      assertThat(kept.read()).isNotNegative();
    }
    // the platform's floor keeps every backup longer than the plan would
    Backup alsoOld = service.backup(siteId, Backup.Reason.SCHEDULED, "wingu");
    jdbi.useHandle(h -> move(h, alsoOld, 20));
    assertThat(service.expire(30)).isZero();
    assertThat(service.expire(1)).isEqualTo(1);
  }

  private static void move(org.jdbi.v3.core.Handle h, Backup b, int daysBack) {
    h.execute(
        "UPDATE backup SET started_at = now() - make_interval(days => ?) WHERE id = ?",
        daysBack,
        b.id());
  }

  @Test
  void theScheduleBacksUpADueSiteOnceAndRetentionKeepsTheNewestVerifiedBackup() throws Exception {
    assertThat(service.runSchedule(java.time.Duration.ofHours(24), 14)).isEqualTo(1);
    assertThat(service.runSchedule(java.time.Duration.ofHours(24), 14))
        .as("a second pass, as another replica would run it, finds the site backed up")
        .isZero();
    List<Backup> made = service.page(siteId, null, null, 10);
    assertThat(made).singleElement().satisfies(b -> assertThat(b.verified().ok()).isTrue());
    Backup older = made.get(0);
    Backup newer = service.backup(siteId, Backup.Reason.ON_DEMAND, "admin-a");
    assertThat(service.verify(siteId, newer.id()).ok()).isTrue();
    // both past retention, in the order they were made (now() would give both the same instant)
    jdbi.useHandle(
        h -> h.execute("UPDATE backup SET started_at = started_at - interval '30 days'"));

    assertThat(service.expire(14)).isEqualTo(1);

    assertThat(service.page(siteId, null, null, 10))
        .extracting(Backup::id)
        .containsExactly(newer.id());
    assertThatThrownBy(() -> store.download(older.objectKey()).close())
        .hasMessageContaining("missing");
  }

  // --- the tenant's data

  private void fillTenantDatabase() throws SQLException {
    try (Connection c = asTenant()) {
      TableContents.fill(c, MARKER);
    }
  }

  /** Every table's rows as text, in one order: equal maps mean equal table contents. */
  private Map<String, String> contents() throws SQLException {
    try (Connection c = asTenant()) {
      return TableContents.of(c);
    }
  }

  private Connection asTenant() throws SQLException {
    LocalPostgres pg = TenantDatabaseServer.get();
    return DriverManager.getConnection(pg.jdbcUrl(database), database, tenantPassword);
  }

  private Connection superuser(String db) throws SQLException {
    return tenantServer.connect(db);
  }

  private boolean exists(String catalogue, String column, String name) throws SQLException {
    try (Connection c = tenantServer.connect("postgres");
        var st = c.prepareStatement("SELECT 1 FROM " + catalogue + " WHERE " + column + " = ?")) {
      st.setString(1, name);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next();
      }
    }
  }

  private long scratchDatabases() throws SQLException {
    try (Connection c = tenantServer.connect("postgres");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*) FROM pg_database WHERE datname LIKE 'wingu\\_scratch\\_%'"
                    + " OR datname LIKE 'wingu\\_old\\_%'")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
