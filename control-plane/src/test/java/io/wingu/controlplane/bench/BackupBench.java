package io.wingu.controlplane.bench;

import io.wingu.controlplane.app.Database;
import io.wingu.controlplane.app.WinguConfig;
import io.wingu.controlplane.audit.AuditLog;
import io.wingu.controlplane.backups.Backup;
import io.wingu.controlplane.backups.BackupKeys;
import io.wingu.controlplane.backups.BackupService;
import io.wingu.controlplane.backups.ObjectStore;
import io.wingu.controlplane.backups.TenantServer;
import io.wingu.controlplane.provisioning.TenantDatabases;
import io.wingu.controlplane.testing.BackupParts;
import io.wingu.controlplane.testing.FreePort;
import io.wingu.controlplane.testing.TempDirs;
import io.wingu.dev.LocalPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The backup benchmark on real parts: a tenant database of {@code bench.mb} MiB (1 GiB by default)
 * on the embedded PostgreSQL 17 server, backed up by Wingu (pg_dump custom format → Tink
 * AES-256-GCM streaming → multipart upload to versitygw on loopback) next to plain {@code pg_dump |
 * gzip} to a file and {@code pg_dump -Fc} to a file, then restored by Wingu in place (integrity
 * check, safety backup, restore into a scratch database, row counts, swap) next to a plain {@code
 * pg_restore} of the file into an empty database, and one verification. Every figure comes from the
 * same run on the same database. Run it with bench/backups/run.sh.
 */
public final class BackupBench {

  public static void main(String[] args) throws Exception {
    int mb = Integer.parseInt(System.getProperty("bench.mb", "1024"));
    Path dir = TempDirs.create("wingu-backup-bench");
    String pgBin = BackupParts.pgBin();
    try (LocalPostgres pg =
        LocalPostgres.start(dir.resolve("pg"), FreePort.find(), "bench-superuser-password")) {
      PGSimpleDataSource admin = new PGSimpleDataSource();
      admin.setUrl(pg.jdbcUrl("postgres"));
      admin.setUser(LocalPostgres.SUPERUSER);
      admin.setPassword(pg.superuserPassword());
      try (Connection c = admin.getConnection();
          Statement st = c.createStatement()) {
        st.execute("CREATE DATABASE wingu_catalogue");
      }
      PGSimpleDataSource catalogue = new PGSimpleDataSource();
      catalogue.setUrl(pg.jdbcUrl("wingu_catalogue"));
      catalogue.setUser(LocalPostgres.SUPERUSER);
      catalogue.setPassword(pg.superuserPassword());
      Flyway.configure().dataSource(catalogue).load().migrate();

      String database = "t_bench__portal";
      String password =
          new TenantDatabases(admin, null, "127.0.0.1", 0).ensureOnServer(database, 20, true);
      UUID siteId = BackupParts.insertSite(catalogue, "bench", database);
      long t0 = System.nanoTime();
      fill(pg, database, password, mb);
      long bytes = databaseBytes(admin, database);
      System.out.printf(
          "machine: %d cores; PostgreSQL 17 server, pg_dump/pg_restore 18, versitygw on loopback,"
              + " all on this machine%n",
          Runtime.getRuntime().availableProcessors());
      System.out.printf(
          "tenant database: %.0f MiB (pg_database_size), filled in %.1f s%n",
          bytes / 1048576.0, seconds(t0));

      Map<String, String> env = new java.util.HashMap<>();
      Path key = dir.resolve("keyset.json");
      BackupKeys.generate(key);
      env.putAll(BackupParts.env(key, "bench-backups"));
      WinguConfig.Backups config = WinguConfig.from(env).backups();
      ObjectStore store = ObjectStore.of(config);
      store.ensureBucket();
      BackupService service =
          new BackupService(
              Database.jdbi(catalogue),
              store,
              BackupKeys.load(key),
              TenantServer.of(
                  pg.jdbcUrl("postgres"), LocalPostgres.SUPERUSER, pg.superuserPassword()),
              config.pgBin(),
              new AuditLog(Clock.systemUTC()),
              Clock.systemUTC(),
              site -> {});

      Map<String, String> pgEnv = Map.of("PGPASSWORD", pg.superuserPassword());
      List<String> conn = List.of("--host=127.0.0.1", "--port=" + pg.port(), "--username=postgres");
      Path gz = dir.resolve("plain.sql.gz");
      Path custom = dir.resolve("plain.dump");

      long p0 = System.nanoTime();
      shell(
          pgEnv, pgBin + "/pg_dump " + String.join(" ", conn) + " " + database + " | gzip > " + gz);
      double plainGzip = seconds(p0);
      long c0 = System.nanoTime();
      shell(
          pgEnv,
          pgBin
              + "/pg_dump --format=custom "
              + String.join(" ", conn)
              + " "
              + database
              + " > "
              + custom);
      double plainCustom = seconds(c0);

      long w0 = System.nanoTime();
      Backup b = service.backup(siteId, Backup.Reason.ON_DEMAND, "bench");
      double wingu = seconds(w0);
      if (b.status() != Backup.Status.SUCCEEDED) {
        throw new IllegalStateException("the backup failed: " + b.error());
      }

      try (Connection c = admin.getConnection();
          Statement st = c.createStatement()) {
        st.execute("CREATE DATABASE plain_restore OWNER " + database);
      }
      long r0 = System.nanoTime();
      shell(
          pgEnv,
          pgBin
              + "/pg_restore --exit-on-error --no-owner --role="
              + database
              + " "
              + String.join(" ", conn)
              + " --dbname=plain_restore "
              + custom);
      double plainRestore = seconds(r0);
      try (Connection c = admin.getConnection();
          Statement st = c.createStatement()) {
        st.execute("DROP DATABASE plain_restore WITH (FORCE)");
      }

      long v0 = System.nanoTime();
      Backup.Verification v = service.verify(siteId, b.id());
      double verify = seconds(v0);
      if (!v.ok()) {
        throw new IllegalStateException("the verification failed: " + v.detail());
      }

      long i0 = System.nanoTime();
      service.restoreInPlace(siteId, b.id(), "bench", "bench");
      double restore = seconds(i0);

      double mib = bytes / 1048576.0;
      System.out.printf(
          "backup, database MiB/s: wingu (pg_dump -Fc, encrypt, upload) %.1f s = %.1f MB/s;"
              + " plain pg_dump | gzip to a file %.1f s = %.1f MB/s (wingu %.2fx);"
              + " plain pg_dump -Fc to a file %.1f s = %.1f MB/s%n",
          wingu,
          mib / wingu,
          plainGzip,
          mib / plainGzip,
          plainGzip / wingu,
          plainCustom,
          mib / plainCustom);
      System.out.printf(
          "sizes: encrypted object %.0f MiB; plain .sql.gz %.0f MiB; plain -Fc %.0f MiB%n",
          b.sizeBytes() / 1048576.0, Files.size(gz) / 1048576.0, Files.size(custom) / 1048576.0);
      System.out.printf(
          "restore: wingu in place %.1f s (check the stored object, safety backup, restore into a"
              + " scratch database, count rows, swap); plain pg_restore of the -Fc file into an"
              + " empty database %.1f s%n",
          restore, plainRestore);
      System.out.printf(
          "verify one backup (download, decrypt, restore into scratch, count rows, drop): %.1f s"
              + " (%s)%n",
          verify, v.detail());
    } finally {
      TempDirs.delete(dir);
    }
  }

