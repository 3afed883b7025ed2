package io.wingu.controlplane.sites;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * SQL for revisions and the bundles they serve. Like {@link SiteContentStore}, it takes site ids
 * already found within the caller's scope; the bundle lookup is scoped by the site's token instead.
 */
final class DeploymentStore {

  /** Revision numbers count 1, 2, 3… per site; call with the site row locked. */
  public int nextRevision(Connection c, UUID siteId) throws SQLException {
    try (var st =
        c.prepareStatement(
            "SELECT coalesce(max(revision), 0) + 1 FROM site_revision WHERE site_id = ?")) {
      st.setObject(1, siteId);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  public void insert(
      Connection c, UUID siteId, Revision r, String parametersJson, String contentJson)
      throws SQLException {
    try (var st =
        c.prepareStatement(
            "INSERT INTO site_revision (site_id, revision, digest, template_id,"
                + " template_version, parameters, content, created_at, created_by)"
                + " VALUES (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?)")) {
      st.setObject(1, siteId);
      st.setInt(2, r.revision());
      st.setString(3, r.digest());
      st.setString(4, r.templateId());
      st.setString(5, r.templateVersion());
      st.setString(6, parametersJson);
      st.setString(7, contentJson);
      st.setObject(8, OffsetDateTime.ofInstant(r.createdAt(), ZoneOffset.UTC));
      st.setString(9, r.createdBy());
      st.executeUpdate();
    }
  }

  /** The most findings kept per revision: enough to act on, bounded for a page full of faults. */
  static final int MAX_FINDINGS = 100;

  /** Records the accessibility check of a new revision: passed when it found nothing. */
  public void recordCheck(
      Connection c,
      UUID siteId,
      int revision,
      List<io.wingu.templates.check.AccessibilityCheck.Finding> findings,
      java.time.Instant at)
      throws SQLException {
    io.vertx.core.json.JsonArray json = new io.vertx.core.json.JsonArray();
    findings.stream()
        .limit(MAX_FINDINGS)
        .forEach(
            f ->
                json.add(
                    new io.vertx.core.json.JsonObject()
                        .put("page", f.page())
                        .put("rule", f.rule())
                        .put("wcag", f.wcag())
                        .put("element", f.element())));
    try (var st =
        c.prepareStatement(
            "INSERT INTO site_revision_check (site_id, revision, passed, findings,"
                + " checked_at) VALUES (?, ?, ?, ?::jsonb, ?)")) {
      st.setObject(1, siteId);
      st.setInt(2, revision);
      st.setBoolean(3, findings.isEmpty());
      st.setString(4, json.encode());
      st.setObject(5, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
      st.executeUpdate();
    }
  }

  /** The accessibility checks of the given revisions of a site: {passed, findings} by revision. */
  public java.util.Map<Integer, io.vertx.core.json.JsonObject> checks(
      Connection c, UUID siteId, List<Revision> revisions) throws SQLException {
    java.util.Map<Integer, io.vertx.core.json.JsonObject> out = new java.util.HashMap<>();
    if (revisions.isEmpty()) {
      return out;
    }
    try (var st =
        c.prepareStatement(
            "SELECT revision, passed, findings FROM site_revision_check"
                + " WHERE site_id = ? AND revision = ANY (?)")) {
      st.setObject(1, siteId);
      st.setArray(
          2, c.createArrayOf("integer", revisions.stream().map(Revision::revision).toArray()));
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.put(
              rs.getInt(1),
              new io.vertx.core.json.JsonObject()
                  .put("passed", rs.getBoolean(2))
                  .put("findings", new io.vertx.core.json.JsonArray(rs.getString(3))));
        }
      }
    }
    return out;
  }

  /** Points the site at one of its revisions and records that revision's template. */
  public void setCurrent(Connection c, UUID siteId, Revision r, java.time.Instant at)
      throws SQLException {
    try (var st =
        c.prepareStatement(
            "UPDATE site SET current_revision = ?, template_id = ?, updated_at = ?"
                + " WHERE id = ?")) {
      st.setInt(1, r.revision());
      st.setString(2, r.templateId());
      st.setObject(3, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
      st.setObject(4, siteId);
      st.executeUpdate();
    }
  }

  public Optional<Revision> find(Connection c, UUID siteId, int revision) throws SQLException {
    try (var st = c.prepareStatement(SELECT + " WHERE site_id = ? AND revision = ?")) {
      st.setObject(1, siteId);
      st.setInt(2, revision);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  /** Newest first, below {@code beforeRevision} (null for the start). */
  public List<Revision> list(Connection c, UUID siteId, Integer beforeRevision, int max)
      throws SQLException {
    try (var st =
        c.prepareStatement(
            SELECT
                + " WHERE site_id = ? AND (?::integer IS NULL OR revision < ?::integer)"
                + " ORDER BY revision DESC LIMIT ?")) {
      st.setObject(1, siteId);
      st.setObject(2, beforeRevision);
      st.setObject(3, beforeRevision);
      st.setInt(4, max);
      List<Revision> out = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(read(rs));
        }
      }
      return out;
    }
  }

  public Optional<Revision.Source> source(Connection c, UUID siteId, int revision)
      throws SQLException {
    try (var st =
        c.prepareStatement(
            "SELECT template_id, parameters::text, content::text FROM site_revision"
                + " WHERE site_id = ? AND revision = ?")) {
      st.setObject(1, siteId);
      st.setInt(2, revision);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next()
            ? Optional.of(new Revision.Source(rs.getString(1), rs.getString(2), rs.getString(3)))
            : Optional.empty();
      }
    }
  }

  /**
   * The bytes of bundle {@code digest} if it was deployed to the live site whose bundle token has
   * the hash {@code tokenHash}; empty for any other token or digest.
   */
  public Optional<byte[]> bundle(Connection c, String tokenHash, String digest)
      throws SQLException {
    try (var st =
        c.prepareStatement(
            "SELECT b.bytes FROM site s"
                + " JOIN site_revision r ON r.site_id = s.id AND r.digest = ?"
                + " JOIN content_blob b ON b.digest = r.digest"
                + " WHERE s.bundle_token_sha256 = ? AND s.status <> 'DECOMMISSIONED' LIMIT 1")) {
      st.setString(1, digest);
      st.setString(2, tokenHash);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
      }
    }
  }

  private static final String SELECT =
      "SELECT revision, digest, template_id, template_version, created_at,"
          + " created_by FROM site_revision";

  private static Revision read(ResultSet rs) throws SQLException {
    return new Revision(
        rs.getInt("revision"),
        rs.getString("digest"),
        rs.getString("template_id"),
        rs.getString("template_version"),
        rs.getObject("created_at", OffsetDateTime.class).toInstant(),
        rs.getString("created_by"));
  }
}
