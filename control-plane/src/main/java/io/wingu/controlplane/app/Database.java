package io.wingu.controlplane.app;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's PostgreSQL: a connection pool, the migrations, and one way to run database
 * work off the event loop (a named worker pool as large as the connection pool). Stores write their
 * SQL with Jdbi (named parameters, rows mapped to records) on the {@link Handle} a service opens
 * with {@link #withHandle} or {@link #inTransaction}.
 */
public final class Database implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Database.class);

  /** A unit of JDBC work on one connection. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /** A unit of database work on one Jdbi handle (its connection, in a transaction or not). */
  @FunctionalInterface
  public interface HandleWork<T> {
    T run(Handle handle) throws SQLException;
  }

  private final HikariDataSource dataSource;
  private final WorkerExecutor workers;
  private final Jdbi jdbi;

  private final HikariDataSource schemaOwner;

  private Database(
      HikariDataSource dataSource, HikariDataSource schemaOwner, WorkerExecutor workers) {
    this.dataSource = dataSource;
    this.schemaOwner = schemaOwner;
    this.workers = workers;
    this.jdbi = jdbi(dataSource);
  }

  /**
   * Jdbi over a pool, configured as the stores expect; for work already off the event loop (the
   * reconciler's threads, benchmarks) that runs its handles synchronously.
   */
  public static Jdbi jdbi(DataSource dataSource) {
    return Jdbi.create(dataSource).installPlugin(new PostgresPlugin());
  }

  /**
   * Applies pending migrations as the migration (owner) role, grants the application role what it
   * needs, and opens the application's pool.
   */
  public static Database open(Vertx vertx, WinguConfig config, MeterRegistry registry) {
    String url =
        config
            .dbUrl()
            .orElseThrow(
                () ->
                    new StartupException(
                        "WINGU_DB_URL is not set: give the control plane's PostgreSQL as jdbc:postgresql://host:port/db (or run ./wingu dev)"));
    String migrationUser = config.dbMigrationUser().orElse(config.dbUser());
    if (migrationUser.equals(config.dbUser())) {
      LOG.warn(
          "the application connects as the schema owner '{}': set WINGU_DB_MIGRATION_USER so that the audit"
              + " log's immutability is enforced by the database",
          migrationUser);
    }
    // kept open (two connections: Flyway holds one for its lock): schema maintenance, such as new
    // partitions, needs the owner at run time too
    HikariDataSource owner =
        pool(
            "wingu-db-owner",
            url,
            migrationUser,
            config.dbMigrationPassword().or(config::dbPassword),
            2,
            null);
    try {
      migrate(owner, url);
      if (!migrationUser.equals(config.dbUser())) {
        DatabaseRoles.grantApplicationRole(owner, config.dbUser());
      }
    } catch (RuntimeException e) {
      owner.close();
      throw e;
    }
    HikariDataSource ds =
        pool("wingu-db", url, config.dbUser(), config.dbPassword(), config.dbPoolSize(), registry);
    return new Database(
        ds, owner, vertx.createSharedWorkerExecutor("wingu-db", config.dbPoolSize()));
  }

  private static HikariDataSource pool(
      String name,
      String url,
      String user,
      java.util.Optional<String> password,
      int size,
      MeterRegistry registry) {
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName(name);
    hikari.setJdbcUrl(url);
    hikari.setUsername(user);
    password.ifPresent(hikari::setPassword);
    hikari.setMaximumPoolSize(size);
    hikari.setConnectionTimeout(3_000);
    hikari.setValidationTimeout(2_000);
    // Start even when the database is down for a moment; /readyz reports it and the pool recovers.
    hikari.setInitializationFailTimeout(-1);
    if (registry != null) {
      hikari.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
    }
    return new HikariDataSource(hikari);
  }

  static void migrate(DataSource ds, String url) {
    try {
      var result =
          Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
      LOG.info(
          "database schema at version {} ({} migrations applied now)",
          result.targetSchemaVersion,
          result.migrationsExecuted);
    } catch (FlywayException e) {
      throw new StartupException(
          "cannot prepare the database at "
              + url
              + ": "
              + rootMessage(e)
              + " (check WINGU_DB_URL, WINGU_DB_USER and WINGU_DB_PASSWORD)",
          e);
    }
  }

  /**
   * Runs work on one handle on the database worker pool; the future completes on the caller's
   * context. A refused unique or exclusion constraint the table knows fails it as a {@link
   * DomainError.Conflict} (see {@link ConstraintConflicts}), the one place such SQL states become
   * answers.
   */
  public <T> Future<T> withHandle(HandleWork<T> work) {
    return onWorkers(() -> jdbi.withHandle(work::run));
  }

  /** Runs work in one transaction, committed when it returns and rolled back when it throws. */
  public <T> Future<T> inTransaction(HandleWork<T> work) {
    return onWorkers(() -> jdbi.inTransaction(work::run));
  }

  /** Plain JDBC work on one connection: {@link #withHandle} for code not yet moved to Jdbi. */
  public <T> Future<T> call(Work<T> work) {
    return withHandle(h -> work.run(h.getConnection()));
  }

  /** Plain JDBC work in one transaction: {@link #inTransaction} for code not yet moved to Jdbi. */
  public <T> Future<T> transaction(Work<T> work) {
    return inTransaction(h -> work.run(h.getConnection()));
  }

  /**
   * The pool's Jdbi, for work already off the event loop that runs a handle synchronously (a
   * renderer reading a site's file while it renders).
   */
  public Jdbi jdbi() {
    return jdbi;
  }

  private <T> Future<T> onWorkers(java.util.concurrent.Callable<T> work) {
    return workers.executeBlocking(
        () -> {
          try {
            return work.call();
          } catch (Exception e) {
            SQLException sql = sqlCause(e);
            if (sql == null) {
              throw e;
            }
            throw ConstraintConflicts.of(sql).<Exception>map(conflict -> conflict).orElse(e);
          }
        },
        false);
  }

  /** The SQL error behind an exception, also when Jdbi has wrapped it. */
  private static SQLException sqlCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException sql) {
        return sql;
      }
    }
    return null;
  }

  /** Closes idle pooled connections (and in-use ones when returned), e.g. after a failover. */
  public void evictIdleConnections() {
    dataSource.getHikariPoolMXBean().softEvictConnections();
  }

  /** The schema owner's connection, for schema maintenance only (never for requests). */
  public DataSource schemaOwner() {
    return schemaOwner;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  @Override
  public void close() {
    workers.close();
    dataSource.close();
    schemaOwner.close();
  }

  public static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage();
    return m == null ? t.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
  }
}
