package io.wingu.controlplane.provisioning;

import io.vertx.core.json.JsonArray;
import io.wingu.controlplane.app.Database;
import io.wingu.controlplane.institutions.DnsNames;
import io.wingu.controlplane.institutions.InstitutionService;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL the reconciler reads desired state with and writes status back through. */
public final class TenantStore {

  /** The tenant with every site that still has something in the cluster. */
  public Optional<Tenant> load(Connection c, UUID institutionId) throws SQLException {
    String code;
    try (var st = c.prepareStatement("SELECT code FROM institution WHERE id = ?")) {
      st.setObject(1, institutionId);
      try (ResultSet rs = st.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        code = rs.getString(1);
      }
    }
    List<String> domains = new ArrayList<>();
    try (var st =
        c.prepareStatement(
            "SELECT domain FROM institution_domain WHERE institution_id = ? ORDER BY domain")) {
      st.setObject(1, institutionId);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          domains.add(rs.getString(1));
        }
      }
    }
    List<Tenant.Site> sites = new ArrayList<>();
    try (var st =
        c.prepareStatement(
            "SELECT s.id, s.name, s.cpu_millis, s.memory_bytes, s.storage_bytes, s.status,"
                + " s.database_engine, dp.db_storage_bytes, dp.db_connections,"
                + " coalesce((SELECT array_agg(h.hostname ORDER BY h.hostname) FROM site_hostname h WHERE h.site_id = s.id), '{}')"
                + " AS owned, r.digest AS bundle_digest FROM site s"
                + " LEFT JOIN site_revision r ON r.site_id = s.id AND r.revision = s.current_revision LEFT JOIN plan dp ON dp.id = s.database_plan_id"
                + " WHERE s.institution_id = ? AND s.status <> 'DECOMMISSIONED' ORDER BY s.name")) {
      st.setObject(1, institutionId);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          Tenant.Database db =
              rs.getString("database_engine") == null
                  ? null
                  : new Tenant.Database(
                      rs.getLong("db_storage_bytes"), rs.getInt("db_connections"));
          sites.add(
              new Tenant.Site(
                  rs.getObject("id", UUID.class),
                  rs.getString("name"),
                  Arrays.asList((String[]) rs.getArray("owned").getArray()),
                  rs.getLong("cpu_millis"),
                  rs.getLong("memory_bytes"),
                  rs.getLong("storage_bytes"),
                  rs.getString("status"),
                  db,
                  rs.getString("bundle_digest")));
        }
      }
    }
    // whose the hostnames are is decided among all institutions' domains (the most specific wins)
    List<String> hostnames =
        sites.stream().flatMap(s -> s.hostnames().stream()).map(DnsNames::normalise).toList();
    return Optional.of(
        new Tenant(
            institutionId,
            code,
            domains,
            sites,
            Database.onConnection(c, h -> InstitutionService.delegationsCovering(h, hostnames))));
  }

  /** Institutions that have sites the cluster should hold. */
  public List<UUID> institutionsWithSites(Connection c) throws SQLException {
    try (var st =
            c.prepareStatement(
                "SELECT DISTINCT institution_id FROM site WHERE status <> 'DECOMMISSIONED'");
        ResultSet rs = st.executeQuery()) {
      List<UUID> out = new ArrayList<>();
      while (rs.next()) {
        out.add(rs.getObject(1, UUID.class));
      }
      return out;
    }
  }

  public Optional<UUID> institutionOfSite(Connection c, UUID siteId) throws SQLException {
    return one(c, "SELECT institution_id FROM site WHERE id = ?", siteId);
  }

  public Optional<UUID> institutionByCode(Connection c, String code) throws SQLException {
    try (var st = c.prepareStatement("SELECT id FROM institution WHERE code = ?")) {
      st.setString(1, code);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? Optional.of(rs.getObject(1, UUID.class)) : Optional.empty();
      }
    }
  }

  public JsonArray conditions(Connection c, UUID siteId) throws SQLException {
    try (var st = c.prepareStatement("SELECT conditions::text FROM site WHERE id = ?")) {
      st.setObject(1, siteId);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? new JsonArray(rs.getString(1)) : new JsonArray();
      }
    }
  }

  /**
   * Writes status and conditions only when they differ from what is stored. Suspending, resuming
   * and decommissioning are the operator's: a reconcile that read the site before such a change
   * never writes its older view over it (the change wakes another reconcile, which reads it).
   */
  public boolean writeStatus(
      Connection c, UUID siteId, String status, JsonArray conditions, Instant at)
      throws SQLException {
    try (var st =
        c.prepareStatement(
            "UPDATE site SET status = ?, conditions = ?::jsonb, updated_at = ?"
                + " WHERE id = ? AND status NOT IN ('DECOMMISSIONED')"
                + " AND (status IN ('SUSPENDED', 'DECOMMISSIONING')) = (?::text IN ('SUSPENDED', 'DECOMMISSIONING'))"
                + " AND (status IS DISTINCT FROM ? OR conditions IS DISTINCT FROM ?::jsonb)")) {
      st.setString(1, status);
      st.setString(2, conditions.encode());
      st.setTimestamp(3, Timestamp.from(at));
      st.setObject(4, siteId);
      st.setString(5, status);
      st.setString(6, status);
      st.setString(7, conditions.encode());
      return st.executeUpdate() > 0;
    }
  }

  public void recordDatabaseName(Connection c, UUID siteId, String name) throws SQLException {
    try (var st =
        c.prepareStatement(
            "UPDATE site SET database_name = ? WHERE id = ? AND database_name IS DISTINCT FROM ?")) {
      st.setString(1, name);
      st.setObject(2, siteId);
      st.setString(3, name);
      st.executeUpdate();
    }
  }

  /** Records the hash of the token in the site's bundle-token Secret (no write when unchanged). */
  public void recordBundleTokenHash(Connection c, UUID siteId, String hash) throws SQLException {
    try (var st =
        c.prepareStatement(
            "UPDATE site SET bundle_token_sha256 = ? WHERE id = ?"
                + " AND bundle_token_sha256 IS DISTINCT FROM ?")) {
      st.setString(1, hash);
      st.setObject(2, siteId);
      st.setString(3, hash);
      st.executeUpdate();
    }
  }

  /** The site's objects are gone: release its hostnames and schedule its database's end. */
  public void markDecommissioned(Connection c, UUID siteId, Instant dropDatabaseAfter, Instant at)
      throws SQLException {
    try (var st = c.prepareStatement("DELETE FROM site_hostname WHERE site_id = ?")) {
      st.setObject(1, siteId);
      st.executeUpdate();
    }
    try (var st =
        c.prepareStatement(
            "UPDATE site SET status = 'DECOMMISSIONED', updated_at = ?,"
                + " database_drop_after = CASE WHEN database_name IS NULL THEN NULL ELSE ?::timestamptz END WHERE id = ?")) {
      st.setTimestamp(1, Timestamp.from(at));
      st.setTimestamp(2, Timestamp.from(dropDatabaseAfter));
      st.setObject(3, siteId);
      st.executeUpdate();
    }
  }

  /** Databases of decommissioned sites whose retention has run out: (site id, database name). */
  public List<String[]> databasesToDrop(Connection c, Instant now) throws SQLException {
    try (var st =
        c.prepareStatement(
            "SELECT id, database_name FROM site WHERE database_drop_after <= ?"
                + " AND database_dropped_at IS NULL AND database_name IS NOT NULL")) {
      st.setTimestamp(1, Timestamp.from(now));
      List<String[]> out = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(new String[] {rs.getString(1), rs.getString(2)});
        }
      }
      return out;
    }
  }

  public void markDatabaseDropped(Connection c, UUID siteId, Instant at) throws SQLException {
    try (var st = c.prepareStatement("UPDATE site SET database_dropped_at = ? WHERE id = ?")) {
      st.setTimestamp(1, Timestamp.from(at));
      st.setObject(2, siteId);
      st.executeUpdate();
    }
  }

  private static Optional<UUID> one(Connection c, String sql, UUID param) throws SQLException {
    try (var st = c.prepareStatement(sql)) {
      st.setObject(1, param);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? Optional.of(rs.getObject(1, UUID.class)) : Optional.empty();
      }
    }
  }
}
