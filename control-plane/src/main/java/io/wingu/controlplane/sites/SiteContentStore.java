package io.wingu.controlplane.sites;

import io.vertx.core.json.JsonObject;
import io.wingu.templates.LocalizedText;
import io.wingu.templates.content.ContentEntry;
import io.wingu.templates.content.SiteContent;
import java.io.FileNotFoundException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * SQL for a site's written content and uploaded documents. Every method takes a site id the caller
 * has already found within its scope (see {@link SiteStore#find}).
 */
final class SiteContentStore {

  public Optional<ContentItem> find(Connection c, UUID siteId, ContentKind kind, String slug)
      throws SQLException {
    try (var st =
        c.prepareStatement(
            "SELECT * FROM site_content WHERE site_id = ? AND kind = ? AND slug = ?")) {
      st.setObject(1, siteId);
      st.setString(2, kind.pathSegment());
      st.setString(3, slug);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? Optional.of(readItem(rs)) : Optional.empty();
      }
    }
  }

  /** Ordered by slug, after {@code afterSlug} (null for the start). */
  public List<ContentItem> list(
      Connection c, UUID siteId, ContentKind kind, String afterSlug, int max) throws SQLException {
    try (var st =
        c.prepareStatement(
            "SELECT * FROM site_content WHERE site_id = ? AND kind = ?"
                + " AND (?::text IS NULL OR slug > ?::text) ORDER BY slug LIMIT ?")) {
      st.setObject(1, siteId);
      st.setString(2, kind.pathSegment());
      st.setString(3, afterSlug);
      st.setString(4, afterSlug);
      st.setInt(5, max);
      List<ContentItem> out = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(readItem(rs));
        }
      }
      return out;
    }
  }

  /** Writes the item, replacing one of the same kind and slug; true when it is new. */
  public boolean put(Connection c, UUID siteId, ContentItem item) throws SQLException {
    try (var st =
        c.prepareStatement(
            "INSERT INTO site_content (site_id, kind, slug, title, body, published_at,"
                + " updated_at, updated_by) VALUES (?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?)"
                + " ON CONFLICT (site_id, kind, slug) DO UPDATE SET title = excluded.title, body = excluded.body,"
                + " published_at = excluded.published_at, updated_at = excluded.updated_at, updated_by = excluded.updated_by"
                + " RETURNING (xmax = 0) AS inserted")) {
      st.setObject(1, siteId);
      st.setString(2, item.kind().pathSegment());
      st.setString(3, item.slug());
      st.setString(4, ContentItem.text(item.title()).encode());
      st.setString(5, ContentItem.text(item.body()).encode());
      st.setObject(6, item.publishedAt());
      st.setObject(7, OffsetDateTime.ofInstant(item.updatedAt(), ZoneOffset.UTC));
      st.setString(8, item.updatedBy());
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  public boolean delete(Connection c, UUID siteId, ContentKind kind, String slug)
      throws SQLException {
    try (var st =
        c.prepareStatement(
            "DELETE FROM site_content WHERE site_id = ? AND kind = ? AND slug = ?")) {
      st.setObject(1, siteId);
      st.setString(2, kind.pathSegment());
      st.setString(3, slug);
      return st.executeUpdate() > 0;
    }
  }

  /** Everything the site's webmasters wrote and uploaded, as the renderer takes it. */
  public SiteContent siteContent(Connection c, UUID siteId) throws SQLException {
    Map<ContentKind, List<ContentEntry>> entries = new EnumMap<>(ContentKind.class);
    for (ContentKind kind : ContentKind.values()) {
      entries.put(kind, new ArrayList<>());
    }
    try (var st =
        c.prepareStatement("SELECT * FROM site_content WHERE site_id = ? ORDER BY kind, slug")) {
      st.setObject(1, siteId);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          ContentItem item = readItem(rs);
          entries.get(item.kind()).add(item.entry());
        }
      }
    }
    var documents = new ArrayList<io.wingu.templates.content.Document>();
    try (var st =
        c.prepareStatement(
            "SELECT * FROM site_document WHERE site_id = ? ORDER BY created_at, id")) {
      st.setObject(1, siteId);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          documents.add(readDocument(rs).document());
        }
      }
    }
    return new SiteContent(
        entries.get(ContentKind.PAGES),
        entries.get(ContentKind.NEWS),
        entries.get(ContentKind.PUBLICATIONS),
        documents);
  }

  public void insertDocument(Connection c, SiteDocument d) throws SQLException {
    try (var st =
        c.prepareStatement(
            "INSERT INTO site_document (id, site_id, title, file_name, digest, size,"
                + " created_at, created_by) VALUES (?, ?, ?::jsonb, ?, ?, ?, ?, ?)")) {
      st.setObject(1, d.id());
      st.setObject(2, d.siteId());
      st.setString(3, ContentItem.text(d.title()).encode());
      st.setString(4, d.fileName());
      st.setString(5, d.digest());
      st.setLong(6, d.size());
      st.setObject(7, OffsetDateTime.ofInstant(d.createdAt(), ZoneOffset.UTC));
      st.setString(8, d.createdBy());
      st.executeUpdate();
    }
  }

  /** Newest first, after the (createdAt, id) of the previous page's last document. */
  public List<SiteDocument> listDocuments(
      Connection c, UUID siteId, Instant afterAt, UUID afterId, int max) throws SQLException {
    try (var st =
        c.prepareStatement(
            "SELECT * FROM site_document WHERE site_id = ?"
                + " AND (?::timestamptz IS NULL OR (created_at, id) < (?::timestamptz, ?::uuid))"
                + " ORDER BY created_at DESC, id DESC LIMIT ?")) {
      OffsetDateTime after =
          afterAt == null ? null : OffsetDateTime.ofInstant(afterAt, ZoneOffset.UTC);
      st.setObject(1, siteId);
      st.setObject(2, after);
      st.setObject(3, after);
      st.setObject(4, afterId);
      st.setInt(5, max);
      List<SiteDocument> out = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(readDocument(rs));
        }
      }
      return out;
    }
  }

  /**
   * The bytes of a file uploaded to this site (the renderer's file source); a digest the site never
   * uploaded is not found, whoever else did.
   */
  public byte[] uploadedFile(Connection c, UUID siteId, String digest)
      throws SQLException, FileNotFoundException {
    try (var st =
        c.prepareStatement(
            "SELECT b.bytes FROM content_blob b WHERE b.digest = ?"
                + " AND EXISTS (SELECT 1 FROM site_document d WHERE d.site_id = ? AND d.digest = b.digest)")) {
      st.setString(1, digest);
      st.setObject(2, siteId);
      try (ResultSet rs = st.executeQuery()) {
        if (!rs.next()) {
          throw new FileNotFoundException("the site has no uploaded file " + digest);
        }
        return rs.getBytes(1);
      }
    }
  }

  private static ContentItem readItem(ResultSet rs) throws SQLException {
    OffsetDateTime updated = rs.getObject("updated_at", OffsetDateTime.class);
    return new ContentItem(
        ContentKind.fromPath(rs.getString("kind")),
        rs.getString("slug"),
        text(rs.getString("title")),
        text(rs.getString("body")),
        rs.getObject("published_at", LocalDate.class),
        updated.toInstant(),
        rs.getString("updated_by"));
  }

  private static SiteDocument readDocument(ResultSet rs) throws SQLException {
    return new SiteDocument(
        rs.getObject("id", UUID.class),
        rs.getObject("site_id", UUID.class),
        text(rs.getString("title")),
        rs.getString("file_name"),
        rs.getString("digest"),
        rs.getLong("size"),
        rs.getObject("created_at", OffsetDateTime.class).toInstant(),
        rs.getString("created_by"));
  }

  private static LocalizedText text(String json) {
    JsonObject o = new JsonObject(json);
    return new LocalizedText(o.getString("sw"), o.getString("en"));
  }
}
