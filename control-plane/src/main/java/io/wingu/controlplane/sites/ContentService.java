package io.wingu.controlplane.sites;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.app.Cursor;
import io.wingu.controlplane.app.DomainError;
import io.wingu.controlplane.app.FieldError;
import io.wingu.controlplane.app.Keyset;
import io.wingu.controlplane.app.Page;
import io.wingu.controlplane.app.Problem;
import io.wingu.controlplane.audit.AuditEntry;
import io.wingu.controlplane.audit.AuditedDatabase;
import io.wingu.controlplane.caller.Caller;
import io.wingu.templates.LocalizedText;
import io.wingu.templates.content.Markdown;
import io.wingu.templates.content.Slugs;
import io.wingu.templates.render.Bundle;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;

/**
 * What webmasters write (pages, news, publications) and upload (PDF documents) for their site: the
 * rules and the audit events, for the REST API and the console alike. Knows nothing of HTTP. Reads
 * are for everyone whose scope covers the site; changes need the site to be live.
 */
public final class ContentService {

  /** The largest document: the one upload above the API's 1 MiB body limit. */
  public static final long MAX_DOCUMENT_BYTES = 20L * 1024 * 1024;

  private static final byte[] PDF_MAGIC = "%PDF-".getBytes(StandardCharsets.US_ASCII);
  private static final int MAX_TITLE = 300;

  /**
   * An entry to write: titles and Markdown bodies in both languages, and its date (yyyy-mm-dd) or
   * null.
   */
  public record Entry(LocalizedText title, LocalizedText body, String publishedAt) {}

  /** The entry as written, and whether it is new. */
  public record Written(ContentItem item, boolean created) {}

  /**
   * One uploaded file: the name the sender gave it, its size, and how to read its bytes (read only
   * after the name and size passed).
   */
  public record Upload(String fileName, long size, String title, Supplier<Future<Buffer>> bytes) {}

  private final AuditedDatabase db;
  private final SiteStore sites = new SiteStore();
  private final SiteContentStore content = new SiteContentStore();
  private final Blobs blobs;

  public ContentService(AuditedDatabase db, Blobs blobs) {
    this.db = db;
    this.blobs = blobs;
  }

  /** Entries are listed by slug: a cursor names the last slug seen. */
  public static final Cursor.Shape ENTRY_CURSOR = Cursor.Shape.of(Cursor.Part.text("slug"));

  /** Documents are listed newest first: a cursor names the last one's time and id. */
  public static final Cursor.Shape DOCUMENT_CURSOR =
      Cursor.Shape.of(Cursor.Part.time("at"), Cursor.Part.uuid("id"));

  /** A page of entries of one kind, by slug: {@code items} and {@code nextCursor}. */
  public Future<JsonObject> list(Caller caller, UUID siteId, ContentKind kind, Page page) {
    return db.withHandle(
        h -> {
          readable(h, caller, siteId);
          return page.answer(
              content.list(h, siteId, kind, Keyset.ascending(page, "slug")),
              ContentItem::toJson,
              i -> new JsonObject().put("slug", i.slug()));
        });
  }

  public Future<ContentItem> get(Caller caller, UUID siteId, ContentKind kind, String slug) {
    return db.withHandle(
        h -> {
          readable(h, caller, siteId);
          return content.find(h, siteId, kind, slug).orElseThrow(() -> noContent(kind, slug));
        });
  }

  /** Writes the entry, replacing one of the same kind and slug. */
  public Future<Written> put(
      Caller caller,
      UUID siteId,
      ContentKind kind,
      String slug,
      Entry entry,
      String httpRequestId) {
    ContentItem item =
        new ContentItem(
            kind,
            checkedSlug(slug),
            entry.title(),
            entry.body(),
            date(entry.publishedAt()),
            now(),
            caller.username());
    return db.inTransaction(
        h -> {
          SiteView site = sites.findChangeable(h, caller.scope(), siteId, false);
          JsonObject before =
              content.find(h, siteId, kind, item.slug()).map(ContentItem::toJson).orElse(null);
          boolean isNew = content.put(h, siteId, item);
          db.audit(
              h,
              new AuditEntry(
                  caller.username(),
                  "site.content.put",
                  target(site, kind, item.slug()),
                  site.institutionId(),
                  httpRequestId,
                  before,
                  item.toJson()));
          return new Written(item, isNew);
        });
  }

  public Future<Void> delete(
      Caller caller, UUID siteId, ContentKind kind, String slug, String httpRequestId) {
    return db.inTransaction(
        h -> {
          SiteView site = sites.findChangeable(h, caller.scope(), siteId, false);
          ContentItem before =
              content.find(h, siteId, kind, slug).orElseThrow(() -> noContent(kind, slug));
          content.delete(h, siteId, kind, slug);
          db.audit(
              h,
              new AuditEntry(
                  caller.username(),
                  "site.content.delete",
                  target(site, kind, slug),
                  site.institutionId(),
                  httpRequestId,
                  before.toJson(),
                  null));
          return null;
        });
  }

