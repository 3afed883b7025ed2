package io.wingu.controlplane.app;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The application role owns nothing and is no superuser: it gets row access to every table, and on
 * the audit log and published scorecards only SELECT and INSERT, so UPDATE, DELETE and TRUNCATE of
 * those rows are refused by PostgreSQL itself. Run as the owner after every migration (idempotent).
 */
public final class DatabaseRoles {

  private DatabaseRoles() {}

  public static void grantApplicationRole(DataSource owner, String appRole) {
    if (!appRole.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new StartupException(
          "WINGU_DB_USER '"
              + appRole
              + "' must be a plain role name (lowercase letters, digits, _)");
    }
    try (Connection c = owner.getConnection();
        var st = c.createStatement()) {
      st.execute("GRANT USAGE ON SCHEMA public TO " + appRole);
      st.execute(
          "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " + appRole);
      st.execute("REVOKE UPDATE, DELETE, TRUNCATE ON audit_event FROM " + appRole);
      st.execute(
          "REVOKE UPDATE, DELETE, TRUNCATE ON scorecard_publication, scorecard_entry FROM "
              + appRole);
      st.execute(
          "REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON flyway_schema_history FROM " + appRole);
      st.execute("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO " + appRole);
    } catch (SQLException e) {
      throw new StartupException(
          "cannot grant the application role '"
              + appRole
              + "' its privileges: "
              + e.getMessage()
              + " (check WINGU_DB_USER and WINGU_DB_MIGRATION_USER)",
          e);
    }
  }
}
