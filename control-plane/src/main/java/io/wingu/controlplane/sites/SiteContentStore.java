package io.wingu.controlplane.sites;

import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.app.Keyset;
import io.wingu.templates.LocalizedText;
import io.wingu.templates.content.ContentEntry;
import io.wingu.templates.content.Document;
import io.wingu.templates.content.SiteContent;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * SQL for a site's written content and uploaded documents. Every method takes a site id the caller
 * has already found within its scope (see {@link SiteStore#find}).
 */
final class SiteContentStore {

  private static final RowMapper<ContentItem> ITEM =
      (rs, ctx) ->
          new ContentItem(
              ContentKind.fromPath(rs.getString("kind")),
              rs.getString("slug"),
              text(rs.getString("title")),
              text(rs.getString("body")),
              rs.getObject("published_at", LocalDate.class),
              rs.getObject("updated_at", OffsetDateTime.class).toInstant(),
              rs.getString("updated_by"));

  private static final RowMapper<SiteDocument> DOCUMENT =
      (rs, ctx) ->
          new SiteDocument(
              rs.getObject("id", UUID.class),
              rs.getObject("site_id", UUID.class),
              text(rs.getString("title")),
              rs.getString("file_name"),
              rs.getString("digest"),
              rs.getLong("size"),
              rs.getObject("created_at", OffsetDateTime.class).toInstant(),
              rs.getString("created_by"));

  Optional<ContentItem> find(Handle h, UUID siteId, ContentKind kind, String slug) {
    return h.createQuery(
            "SELECT * FROM site_content WHERE site_id = :siteId AND kind = :kind AND slug = :slug")
        .bind("siteId", siteId)
        .bind("kind", kind.pathSegment())
        .bind("slug", slug)
        .map(ITEM)
        .findOne();
  }

  /** One page of the site's entries of one kind, by slug. */
  List<ContentItem> list(Handle h, UUID siteId, ContentKind kind, Keyset keyset) {
    return keyset
        .query(h, "SELECT * FROM site_content WHERE site_id = :siteId AND kind = :kind")
        .bind("siteId", siteId)
        .bind("kind", kind.pathSegment())
        .map(ITEM)
        .list();
  }

  /** Writes the item, replacing one of the same kind and slug; true when it is new. */
  boolean put(Handle h, UUID siteId, ContentItem item) {
    return h.createQuery(
            "INSERT INTO site_content (site_id, kind, slug, title, body, published_at,"
                + " updated_at, updated_by) VALUES (:siteId, :kind, :slug, CAST(:title AS jsonb),"
                + " CAST(:body AS jsonb), :publishedAt, :updatedAt, :updatedBy)"
                + " ON CONFLICT (site_id, kind, slug) DO UPDATE SET title = excluded.title,"
                + " body = excluded.body, published_at = excluded.published_at,"
                + " updated_at = excluded.updated_at, updated_by = excluded.updated_by"
                + " RETURNING (xmax = 0) AS inserted")
        .bind("siteId", siteId)
        .bind("kind", item.kind().pathSegment())
        .bind("slug", item.slug())
        .bind("title", ContentItem.text(item.title()).encode())
        .bind("body", ContentItem.text(item.body()).encode())
        .bind("publishedAt", item.publishedAt())
        .bind("updatedAt", item.updatedAt())
        .bind("updatedBy", item.updatedBy())
        .mapTo(Boolean.class)
        .one();
  }

  boolean delete(Handle h, UUID siteId, ContentKind kind, String slug) {
    return h.createUpdate(
                "DELETE FROM site_content WHERE site_id = :siteId AND kind = :kind AND slug = :slug")
            .bind("siteId", siteId)
            .bind("kind", kind.pathSegment())
            .bind("slug", slug)
            .execute()
        > 0;
  }

  /** Everything the site's webmasters wrote and uploaded, as the renderer takes it. */
  SiteContent siteContent(Handle h, UUID siteId) {
    Map<ContentKind, List<ContentEntry>> entries = new EnumMap<>(ContentKind.class);
    for (ContentKind kind : ContentKind.values()) {
      entries.put(kind, new ArrayList<>());
    }
    h.createQuery("SELECT * FROM site_content WHERE site_id = :siteId ORDER BY kind, slug")
        .bind("siteId", siteId)
        .map(ITEM)
        .forEach(item -> entries.get(item.kind()).add(item.entry()));
    List<Document> documents =
        h.createQuery("SELECT * FROM site_document WHERE site_id = :siteId ORDER BY created_at, id")
            .bind("siteId", siteId)
            .map(DOCUMENT)
            .map(SiteDocument::document)
            .list();
    return new SiteContent(
        entries.get(ContentKind.PAGES),
        entries.get(ContentKind.NEWS),
        entries.get(ContentKind.PUBLICATIONS),
        documents);
  }

  void insertDocument(Handle h, SiteDocument d) {
    h.createUpdate(
            "INSERT INTO site_document (id, site_id, title, file_name, digest, size,"
                + " created_at, created_by) VALUES (:id, :siteId, CAST(:title AS jsonb),"
                + " :fileName, :digest, :size, :createdAt, :createdBy)")
        .bindMethods(d)
        .bind("title", ContentItem.text(d.title()).encode())
        .execute();
  }

  /** One page of the site's documents, newest first. */
  List<SiteDocument> listDocuments(Handle h, UUID siteId, Keyset keyset) {
    return keyset
        .query(h, "SELECT * FROM site_document WHERE site_id = :siteId")
        .bind("siteId", siteId)
        .map(DOCUMENT)
        .list();
  }

  /** One document of the site's current list; another site's is not found. */
  Optional<SiteDocument> findDocument(Handle h, UUID siteId, UUID id) {
    return h.createQuery("SELECT * FROM site_document WHERE site_id = :siteId AND id = :id")
        .bind("siteId", siteId)
        .bind("id", id)
        .map(DOCUMENT)
        .findOne();
  }

  /**
   * Takes the document off the site's list. Its bytes stay in content_blob (never deleted): the
   * bundles of earlier revisions carry them, and a rollback serves those bundles as they are.
   */
  boolean deleteDocument(Handle h, UUID siteId, UUID id) {
    return h.createUpdate("DELETE FROM site_document WHERE site_id = :siteId AND id = :id")
            .bind("siteId", siteId)
            .bind("id", id)
            .execute()
        > 0;
  }

  /**
   * The bytes of a file uploaded to this site, a document or an image (the renderer's file source);
   * a digest the site never uploaded is not found, whoever else did.
   */
  Optional<byte[]> uploadedFile(Handle h, UUID siteId, String digest) {
    return h.createQuery(
            "SELECT b.bytes FROM content_blob b WHERE b.digest = :digest AND (EXISTS"
                + " (SELECT 1 FROM site_document d WHERE d.site_id = :siteId"
                + " AND d.digest = b.digest) OR EXISTS (SELECT 1 FROM site_image i"
                + " WHERE i.site_id = :siteId AND i.digest = b.digest))")
        .bind("digest", digest)
        .bind("siteId", siteId)
        .mapTo(byte[].class)
        .findOne();
  }

  Optional<ParameterDraft> draft(Handle h, UUID siteId) {
    return h.createQuery(
            "SELECT template_id, parameters::text AS parameters, updated_at, updated_by"
                + " FROM site_parameter_draft WHERE site_id = :siteId")
        .bind("siteId", siteId)
        .map(
            (rs, ctx) ->
                new ParameterDraft(
                    rs.getString("template_id"),
                    rs.getString("parameters"),
                    rs.getObject("updated_at", OffsetDateTime.class).toInstant(),
                    rs.getString("updated_by")))
        .findOne();
  }

  /** Replaces the site's draft. */
  void putDraft(Handle h, UUID siteId, ParameterDraft draft) {
    h.createUpdate(
            "INSERT INTO site_parameter_draft (site_id, template_id, parameters, updated_at,"
                + " updated_by) VALUES (:siteId, :templateId, CAST(:parameters AS jsonb),"
                + " :updatedAt, :updatedBy) ON CONFLICT (site_id) DO UPDATE SET"
                + " template_id = excluded.template_id, parameters = excluded.parameters,"
                + " updated_at = excluded.updated_at, updated_by = excluded.updated_by")
        .bindMethods(draft)
        .bind("siteId", siteId)
        .execute();
  }

  void insertImage(Handle h, UUID siteId, SiteImage image) {
    h.createUpdate(
            "INSERT INTO site_image (site_id, digest, file_name, width, height, created_at,"
                + " created_by) VALUES (:siteId, :digest, :fileName, :width, :height, :createdAt,"
                + " :createdBy) ON CONFLICT (site_id, digest) DO NOTHING")
        .bindMethods(image)
        .bind("siteId", siteId)
        .execute();
  }

  /** The bytes of an image uploaded to this site; another site's is not found. */
  Optional<byte[]> image(Handle h, UUID siteId, String digest) {
    return h.createQuery(
            "SELECT b.bytes FROM content_blob b JOIN site_image i ON i.digest = b.digest"
                + " WHERE i.site_id = :siteId AND b.digest = :digest")
        .bind("digest", digest)
        .bind("siteId", siteId)
        .mapTo(byte[].class)
        .findOne();
  }

  private static LocalizedText text(String json) {
    JsonObject o = new JsonObject(json);
    return new LocalizedText(o.getString("sw"), o.getString("en"));
  }
}