  /**
   * Whether {@code caller} may upload a document to the site now (it is theirs and can change):
   * asked before the upload's body is read, so a refused caller's file never reaches the disk.
   */
  public Future<Void> admitUpload(Caller caller, UUID siteId) {
    return db.withHandle(
        h -> {
          sites.findChangeable(h, caller.scope(), siteId, false);
          return null;
        });
  }

  /**
   * Stores one PDF. The type is judged by the bytes (parsed, and refused when it carries scripts,
   * launch actions or attached files: {@link PdfSafety}), the name only for safety: it becomes a
   * file name in the published bundle. Too large is 413, anything else refused 400.
   */
  public Future<SiteDocument> upload(
      Caller caller, UUID siteId, Upload upload, String httpRequestId) {
    if (upload.size() > MAX_DOCUMENT_BYTES) {
      throw new Problem(
          413, "Payload too large", "A document may be at most " + MAX_DOCUMENT_BYTES + " bytes");
    }
    String fileName = checkedFileName(upload.fileName());
    LocalizedText title = LocalizedText.both(documentTitle(upload.title(), fileName));
    return upload
        .bytes()
        .get()
        .compose(
            buffer -> {
              byte[] bytes = buffer.getBytes();
              if (bytes.length < PDF_MAGIC.length
                  || !Arrays.equals(bytes, 0, PDF_MAGIC.length, PDF_MAGIC, 0, PDF_MAGIC.length)) {
                throw DomainError.invalid(
                    "The file is not a PDF",
                    List.of(new FieldError("file", "must be a PDF (%PDF-)")));
              }
              // parsing up to 20 MiB is CPU work: it runs on a worker, not the event loop
              return io.vertx.core.Vertx.currentContext()
                  .executeBlocking(
                      () -> {
                        PdfSafety.check(bytes);
                        return bytes;
                      },
                      false);
            })
        .compose(
            bytes -> {
              String digest = Bundle.sha256Hex(bytes);
              return db.inTransaction(
                  h -> {
                    SiteView site = sites.findChangeable(h, caller.scope(), siteId, false);
                    Instant now = now();
                    blobs.putOnce(h, digest, bytes, now);
                    SiteDocument document =
                        new SiteDocument(
                            UUID.randomUUID(),
                            siteId,
                            title,
                            fileName,
                            digest,
                            bytes.length,
                            now,
                            caller.username());
                    content.insertDocument(h, document);
                    db.audit(
                        h,
                        new AuditEntry(
                            caller.username(),
                            "site.document.upload",
                            DeploymentService.target(site) + "/documents/" + document.id(),
                            site.institutionId(),
                            httpRequestId,
                            null,
                            document.toJson()));
                    return document;
                  });
            });
  }

  /** A page of the site's documents, newest first: {@code items} and {@code nextCursor}. */
  public Future<JsonObject> listDocuments(Caller caller, UUID siteId, Page page) {
    return db.withHandle(
        h -> {
          readable(h, caller, siteId);
          return page.answer(
              content.listDocuments(h, siteId, Keyset.descending(page, "created_at", "id")),
              SiteDocument::toJson,
              d ->
                  new JsonObject()
                      .put("at", d.createdAt().toString())
                      .put("id", d.id().toString()));
        });
  }

  /** One of the site's documents and its bytes, as a download gives them. */
  public record DocumentFile(SiteDocument document, byte[] bytes) {}

  /** One document of the site's current list, for everyone whose scope covers the site. */
  public Future<SiteDocument> document(Caller caller, UUID siteId, UUID documentId) {
    return db.withHandle(
        h -> {
          readable(h, caller, siteId);
          return existingDocument(h, siteId, documentId);
        });
  }

  /** A document's bytes as uploaded; a deleted one (or another site's) is not found. */
  public Future<DocumentFile> download(Caller caller, UUID siteId, UUID documentId) {
    return db.withHandle(
        h -> {
          readable(h, caller, siteId);
          SiteDocument document = existingDocument(h, siteId, documentId);
          // blobs are never deleted: the bytes of a document just found are there
          return new DocumentFile(document, blobs.bytes(h, document.digest()));
        });
  }

  /**
   * Takes a document off the site's list: the next deployment no longer publishes it, while the
   * revisions already deployed keep it (their bundles are kept whole, so a rollback still serves
   * it).
   */
  public Future<Void> deleteDocument(
      Caller caller, UUID siteId, UUID documentId, String httpRequestId) {
    return db.inTransaction(
        h -> {
          SiteView site = sites.findChangeable(h, caller.scope(), siteId, false);
          SiteDocument before = existingDocument(h, siteId, documentId);
          content.deleteDocument(h, siteId, documentId);
          db.audit(
              h,
              new AuditEntry(
                  caller.username(),
                  "site.document.delete",
                  DeploymentService.target(site) + "/documents/" + documentId,
                  site.institutionId(),
                  httpRequestId,
                  before.toJson(),
                  null));
          return null;
        });
  }

  /** The site's draft of template parameters, if a webmaster saved one. */
  public Future<java.util.Optional<ParameterDraft>> draft(Caller caller, UUID siteId) {
    return db.withHandle(
        h -> {
          readable(h, caller, siteId);
          return content.draft(h, siteId);
        });
  }

