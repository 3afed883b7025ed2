package io.wingu.controlplane.sites;

import io.wingu.controlplane.app.Problem;
import io.wingu.controlplane.app.SqlStates;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** SQL for sites and the hostnames they hold. */
public final class SiteStore {

  /** Creates the site and claims its hostnames; a hostname or name already live is a 409. */
  public void insert(Connection c, NewSite s) throws SQLException {
    try (var st = c.prepareStatement("INSERT INTO site (id, institution_id, request_id, name, hostnames, plan_id,"
        + " template_id, cpu_millis, memory_bytes, storage_bytes, database_engine, database_plan_id, status,"
        + " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'PROVISIONING', ?, ?)")) {
      OffsetDateTime at = OffsetDateTime.ofInstant(s.createdAt(), ZoneOffset.UTC);
      st.setObject(1, s.id());
      st.setObject(2, s.institutionId());
      st.setObject(3, s.requestId());
      st.setString(4, s.name());
      st.setArray(5, c.createArrayOf("text", s.hostnames().toArray()));
      st.setObject(6, s.planId());
      st.setString(7, s.templateId());
      st.setLong(8, s.cpuMillis());
      st.setLong(9, s.memoryBytes());
      st.setLong(10, s.storageBytes());
      st.setString(11, s.databaseEngine());
      st.setObject(12, s.databasePlanId());
      st.setObject(13, at);
      st.setObject(14, at);
      st.executeUpdate();
    } catch (SQLException e) {
      if (SqlStates.isUniqueViolation(e, "site_live_name")) {
        throw Problem.conflict("The institution already has a live site named '" + s.name() + "'");
      }
      throw e;
    }
    for (String hostname : s.hostnames()) {
      try (var st = c.prepareStatement("INSERT INTO site_hostname (hostname, site_id) VALUES (?, ?)")) {
        st.setString(1, hostname);
        st.setObject(2, s.id());
        st.executeUpdate();
      } catch (SQLException e) {
        if (SqlStates.isUniqueViolation(e, "site_hostname_pkey")) {
          throw Problem.conflict("The hostname " + hostname + " is already served by another site");
        }
        throw e;
      }
    }
  }

  /** Which of {@code hostnames} a live site already serves. */
  public List<String> hostnamesTaken(Connection c, Collection<String> hostnames) throws SQLException {
    try (var st = c.prepareStatement("SELECT hostname FROM site_hostname WHERE hostname = ANY (?) ORDER BY hostname")) {
      st.setArray(1, c.createArrayOf("text", hostnames.toArray()));
      List<String> out = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    }
  }

  public boolean liveNameTaken(Connection c, UUID institutionId, String name) throws SQLException {
    try (var st = c.prepareStatement("SELECT 1 FROM site WHERE institution_id = ? AND name = ?"
        + " AND status <> 'DECOMMISSIONED'")) {
      st.setObject(1, institutionId);
      st.setString(2, name);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next();
      }
    }
  }
}
