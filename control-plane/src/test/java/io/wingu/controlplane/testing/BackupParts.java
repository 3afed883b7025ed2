package io.wingu.controlplane.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The real parts backups need in a test JVM: an S3-compatible server (versitygw, posix backend, on
 * loopback) and the PostgreSQL 18 client. Each comes from the project's own script, or from the
 * path `./wingu test` exported (WINGU_VERSITYGW, WINGU_PG_BIN).
 */
public final class BackupParts {

  public static final String ACCESS_KEY = "wingu-test-access";
  public static final String SECRET_KEY = "wingu-test-secret-key";
  private static String endpoint;

  private BackupParts() {}

  /** The S3 endpoint of the JVM's one versitygw, started on first use. */
  public static synchronized String s3Endpoint() {
    if (endpoint == null) {
      String binary = fromEnvOrScript("WINGU_VERSITYGW", "s3-server.sh");
      Path root = TempDirs.create("wingu-s3");
      int port = FreePort.find();
      try {
        Path log = root.resolve("versitygw.log");
        Path data = Files.createDirectories(root.resolve("data"));
        Process p =
            new ProcessBuilder(
                    List.of(
                        binary,
                        "--access",
                        ACCESS_KEY,
                        "--secret",
                        SECRET_KEY,
                        "--port",
                        "127.0.0.1:" + port,
                        "--quiet",
                        "posix",
                        "--sidecar",
                        Files.createDirectories(root.resolve("meta")).toString(),
                        data.toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
        Eventually.holds(
            "versitygw listens on 127.0.0.1:" + port + " (log: " + log + ")",
            () -> {
              if (!p.isAlive()) {
                throw new IllegalStateException(
                    "versitygw exited: " + Files.readString(log, StandardCharsets.UTF_8));
              }
              try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return true;
              } catch (IOException e) {
                return false;
              }
            },
            Duration.ofSeconds(30));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      endpoint = "http://127.0.0.1:" + port;
    }
    return endpoint;
  }

  /** The folder of pg_dump and pg_restore 18. */
  public static synchronized String pgBin() {
    return fromEnvOrScript("WINGU_PG_BIN", "pg-client.sh");
  }

  /** The WINGU_BACKUP_* variables for the test store and a fresh key file in {@code dir}. */
  public static Map<String, String> env(Path keyFile, String bucket) {
    Map<String, String> env = new HashMap<>();
    env.put("WINGU_BACKUP_S3_ENDPOINT", s3Endpoint());
    env.put("WINGU_BACKUP_S3_BUCKET", bucket);
    env.put("WINGU_BACKUP_S3_ACCESS_KEY", ACCESS_KEY);
    env.put("WINGU_BACKUP_S3_SECRET_KEY", SECRET_KEY);
    env.put("WINGU_BACKUP_KEY_FILE", keyFile.toString());
    env.put("WINGU_PG_BIN", pgBin());
    return env;
  }

  /**
   * The environment of a control plane on the suite's parts with backups on: the tenant database
   * server, this store (bucket {@code bucket}), a new keyset, no scheduled backups.
   */
  public static Map<String, String> controlPlaneEnv(String name, String bucket) {
    Path keys = TempDirs.create("wingu-backup-keys").resolve("keyset.json");
    try {
      io.wingu.controlplane.backups.BackupKeys.generate(keys);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> env = new HashMap<>(TestControlPlane.env(name));
    env.putAll(TenantDatabaseServer.env());
    env.putAll(env(keys, bucket));
    env.put("WINGU_BACKUP_EVERY_HOURS", "0");
    env.put("WINGU_LOGIN_RATE", "10000");
    return env;
  }

  private static String fromEnvOrScript(String variable, String script) {
    String v = System.getenv(variable);
    if (v != null && !v.isBlank()) {
      return v;
    }
    try {
      Process p =
          new ProcessBuilder("bash", Path.of("..", "scripts", script).toString())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (p.waitFor() != 0) {
        throw new IllegalStateException("scripts/" + script + " failed");
      }
      return out.lines().reduce((a, b) -> b).orElseThrow();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * An institution with one approved, active site whose database is {@code database}: the rows a
   * backup needs, written straight into the control plane's tables.
   */
  public static UUID insertSite(DataSource owner, String code, String database)
      throws SQLException {
    UUID institution = UUID.randomUUID();
    UUID request = UUID.randomUUID();
    UUID site = UUID.randomUUID();
    String plan = "00000000-0000-4000-8000-000000000001";
    try (Connection c = owner.getConnection();
        Statement st = c.createStatement()) {
      st.execute(
          "INSERT INTO institution (id, code, name, name_sw, contact_email, created_at) VALUES ('"
              + institution
              + "', '"
              + code
              + "', 'Backup test', 'Jaribio', 'ict@example.go.tz', now())");
      st.execute(
          "INSERT INTO hosting_request (id, institution_id, site_name, hostnames, plan_id,"
              + " justification, status, cpu_millis, memory_bytes, storage_bytes, site_id,"
              + " created_by, created_at, updated_at) VALUES ('"
              + request
              + "', '"
              + institution
              + "', 'portal', '{}', '"
              + plan
              + "', 'test', 'APPROVED', 500, 536870912, 5368709120, '"
              + site
              + "', 'test', now(), now())");
      st.execute(
          "INSERT INTO site (id, institution_id, request_id, name, hostnames, plan_id, cpu_millis,"
              + " memory_bytes, storage_bytes, status, database_name, created_at, updated_at)"
              + " VALUES ('"
              + site
              + "', '"
              + institution
              + "', '"
              + request
              + "', 'portal', '{}', '"
              + plan
              + "', 500, 536870912, 5368709120, 'ACTIVE', '"
              + database
              + "', now(), now())");
    }
    return site;
  }
}
