package io.wingu.controlplane.sites;

import io.vertx.core.json.JsonArray;
import io.wingu.controlplane.app.DomainError;
import io.wingu.controlplane.usage.QuotaCondition;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** SQL for sites and the hostnames they hold. */
final class SiteStore {

  /** Creates the site and claims its hostnames; a hostname or name already live is a 409. */
  public void insert(Connection c, NewSite s) throws SQLException {
    try (var st =
        c.prepareStatement(
            "INSERT INTO site (id, institution_id, request_id, name, hostnames, plan_id,"
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
    }
    for (String hostname : s.hostnames()) {
      try (var st =
          c.prepareStatement("INSERT INTO site_hostname (hostname, site_id) VALUES (?, ?)")) {
        st.setString(1, hostname);
        st.setObject(2, s.id());
        st.executeUpdate();
      }
    }
  }

  /**
   * A site with its institution's code, its current template version and its quota alerts
   * (WithinQuota).
   */
  private static final String SELECT =
      "SELECT s.*, i.code, r.template_version, "
          + QuotaCondition.COLUMNS
          + " FROM site s JOIN institution i ON i.id = s.institution_id"
          + " LEFT JOIN site_revision r ON r.site_id = s.id AND r.revision = s.current_revision";

  /** A template and version that some site's current revision was rendered with. */
  public record TemplateVersion(String templateId, String version) {}

  public java.util.Optional<SiteView> find(
      Connection c, io.wingu.controlplane.auth.Scope scope, UUID id, boolean forUpdate)
      throws SQLException {
    try (var st =
        c.prepareStatement(
            SELECT
                + " WHERE s.id = ? AND "
                + scope.sql("s.institution_id")
                + (forUpdate ? " FOR UPDATE OF s" : ""))) {
      st.setObject(1, id);
      st.setObject(2, scope.parameter());
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? java.util.Optional.of(read(rs)) : java.util.Optional.empty();
      }
    }
  }

  /**
   * The site if the caller's scope covers it (else 404) and it is not being decommissioned (else
   * 409): what every change to a site's content or revisions starts from.
   */
  public SiteView findChangeable(
      Connection c, io.wingu.controlplane.auth.Scope scope, UUID id, boolean forUpdate)
      throws SQLException {
    SiteView site =
        find(c, scope, id, forUpdate).orElseThrow(() -> DomainError.notFound("No site " + id));
    if (site.status().equals("DECOMMISSIONING") || site.status().equals("DECOMMISSIONED")) {
      throw DomainError.conflict(
          "site-decommissioning",
          null,
          "The site is " + site.status() + "; it can no longer change");
    }
    return site;
  }

  /** Newest first, after the (createdAt, id) of the previous page's last site. */
  public List<SiteView> list(
      Connection c,
      io.wingu.controlplane.auth.Scope scope,
      java.time.Instant afterAt,
      UUID afterId,
      int max)
      throws SQLException {
    return list(c, scope, afterAt, afterId, max, null);
  }

