package io.wingu.controlplane.testing;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

/**
 * Delegated domains as a database from before V11 may hold them: overlapping another institution's.
 * Written straight into PostgreSQL with the overlap trigger switched off inside the one
 * transaction, so no other session ever sees it off.
 */
public final class LegacyDelegations {

  private LegacyDelegations() {}

  /** Gives {@code institutionId} the (normalised) {@code domain}, overlaps or not. */
  public static void insert(Map<String, String> env, String institutionId, String domain)
      throws SQLException {
    try (var c =
        DriverManager.getConnection(
            env.get("WINGU_DB_URL"),
            env.get("WINGU_DB_MIGRATION_USER"),
            env.get("WINGU_DB_MIGRATION_PASSWORD"))) {
      c.setAutoCommit(false);
      try (var st = c.createStatement()) {
        st.execute("ALTER TABLE institution_domain DISABLE TRIGGER institution_domain_no_overlap");
      }
      try (var st =
          c.prepareStatement(
              "INSERT INTO institution_domain (domain, institution_id) VALUES (?, ?::uuid)")) {
        st.setString(1, domain);
        st.setString(2, institutionId);
        st.executeUpdate();
      }
      try (var st = c.createStatement()) {
        st.execute("ALTER TABLE institution_domain ENABLE TRIGGER institution_domain_no_overlap");
      }
      c.commit();
    }
  }
}
