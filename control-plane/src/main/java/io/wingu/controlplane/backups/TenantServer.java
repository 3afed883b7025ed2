package io.wingu.controlplane.backups;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;

/**
 * The shared PostgreSQL server of the tenant databases as the control plane reaches it, with the
 * role that makes them (it dumps and restores them too).
 */
public record TenantServer(String host, int port, String user, String password) {

  /** From WINGU_TENANT_DB_URL ({@code jdbc:postgresql://host:port/db}) and its credentials. */
  public static TenantServer of(String jdbcUrl, String user, String password) {
    URI where = URI.create(jdbcUrl.substring("jdbc:".length()));
    return new TenantServer(
        where.getHost(), where.getPort() > 0 ? where.getPort() : 5432, user, password);
  }

  /** The server's maintenance database as a data source, for the provisioning of databases. */
  javax.sql.DataSource dataSource() {
    return new Maintenance(this);
  }

  /** A connection to one database of the server. */
  Connection connect(String database) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    if (password != null) {
      p.setProperty("password", password);
    }
    return DriverManager.getConnection(
        "jdbc:postgresql://" + host + ":" + port + "/" + database, p);
  }

  /** Connections to the server's {@code postgres} database, one new connection each time. */
  private record Maintenance(TenantServer server) implements javax.sql.DataSource {

    @Override
    public Connection getConnection() throws SQLException {
      return server.connect("postgres");
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
      return new TenantServer(server.host(), server.port(), user, password).connect("postgres");
    }

    @Override
    public java.io.PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(java.io.PrintWriter out) {
      // DriverManager logs, if anything
    }

    @Override
    public void setLoginTimeout(int seconds) {
      DriverManager.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() {
      return DriverManager.getLoginTimeout();
    }

    @Override
    public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
      throw new SQLFeatureNotSupportedException("no parent logger");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
      throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
      return false;
    }
  }
}