  /**
   * As {@link #list(Connection, io.wingu.controlplane.auth.Scope, java.time.Instant, UUID, int)},
   * only the live sites (not being decommissioned) whose current revision has one of {@code
   * versions}; all sites when null.
   */
  public List<SiteView> list(
      Connection c,
      io.wingu.controlplane.auth.Scope scope,
      java.time.Instant afterAt,
      UUID afterId,
      int max,
      Collection<TemplateVersion> versions)
      throws SQLException {
    try (var st =
        c.prepareStatement(
            SELECT
                + " WHERE "
                + scope.sql("s.institution_id")
                + " AND (?::timestamptz IS NULL OR (s.created_at, s.id) < (?::timestamptz, ?::uuid))"
                + (versions == null
                    ? ""
                    : " AND s.status NOT IN ('DECOMMISSIONING', 'DECOMMISSIONED')"
                        + " AND (r.template_id, r.template_version) IN (SELECT * FROM unnest(?::text[], ?::text[]))")
                + " ORDER BY s.created_at DESC, s.id DESC LIMIT ?")) {
      OffsetDateTime after =
          afterAt == null ? null : OffsetDateTime.ofInstant(afterAt, ZoneOffset.UTC);
      int i = 1;
      st.setObject(i++, scope.parameter());
      st.setObject(i++, after);
      st.setObject(i++, after);
      st.setObject(i++, afterId);
      if (versions != null) {
        st.setArray(
            i++,
            c.createArrayOf("text", versions.stream().map(TemplateVersion::templateId).toArray()));
        st.setArray(
            i++,
            c.createArrayOf("text", versions.stream().map(TemplateVersion::version).toArray()));
      }
      st.setInt(i, max);
      List<SiteView> out = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(read(rs));
        }
      }
      return out;
    }
  }

  /**
   * The templates and versions the current revisions of the sites in {@code scope} were rendered
   * with.
   */
  public List<TemplateVersion> templateVersions(
      Connection c, io.wingu.controlplane.auth.Scope scope) throws SQLException {
    try (var st =
        c.prepareStatement(
            "SELECT DISTINCT r.template_id, r.template_version FROM site s"
                + " JOIN site_revision r ON r.site_id = s.id AND r.revision = s.current_revision"
                + " WHERE "
                + scope.sql("s.institution_id"))) {
      st.setObject(1, scope.parameter());
      List<TemplateVersion> out = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(new TemplateVersion(rs.getString(1), rs.getString(2)));
        }
      }
      return out;
    }
  }

  /**
   * Every site served now, by institution then name: Available true (the reconciler writes it from
   * the Deployment's real status), a current revision, and not suspended or going away.
   */
  public List<ServedSite> served(Connection c) throws SQLException {
    try (var st =
            c.prepareStatement(
                "SELECT s.id, s.institution_id, s.name, s.hostnames FROM site s"
                    + " WHERE s.current_revision IS NOT NULL"
                    + " AND s.status NOT IN ('SUSPENDED', 'DECOMMISSIONING', 'DECOMMISSIONED')"
                    + " AND s.conditions @> '[{\"type\": \"Available\", \"status\": \"True\"}]'::jsonb"
                    + " ORDER BY s.institution_id, s.name, s.id");
        ResultSet rs = st.executeQuery()) {
      List<ServedSite> out = new ArrayList<>();
      while (rs.next()) {
        out.add(
            new ServedSite(
                rs.getObject(1, UUID.class),
                rs.getObject(2, UUID.class),
                rs.getString(3),
                List.of((String[]) rs.getArray(4).getArray())));
      }
      return out;
    }
  }

  public void setStatus(Connection c, UUID id, String status, String reason, java.time.Instant at)
      throws SQLException {
    try (var st =
        c.prepareStatement(
            "UPDATE site SET status = ?, status_reason = ?, updated_at = ? WHERE id = ?")) {
      st.setString(1, status);
      st.setString(2, reason);
      st.setObject(3, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
      st.setObject(4, id);
      st.executeUpdate();
    }
  }

  /**
   * The stored provisioning conditions, and for a site counted in its institution's quota the
   * WithinQuota condition from the institution's current usage alerts.
   */
  private static SiteView read(ResultSet rs) throws SQLException {
    Integer revision = rs.getObject("current_revision", Integer.class);
    String status = rs.getString("status");
    Instant createdAt = rs.getObject("created_at", OffsetDateTime.class).toInstant();
    JsonArray conditions = new JsonArray(rs.getString("conditions"));
    if (!GONE.contains(status)) {
      conditions.add(
          QuotaCondition.of(
              new JsonArray(rs.getString("quota_alerts")),
              rs.getObject("quota_last_alert_day", LocalDate.class),
              createdAt));
    }
    return new SiteView(
        rs.getObject("id", UUID.class),
        rs.getObject("institution_id", UUID.class),
        rs.getString("code"),
        rs.getString("name"),
        java.util.Arrays.asList((String[]) rs.getArray("hostnames").getArray()),
        status,
        rs.getString("status_reason"),
        conditions,
        revision,
        rs.getString("template_id"),
        rs.getString("template_version"),
        createdAt,
        rs.getObject("updated_at", OffsetDateTime.class).toInstant());
  }

  /** Statuses of sites no longer counted in their institution's quota. */
  private static final Set<String> GONE = Set.of("DECOMMISSIONING", "DECOMMISSIONED");

  /** Which of {@code hostnames} a live site already serves. */
  public List<String> hostnamesTaken(Connection c, Collection<String> hostnames)
      throws SQLException {
    try (var st =
        c.prepareStatement(
            "SELECT hostname FROM site_hostname WHERE hostname = ANY (?) ORDER BY hostname")) {
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
    try (var st =
        c.prepareStatement(
            "SELECT 1 FROM site WHERE institution_id = ? AND name = ?"
                + " AND status <> 'DECOMMISSIONED'")) {
      st.setObject(1, institutionId);
      st.setString(2, name);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next();
      }
    }
  }
}