  /** Rows of mixed kinds, as a site's database holds them: text, numbers, times, JSON. */
  private static void fill(LocalPostgres pg, String database, String password, int mb)
      throws Exception {
    try (Connection c =
            java.sql.DriverManager.getConnection(pg.jdbcUrl(database), database, password);
        Statement st = c.createStatement()) {
      st.execute("SET statement_timeout = 0");
      st.execute(
          "CREATE TABLE documents (id bigint PRIMARY KEY, title text, body text,"
              + " amount numeric(14, 2), at timestamptz, meta jsonb)");
      st.execute("CREATE TABLE people (id bigint PRIMARY KEY, name text, email text, born date)");
      // a document row and its share of people take about 0.82 KiB on disk (856 MiB measured for
      // 943,718 rows): this many make about mb MiB; 10 batches
      long rows = (long) mb * 1024L * 108 / 100;
      long batch = Math.max(1, rows / 10);
      for (long from = 1; from <= rows; from += batch) {
        long to = Math.min(rows, from + batch - 1);
        st.execute(
            "INSERT INTO documents SELECT g, 'Taarifa ya ' || g,"
                + " md5(g::text) || ' ' || repeat(md5((g * 7)::text) || ' habari za wiki ', 14),"
                + " (g % 100000) / 3.0, timestamptz '2020-01-01' + g * interval '1 minute',"
                + " jsonb_build_object('region', g % 31, 'tag', md5((g % 977)::text))"
                + " FROM generate_series("
                + from
                + ", "
                + to
                + ") g");
      }
      st.execute(
          "INSERT INTO people SELECT g, 'Mtu ' || g, 'mtu' || g || '@example.go.tz',"
              + " date '1950-01-01' + (g % 20000) FROM generate_series(1, "
              + Math.max(1, rows / 10)
              + ") g");
      st.execute("ANALYZE");
    }
  }

  private static long databaseBytes(PGSimpleDataSource admin, String database) throws Exception {
    try (Connection c = admin.getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT pg_database_size('" + database + "')")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void shell(Map<String, String> env, String command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bash", "-o", "pipefail", "-c", command);
    pb.environment().putAll(env);
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT);
    int exit = pb.start().waitFor();
    if (exit != 0) {
      throw new IllegalStateException("failed (exit " + exit + "): " + command);
    }
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
