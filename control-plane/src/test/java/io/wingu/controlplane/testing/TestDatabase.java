package io.wingu.controlplane.testing;

import io.wingu.dev.LocalPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The one PostgreSQL server of a test JVM. Testcontainers' PostgreSQL where a Docker engine
 * answers, otherwise the embedded real PostgreSQL; tests only see a JDBC URL and credentials. Each
 * caller gets a database of its own on that server.
 */
public final class TestDatabase {

  /** Where and how to connect. */
  public record Server(String host, int port, String user, String password) {
    public String jdbcUrl(String database) {
      return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }
  }

  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static Server server;

  private TestDatabase() {}

  public static synchronized Server server() {
    if (server == null) {
      server = dockerAvailable() ? startContainer() : startEmbedded();
    }
    return server;
  }

  /** A fresh, empty database on the shared server; returns its JDBC URL. */
  public static String newDatabase(String prefix) {
    Server s = server();
    String name =
        prefix.toLowerCase().replaceAll("[^a-z0-9_]", "_")
            + "_"
            + COUNTER.incrementAndGet()
            + "_"
            + ProcessHandle.current().pid();
    try (Connection c = DriverManager.getConnection(s.jdbcUrl("postgres"), s.user(), s.password());
        var st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database " + name, e);
    }
    return s.jdbcUrl(name);
  }

  public static final String OWNER_ROLE = "wingu_test_owner";
  public static final String APP_ROLE = "wingu_test_app";
  public static final String ROLE_PASSWORD = "test-role-password-1";
  private static boolean rolesCreated;

  /**
   * A fresh database owned by a schema-owner role, with the WINGU_DB_* variables that make the
   * control plane migrate as that owner and run as an application role that owns nothing.
   */
  public static synchronized java.util.Map<String, String> applicationEnv(String prefix) {
    Server s = server();
    String name =
        prefix.toLowerCase().replaceAll("[^a-z0-9_]", "_")
            + "_"
            + COUNTER.incrementAndGet()
            + "_"
            + ProcessHandle.current().pid();
    try (Connection c = DriverManager.getConnection(s.jdbcUrl("postgres"), s.user(), s.password());
        var st = c.createStatement()) {
      if (!rolesCreated) {
        for (String role : new String[] {OWNER_ROLE, APP_ROLE}) {
          try (var rs = st.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + role + "'")) {
            if (!rs.next()) {
              st.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + ROLE_PASSWORD + "'");
            }
          }
        }
        rolesCreated = true;
      }
      st.execute("CREATE DATABASE " + name + " OWNER " + OWNER_ROLE);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database " + name, e);
    }
    return java.util.Map.of(
        "WINGU_DB_URL",
        s.jdbcUrl(name),
        "WINGU_DB_USER",
        APP_ROLE,
        "WINGU_DB_PASSWORD",
        ROLE_PASSWORD,
        "WINGU_DB_MIGRATION_USER",
        OWNER_ROLE,
        "WINGU_DB_MIGRATION_PASSWORD",
        ROLE_PASSWORD);
  }

  /** A superuser connection to one database of the shared server (tests that tamper with rows). */
  public static Connection superuser(String jdbcUrl) throws SQLException {
    Server s = server();
    return DriverManager.getConnection(jdbcUrl, s.user(), s.password());
  }

  private static boolean dockerAvailable() {
    if (System.getenv("DOCKER_HOST") == null
        && !java.nio.file.Files.exists(Path.of("/var/run/docker.sock"))) {
      return false; // no engine to ask: spare the log Testcontainers' failed probes
    }
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException e) {
      return false;
    }
  }

  @SuppressWarnings("resource")
  private static Server startContainer() {
    PostgreSQLContainer pg = new PostgreSQLContainer("postgres:17-alpine");
    pg.start();
    Runtime.getRuntime().addShutdownHook(new Thread(pg::stop));
    return new Server(pg.getHost(), pg.getFirstMappedPort(), pg.getUsername(), pg.getPassword());
  }

  private static Server startEmbedded() {
    try {
      Path dir = TempDirs.create("wingu-test-pg");
      LocalPostgres pg =
          LocalPostgres.start(dir.resolve("data"), FreePort.find(), "test-" + System.nanoTime());
      Runtime.getRuntime().addShutdownHook(new Thread(pg::close));
      return new Server("127.0.0.1", pg.port(), LocalPostgres.SUPERUSER, pg.superuserPassword());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded test PostgreSQL", e);
    }
  }
}
