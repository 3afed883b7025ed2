package io.wingu.controlplane.backups;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
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
}
