package io.wingu.controlplane.sites;

import io.vertx.core.json.JsonArray;
import io.wingu.controlplane.app.DomainError;
import io.wingu.controlplane.app.Keyset;
import io.wingu.controlplane.app.Rows;
import io.wingu.controlplane.caller.Scope;
import io.wingu.controlplane.usage.QuotaCondition;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** SQL for sites and the hostnames they hold. */
final class SiteStore {

  /**
   * A site with its institution's code, its current template version and its quota alerts
   * (WithinQuota).
   */
  private static final String SELECT =
      "SELECT s.*, i.code, r.template_version, "
          + QuotaCondition.COLUMNS
          + " FROM site s JOIN institution i ON i.id = s.institution_id"
          + " LEFT JOIN site_revision r ON r.site_id = s.id AND r.revision = s.current_revision";

  /** Statuses of sites no longer counted in their institution's quota. */
  private static final Set<String> GONE = Set.of("DECOMMISSIONING", "DECOMMISSIONED");

  /**
   * The stored provisioning conditions, and for a site counted in its institution's quota the
   * WithinQuota condition from the institution's current usage alerts.
   */
  private static final RowMapper<SiteView> SITE =
      (rs, ctx) -> {
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
            Arrays.asList((String[]) rs.getArray("hostnames").getArray()),
            status,
            rs.getString("status_reason"),
            conditions,
            rs.getObject("current_revision", Integer.class),
            rs.getString("template_id"),
            rs.getString("template_version"),
            createdAt,
            rs.getObject("updated_at", OffsetDateTime.class).toInstant());
      };

  /** A template and version that some site's current revision was rendered with. */
  public record TemplateVersion(String templateId, String version) {}

  private static final RowMapper<TemplateVersion> TEMPLATE_VERSION =
      ConstructorMapper.of(TemplateVersion.class);

  /** Creates the site and claims its hostnames; a hostname or name already live is a 409. */
  void insert(Handle h, NewSite s) {
    h.createUpdate(
            "INSERT INTO site (id, institution_id, request_id, name, hostnames, plan_id,"
                + " template_id, cpu_millis, memory_bytes, storage_bytes, database_engine,"
                + " database_plan_id, status, created_at, updated_at) VALUES (:id, :institutionId,"
                + " :requestId, :name, :hostnames, :planId, :templateId, :cpuMillis, :memoryBytes,"
                + " :storageBytes, :databaseEngine, :databasePlanId, 'PROVISIONING', :createdAt,"
                + " :createdAt)")
        .bindMethods(s)
        .bindArray("hostnames", String.class, s.hostnames())
        .execute();
    for (String hostname : s.hostnames()) {
      h.createUpdate("INSERT INTO site_hostname (hostname, site_id) VALUES (:hostname, :id)")
          .bind("hostname", hostname)
          .bind("id", s.id())
          .execute();
    }
  }

  Optional<SiteView> find(Handle h, Scope scope, UUID id, boolean forUpdate) {
    return scope.byId(h, SELECT, "s", id, forUpdate).map(SITE).findOne();
  }

  /**
   * The site if the caller's scope covers it (else 404) and it is not being decommissioned (else
   * 409): what every change to a site's content or revisions starts from.
   */
  SiteView findChangeable(Handle h, Scope scope, UUID id, boolean forUpdate) {
    SiteView site =
        find(h, scope, id, forUpdate).orElseThrow(() -> DomainError.notFound("No site " + id));
    if (GONE.contains(site.status())) {
      throw DomainError.conflict(
          "site-decommissioning",
          null,
          "The site is " + site.status() + "; it can no longer change");
    }
    return site;
  }

  /**
   * One page of the scope's sites, newest first; only the live sites (not being decommissioned)
   * whose current revision has one of {@code versions} when that is not null.
   */
  List<SiteView> list(Handle h, Scope scope, Keyset keyset, Collection<TemplateVersion> versions) {
    var query =
        keyset.query(
            h,
            SELECT
                + " WHERE "
                + scope.where("s.institution_id")
                + (versions == null
                    ? ""
                    : " AND s.status NOT IN ('DECOMMISSIONING', 'DECOMMISSIONED')"
                        + " AND (r.template_id, r.template_version) IN"
                        + " (SELECT * FROM unnest(CAST(:templateIds AS text[]),"
                        + " CAST(:templateVersions AS text[])))"));
    if (versions != null) {
      query
          .bindArray(
              "templateIds",
              String.class,
              versions.stream().map(TemplateVersion::templateId).toList())
          .bindArray(
              "templateVersions",
              String.class,
              versions.stream().map(TemplateVersion::version).toList());
    }
    return scope.bind(query).map(SITE).list();
  }

  /**
   * The templates and versions the current revisions of the sites in {@code scope} were rendered
   * with.
   */
  List<TemplateVersion> templateVersions(Handle h, Scope scope) {
    return scope
        .bind(
            h.createQuery(
                "SELECT DISTINCT r.template_id, r.template_version AS version FROM site s"
                    + " JOIN site_revision r ON r.site_id = s.id AND r.revision = s.current_revision"
                    + " WHERE "
                    + scope.where("s.institution_id")))
        .map(TEMPLATE_VERSION)
        .list();
  }

  /**
   * Every site served now, by institution then name: Available true (the reconciler writes it from
   * the Deployment's real status), a current revision, and not suspended or going away.
   */
  List<ServedSite> served(Handle h) {
    return h.createQuery(
            "SELECT s.id, s.institution_id, s.name, s.hostnames FROM site s"
                + " WHERE s.current_revision IS NOT NULL"
                + " AND s.status NOT IN ('SUSPENDED', 'DECOMMISSIONING', 'DECOMMISSIONED')"
                + " AND s.conditions @> '[{\"type\": \"Available\", \"status\": \"True\"}]'::jsonb"
                + " ORDER BY s.institution_id, s.name, s.id")
        .map(
            (rs, ctx) ->
                new ServedSite(
                    rs.getObject(1, UUID.class),
                    rs.getObject(2, UUID.class),
                    rs.getString(3),
                    List.of((String[]) rs.getArray(4).getArray())))
        .list();
  }

  void setStatus(Handle h, UUID id, String status, String reason, Instant at) {
    h.createUpdate(
            "UPDATE site SET status = :status, status_reason = :reason, updated_at = :at"
                + " WHERE id = :id")
        .bind("status", status)
        .bind("reason", reason)
        .bind("at", at)
        .bind("id", id)
        .execute();
  }

  /** Which of {@code hostnames} a live site already serves. */
  List<String> hostnamesTaken(Handle h, Collection<String> hostnames) {
    return h.createQuery(
            "SELECT hostname FROM site_hostname WHERE hostname = ANY (:hostnames)"
                + " ORDER BY hostname")
        .bindArray("hostnames", String.class, hostnames)
        .mapTo(String.class)
        .list();
  }

  boolean liveNameTaken(Handle h, UUID institutionId, String name) {
    return Rows.exists(
        h,
        "SELECT 1 FROM site WHERE institution_id = :institutionId"
            + " AND name = :name AND status <> 'DECOMMISSIONED'",
        Map.of("institutionId", institutionId, "name", name));
  }
}
