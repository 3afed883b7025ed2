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
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
        Clock.systemUTC());
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

    assertThat(service.expire(java.time.Instant.now().minus(java.time.Duration.ofDays(14))))
        .isEqualTo(1);

    assertThat(service.page(siteId, null, null, 10))
        .extracting(Backup::id)
        .containsExactly(newer.id());
    assertThatThrownBy(() -> store.download(older.objectKey()).close())
        .hasMessageContaining("missing");
  }

  // --- the tenant's data

  private void fillTenantDatabase() throws SQLException {
    try (Connection c = asTenant();
        Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE people (id serial PRIMARY KEY, name text NOT NULL, born date,"
              + " photo bytea, note jsonb)");
      st.execute(
          "INSERT INTO people (name, born, photo, note) VALUES"
              + " ('Amani', '1980-01-01', '\\x00ff10', '{\"a\": [1, 2]}'),"
              + " ('Asha', NULL, NULL, NULL),"
              + " ('Juma ''Mkubwa''', '1975-12-31', '\\x', '\"habari\"'),"
              + " ('Neema — ñ ü 漢字', '2000-06-15', decode('deadbeef', 'hex'), '{}')");
      st.execute(
          "CREATE TABLE documents (id bigint PRIMARY KEY, body text, amount numeric(12, 2),"
              + " at timestamptz)");
      st.execute(
          "INSERT INTO documents SELECT g, '"
              + MARKER
              + " ' || g, g * 1.25, '2026-01-01T00:00:00Z'::timestamptz + g * interval '1 hour'"
              + " FROM generate_series(1, 500) g");
      st.execute("CREATE SCHEMA archive");
      st.execute("CREATE TABLE archive.letters (id int, subject text)");
      st.execute("INSERT INTO archive.letters VALUES (1, 'barua'), (2, NULL), (3, E'tab\\there')");
    }
  }

  /** Every table's rows as text, in one order: equal maps mean equal table contents. */
  private Map<String, String> contents() throws SQLException {
    Map<String, String> out = new LinkedHashMap<>();
    try (Connection c = asTenant();
        Statement st = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs =
          st.executeQuery(
              "SELECT schemaname || '.' || tablename FROM pg_tables"
                  + " WHERE schemaname IN ('public', 'archive') ORDER BY 1")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      for (String t : tables) {
        try (ResultSet rs =
            st.executeQuery(
                "SELECT coalesce(string_agg(r::text, E'\\n' ORDER BY r::text), '') FROM "
                    + t
                    + " r")) {
          rs.next();
          out.put(t, rs.getString(1));
        }
      }
      try (ResultSet rs = st.executeQuery("SELECT last_value FROM people_id_seq")) {
        rs.next();
        out.put("people_id_seq", rs.getString(1));
      }
    }
    return out;
  }

  private Connection asTenant() throws SQLException {
    LocalPostgres pg = TenantDatabaseServer.get();
    return DriverManager.getConnection(pg.jdbcUrl(database), database, tenantPassword);
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
