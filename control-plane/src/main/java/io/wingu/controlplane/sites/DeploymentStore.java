package io.wingu.controlplane.sites;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.app.Keyset;
import io.wingu.templates.check.AccessibilityCheck;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/**
 * SQL for revisions and the bundles they serve. Like {@link SiteContentStore}, it takes site ids
 * already found within the caller's scope; the bundle lookup is scoped by the site's token instead.
 */
final class DeploymentStore {

  /** The most findings kept per revision: enough to act on, bounded for a page full of faults. */
  static final int MAX_FINDINGS = 100;

  private static final String SELECT =
      "SELECT revision, digest, template_id, template_version, created_at,"
          + " created_by FROM site_revision";

  private static final RowMapper<Revision> REVISION = ConstructorMapper.of(Revision.class);

  private static final RowMapper<Revision.Source> SOURCE =
      ConstructorMapper.of(Revision.Source.class);

  /** Revision numbers count 1, 2, 3… per site; call with the site row locked. */
  int nextRevision(Handle h, UUID siteId) {
    return h.createQuery(
            "SELECT coalesce(max(revision), 0) + 1 FROM site_revision WHERE site_id = :siteId")
        .bind("siteId", siteId)
        .mapTo(Integer.class)
        .one();
  }

  void insert(Handle h, UUID siteId, Revision r, String parametersJson, String contentJson) {
    h.createUpdate(
            "INSERT INTO site_revision (site_id, revision, digest, template_id,"
                + " template_version, parameters, content, created_at, created_by)"
                + " VALUES (:siteId, :revision, :digest, :templateId, :templateVersion,"
                + " CAST(:parameters AS jsonb), CAST(:content AS jsonb), :createdAt, :createdBy)")
        .bindMethods(r)
        .bind("siteId", siteId)
        .bind("parameters", parametersJson)
        .bind("content", contentJson)
        .execute();
  }

  /** Records the accessibility check of a new revision: passed when it found nothing. */
  void recordCheck(
      Handle h, UUID siteId, int revision, List<AccessibilityCheck.Finding> findings, Instant at) {
    JsonArray json = new JsonArray();
    findings.stream()
        .limit(MAX_FINDINGS)
        .forEach(
            f ->
                json.add(
                    new JsonObject()
                        .put("page", f.page())
                        .put("rule", f.rule())
                        .put("wcag", f.wcag())
                        .put("element", f.element())));
    h.createUpdate(
            "INSERT INTO site_revision_check (site_id, revision, passed, findings, checked_at)"
                + " VALUES (:siteId, :revision, :passed, CAST(:findings AS jsonb), :at)")
        .bind("siteId", siteId)
        .bind("revision", revision)
        .bind("passed", findings.isEmpty())
        .bind("findings", json.encode())
        .bind("at", at)
        .execute();
  }

  /** The accessibility checks of the given revisions of a site: {passed, findings} by revision. */
  Map<Integer, JsonObject> checks(Handle h, UUID siteId, List<Revision> revisions) {
    if (revisions.isEmpty()) {
      return Map.of();
    }
    return h.createQuery(
            "SELECT revision, passed, findings FROM site_revision_check"
                + " WHERE site_id = :siteId AND revision = ANY (:revisions)")
        .bind("siteId", siteId)
        .bindArray("revisions", Integer.class, revisions.stream().map(Revision::revision).toList())
        .map(
            (rs, ctx) ->
                Map.entry(
                    rs.getInt("revision"),
                    new JsonObject()
                        .put("passed", rs.getBoolean("passed"))
                        .put("findings", new JsonArray(rs.getString("findings")))))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  /** Points the site at one of its revisions and records that revision's template. */
  void setCurrent(Handle h, UUID siteId, Revision r, Instant at) {
    h.createUpdate(
            "UPDATE site SET current_revision = :revision, template_id = :templateId,"
                + " updated_at = :at WHERE id = :siteId")
        .bind("revision", r.revision())
        .bind("templateId", r.templateId())
        .bind("at", at)
        .bind("siteId", siteId)
        .execute();
  }

  Optional<Revision> find(Handle h, UUID siteId, int revision) {
    return h.createQuery(SELECT + " WHERE site_id = :siteId AND revision = :revision")
        .bind("siteId", siteId)
        .bind("revision", revision)
        .map(REVISION)
        .findOne();
  }

  /** One page of the site's revisions, newest first. */
  List<Revision> list(Handle h, UUID siteId, Keyset keyset) {
    return keyset
        .query(h, SELECT + " WHERE site_id = :siteId")
        .bind("siteId", siteId)
        .map(REVISION)
        .list();
  }

  Optional<Revision.Source> source(Handle h, UUID siteId, int revision) {
    return h.createQuery(
            "SELECT template_id, CAST(parameters AS text) AS parameters_json,"
                + " CAST(content AS text) AS content_json FROM site_revision"
                + " WHERE site_id = :siteId AND revision = :revision")
        .bind("siteId", siteId)
        .bind("revision", revision)
        .map(SOURCE)
        .findOne();
  }

  /**
   * The bytes of bundle {@code digest} if it was deployed to the live site whose bundle token has
   * the hash {@code tokenHash}; empty for any other token or digest.
   */
  Optional<byte[]> bundle(Handle h, String tokenHash, String digest) {
    return h.createQuery(
            "SELECT b.bytes FROM site s"
                + " JOIN site_revision r ON r.site_id = s.id AND r.digest = :digest"
                + " JOIN content_blob b ON b.digest = r.digest"
                + " WHERE s.bundle_token_sha256 = :tokenHash AND s.status <> 'DECOMMISSIONED'"
                + " LIMIT 1")
        .bind("digest", digest)
        .bind("tokenHash", tokenHash)
        .mapTo(byte[].class)
        .findOne();
  }
}