  /**
   * Replaces the site's draft with {@code parametersJson} for {@code templateId}: the answers kept
   * between sections, whether they fit the template yet or not (publishing checks them).
   */
  public Future<ParameterDraft> saveDraft(
      Caller caller, UUID siteId, String templateId, String parametersJson) {
    ParameterDraft draft = new ParameterDraft(templateId, parametersJson, now(), caller.username());
    return db.inTransaction(
        h -> {
          sites.findChangeable(h, caller.scope(), siteId, false);
          content.putDraft(h, siteId, draft);
          return draft;
        });
  }

  /**
   * Stores a picture for the site's parameters (the head's photo), re-encoded by {@link
   * SiteImages}: what the bundle publishes are the server's pixels, never the sender's file. {@code
   * field} is the form field an error is shown on.
   */
  public Future<SiteImage> uploadImage(
      Caller caller, UUID siteId, byte[] bytes, String field, String httpRequestId) {
    return io.vertx.core.Vertx.currentContext()
        .executeBlocking(() -> SiteImages.reencode(bytes, field), false)
        .compose(
            encoded -> {
              String digest = Bundle.sha256Hex(encoded.jpeg());
              return db.inTransaction(
                  h -> {
                    SiteView site = sites.findChangeable(h, caller.scope(), siteId, false);
                    Instant now = now();
                    blobs.putOnce(h, digest, encoded.jpeg(), now);
                    SiteImage image =
                        new SiteImage(
                            digest,
                            "photo-" + digest.substring(0, 12) + ".jpg",
                            encoded.width(),
                            encoded.height(),
                            now,
                            caller.username());
                    content.insertImage(h, siteId, image);
                    db.audit(
                        h,
                        new AuditEntry(
                            caller.username(),
                            "site.image.upload",
                            DeploymentService.target(site) + "/images/" + digest,
                            site.institutionId(),
                            httpRequestId,
                            null,
                            new JsonObject()
                                .put("digest", digest)
                                .put("width", encoded.width())
                                .put("height", encoded.height())));
                    return image;
                  });
            });
  }

  /** The JPEG bytes of an image uploaded to this site. */
  public Future<byte[]> image(Caller caller, UUID siteId, String digest) {
    return db.withHandle(
        h -> {
          readable(h, caller, siteId);
          return content
              .image(h, siteId, digest)
              .orElseThrow(() -> DomainError.notFound("No image " + digest));
        });
  }

  /** A Markdown body as the published site shows it: the site build's own sanitizing renderer. */
  public static String previewHtml(String markdown) {
    return Markdown.toSafeHtml(markdown == null ? "" : markdown);
  }

  static String checkedSlug(String slug) {
    try {
      return Slugs.checkSlug(slug);
    } catch (IllegalArgumentException e) {
      throw DomainError.invalid(e.getMessage(), List.of(new FieldError("slug", e.getMessage())));
    }
  }

  /** A plain, safe file name ending in .pdf: no folders, "..", leading dot or odd characters. */
  static String checkedFileName(String name) {
    try {
      Slugs.checkFileName(name);
    } catch (IllegalArgumentException e) {
      throw DomainError.invalid(
          "The file name is not allowed: " + e.getMessage(),
          List.of(new FieldError("file", e.getMessage())));
    }
    if (!name.toLowerCase(Locale.ROOT).endsWith(".pdf")) {
      throw DomainError.invalid(
          "The file name must end in .pdf", List.of(new FieldError("file", "must end in .pdf")));
    }
    return name;
  }

  /** The given title, or the file name without its extension. */
  static String documentTitle(String given, String fileName) {
    String title =
        given == null || given.isBlank()
            ? fileName.substring(0, fileName.lastIndexOf('.'))
            : given.strip();
    if (title.length() > MAX_TITLE) {
      throw DomainError.invalid(
          "The title is too long",
          List.of(new FieldError("title", "at most " + MAX_TITLE + " characters")));
    }
    return title;
  }

  private static LocalDate date(String value) {
    if (value == null) {
      return null;
    }
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw DomainError.invalid(
          "publishedAt is not a date",
          List.of(new FieldError("publishedAt", "must be a date such as 2026-01-31")));
    }
  }

  private static String target(SiteView site, ContentKind kind, String slug) {
    return DeploymentService.target(site) + "/content/" + kind.pathSegment() + "/" + slug;
  }

  /** One of the site's current documents; a deleted one, or another site's, is not found. */
  private SiteDocument existingDocument(Handle h, UUID siteId, UUID id) {
    return content
        .findDocument(h, siteId, id)
        .orElseThrow(() -> DomainError.notFound("No document " + id));
  }

  /** The site is within the caller's scope, or it is not found for them. */
  private void readable(Handle h, Caller caller, UUID siteId) {
    if (sites.find(h, caller.scope(), siteId, false).isEmpty()) {
      throw DeploymentService.notFound(siteId);
    }
  }

  private static DomainError noContent(ContentKind kind, String slug) {
    return DomainError.notFound("No " + kind.pathSegment() + " entry " + slug);
  }

  private Instant now() {
    return db.now();
  }
}
