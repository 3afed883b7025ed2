package io.wingu.controlplane.provisioning;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Tenant databases on the shared PostgreSQL server: one role and one database per approved
 * database, nobody else may connect, and the credentials exist only in the tenant's Secret.
 */
public final class TenantDatabases {

  private static final int MAX_IDENTIFIER_BYTES = 63;
  private static final String STATEMENT_TIMEOUT = "30s";
  private static final Set<String> SECRET_KEYS =
      Set.of("host", "port", "database", "username", "password", "jdbc-url", "uri");

  private final DataSource admin;
  private final KubernetesClient client;
  private final String host;
  private final int port;
  private final SecureRandom random = new SecureRandom();

  public TenantDatabases(DataSource admin, KubernetesClient client, String host, int port) {
    this.admin = admin;
    this.client = client;
    this.host = host;
    this.port = port;
  }

  /**
   * The name of a site's role and database: from the institution code and the site name, so two
   * institutions' "portal" sites never collide, within PostgreSQL's 63-byte limit.
   */
  public static String identifier(Tenant t, Tenant.Site s) {
    String name = "t_" + t.code().replace('-', '_') + "__" + s.name().replace('-', '_');
    if (name.length() <= MAX_IDENTIFIER_BYTES) {
      return name;
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
      return name.substring(0, MAX_IDENTIFIER_BYTES - 9)
          + "_"
          + HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Nobody connects to the server's own databases (postgres, templates, others) through PUBLIC. */
  public void lockDownServer() throws SQLException {
    try (Connection c = admin.getConnection();
        var st = c.createStatement();
        ResultSet rs =
            c.createStatement()
                .executeQuery("SELECT datname FROM pg_database WHERE datname NOT LIKE 't\\_%'")) {
      while (rs.next()) {
        st.execute(
            "REVOKE CONNECT, TEMPORARY ON DATABASE " + quote(rs.getString(1)) + " FROM PUBLIC");
      }
    }
  }

  /**
   * Makes the site's role and database exist with their limits; when the Secret is missing (first
   * time, or someone deleted it) a new password is set and the Secret written. Returns the name.
   */
  public String ensure(Tenant t, Tenant.Site s) throws SQLException {
    String name = identifier(t, s);
    boolean secretComplete = secretComplete(t, DatabaseSecrets.name(s));
    String password = ensureOnServer(name, s.database().connectionLimit(), !secretComplete);
    if (password != null) {
      writeSecret(t, s, DatabaseSecrets.name(s), name, password);
    }
    return name;
  }

  /**
   * A database a restore made beside the site's (its role of the same name): when its Secret is
   * missing, the role gets a new password and the Secret {@code secretName} is written, as for the
   * site's own database. Returns false, writing nothing, when the role is gone.
   */
  public boolean ensureRestored(Tenant t, Tenant.Site s, String name, String secretName)
      throws SQLException {
    if (secretComplete(t, secretName)) {
      return true;
    }
    try (Connection c = admin.getConnection();
        var exists = c.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
      exists.setString(1, name);
      try (ResultSet rs = exists.executeQuery()) {
        if (!rs.next()) {
          return false;
        }
      }
    }
    String password = ensureOnServer(name, s.database().connectionLimit(), true);
    writeSecret(t, s, secretName, name, password);
    return true;
  }

  private boolean secretComplete(Tenant t, String secretName) {
    Secret existing = client.secrets().inNamespace(t.namespace()).withName(secretName).get();
    return existing != null
        && existing.getData() != null
        && existing.getData().keySet().containsAll(SECRET_KEYS);
  }

  private void writeSecret(
      Tenant t, Tenant.Site s, String secretName, String name, String password) {
    client
        .resource(
            DatabaseSecrets.desired(
                t,
                s,
                secretName,
                new DatabaseSecrets.Credentials(host, port, name, name, password)))
        .fieldManager(Labels.FIELD_MANAGER)
        .forceConflicts()
        .serverSideApply();
  }

  /**
   * The server side of {@link #ensure}: role, limits, database and revoked PUBLIC access, each
   * changed only when the one read of the catalogue says it differs. Returns the role's new
   * password when one was set — asked for ({@code newPassword}: the Secret is missing) or because
   * the role had to be made — for the Secret; null when the role kept its password.
   */
  public String ensureOnServer(String name, int connectionLimit, boolean newPassword)
      throws SQLException {
    try (Connection c = admin.getConnection();
        var st = c.createStatement()) {
      ServerState state = ServerState.read(c, name, connectionLimit);
      String password = null;
      if (!state.role() || newPassword) {
        password = newPassword();
        st.execute(
            (state.role() ? "ALTER ROLE " : "CREATE ROLE ")
                + quote(name)
                + " LOGIN NOSUPERUSER NOCREATEDB"
                + " NOCREATEROLE NOINHERIT PASSWORD "
                + literal(password));
      }
      if (!state.connectionLimit()) {
        st.execute("ALTER ROLE " + quote(name) + " CONNECTION LIMIT " + connectionLimit);
      }
      if (!state.statementTimeout()) {
        st.execute(
            "ALTER ROLE " + quote(name) + " SET statement_timeout = '" + STATEMENT_TIMEOUT + "'");
      }
      if (!state.database()) {
        st.execute("CREATE DATABASE " + quote(name) + " OWNER " + quote(name));
      }
      if (!state.database() || !state.publicRevoked()) {
        st.execute("REVOKE ALL ON DATABASE " + quote(name) + " FROM PUBLIC");
      }
      return password;
    }
  }

  /** What the server holds for one tenant database, in one round trip. */
  private record ServerState(
      boolean role,
      boolean connectionLimit,
      boolean statementTimeout,
      boolean database,
      boolean publicRevoked) {

    static ServerState read(Connection c, String name, int connectionLimit) throws SQLException {
      try (var st =
          c.prepareStatement(
              "WITH p (name, conn_limit, setting) AS (VALUES (?::text, ?::int, ?::text))"
                  + " SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p.name),"
                  + " EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p.name AND rolconnlimit = p.conn_limit),"
                  + " EXISTS (SELECT 1 FROM pg_db_role_setting r JOIN pg_roles o ON o.oid = r.setrole"
                  + "   WHERE o.rolname = p.name AND r.setdatabase = 0 AND p.setting = ANY (r.setconfig)),"
                  + " EXISTS (SELECT 1 FROM pg_database WHERE datname = p.name),"
                  // a NULL acl means the defaults, which let PUBLIC connect; grantee 0 is PUBLIC
                  + " EXISTS (SELECT 1 FROM pg_database d WHERE datname = p.name AND datacl IS NOT NULL"
                  + "   AND NOT EXISTS (SELECT 1 FROM aclexplode(d.datacl) a WHERE a.grantee = 0))"
                  + " FROM p")) {
        st.setString(1, name);
        st.setInt(2, connectionLimit);
        st.setString(3, "statement_timeout=" + STATEMENT_TIMEOUT);
        try (ResultSet rs = st.executeQuery()) {
          rs.next();
          return new ServerState(
              rs.getBoolean(1),
              rs.getBoolean(2),
              rs.getBoolean(3),
              rs.getBoolean(4),
              rs.getBoolean(5));
        }
      }
    }
  }

  /** Drops a database and its role; connections still open are ended. */
  public void drop(String name) throws SQLException {
    try (Connection c = admin.getConnection();
        var st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + quote(name) + " WITH (FORCE)");
      st.execute("DROP ROLE IF EXISTS " + quote(name));
    }
  }

  /** Bytes the database occupies, for usage. */
  public long sizeBytes(String name) throws SQLException {
    try (Connection c = admin.getConnection();
        var st = c.prepareStatement("SELECT pg_database_size(?)")) {
      st.setString(1, name);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private String newPassword() {
    byte[] bytes = new byte[32]; // 256 bits of entropy
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  private static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }
}
