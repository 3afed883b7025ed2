package io.wingu.controlplane.sites;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Access;
import io.wingu.controlplane.app.ApiOperations;
import io.wingu.controlplane.app.Database;
import io.wingu.controlplane.app.Page;
import io.wingu.controlplane.app.Problem;
import io.wingu.controlplane.app.Problem.FieldError;
import io.wingu.controlplane.app.Respond;
import io.wingu.controlplane.audit.AuditEntry;
import io.wingu.controlplane.audit.AuditLog;
import io.wingu.controlplane.auth.Caller;
import io.wingu.templates.LocalizedText;
import io.wingu.templates.content.Slugs;
import io.wingu.templates.render.Bundle;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** What webmasters write (pages, news, publications) and upload (PDF documents) for their site. */
public final class ContentRoutes {

  /** The one operation above the 1 MiB body limit. */
  public static final long MAX_DOCUMENT_BYTES = 20L * 1024 * 1024;
  private static final byte[] PDF_MAGIC = "%PDF-".getBytes(StandardCharsets.US_ASCII);
  private static final int MAX_TITLE = 300;

  private final Database db;
  private final SiteStore sites;
  private final SiteContentStore content;
  private final Blobs blobs;
  private final AuditLog audit;
  private final Clock clock;

  public ContentRoutes(Database db, SiteStore sites, SiteContentStore content, Blobs blobs, AuditLog audit,
      Clock clock) {
    this.db = db;
    this.sites = sites;
    this.content = content;
    this.blobs = blobs;
    this.audit = audit;
    this.clock = clock;
  }

  public void addTo(ApiOperations api) {
    api.add("listSiteContent", Access.readers(), this::list);
    api.add("getSiteContent", Access.readers(), this::get);
    api.add("putSiteContent", DeploymentRoutes.WRITERS, this::put);
    api.add("deleteSiteContent", DeploymentRoutes.WRITERS, this::delete);
    api.addUpload("uploadSiteDocument", DeploymentRoutes.WRITERS, MAX_DOCUMENT_BYTES, this::upload);
    api.add("listSiteDocuments", Access.readers(), this::listDocuments);
  }

  private void list(RoutingContext ctx) {
    Caller caller = ApiOperations.caller(ctx);
    UUID siteId = Respond.idParam(ctx, "id");
    ContentKind kind = ContentKind.fromPath(ctx.pathParam("kind"));
    Page page = Page.from(ctx);
    String after = page.after().map(k -> k.getString("slug")).orElse(null);
    Respond.json(ctx, 200, db.call(c -> {
      sites.find(c, caller.scope(), siteId, false).orElseThrow(() -> DeploymentService.notFound(siteId));
      return page.answer(content.list(c, siteId, kind, after, page.fetchSize()), ContentItem::toJson,
          i -> new JsonObject().put("slug", i.slug()));
    }));
  }

  private void get(RoutingContext ctx) {
    Caller caller = ApiOperations.caller(ctx);
    UUID siteId = Respond.idParam(ctx, "id");
    ContentKind kind = ContentKind.fromPath(ctx.pathParam("kind"));
    String slug = ctx.pathParam("slug");
    Respond.json(ctx, 200, db.call(c -> {
      sites.find(c, caller.scope(), siteId, false).orElseThrow(() -> DeploymentService.notFound(siteId));
      return content.find(c, siteId, kind, slug).orElseThrow(() -> noContent(kind, slug)).toJson();
    }));
  }

  private void put(RoutingContext ctx) {
    Caller caller = ApiOperations.caller(ctx);
    UUID siteId = Respond.idParam(ctx, "id");
    ContentKind kind = ContentKind.fromPath(ctx.pathParam("kind"));
    String slug = checkedSlug(ctx.pathParam("slug"));
    JsonObject body = ctx.body().asJsonObject();
    ContentItem item = new ContentItem(kind, slug, text(body, "title"), text(body, "body"),
        date(body.getString("publishedAt")), now(), caller.username());
    String requestId = Respond.requestId(ctx);
    Future<Boolean> created = db.transaction(c -> {
      SiteView site = sites.findChangeable(c, caller.scope(), siteId, false);
      JsonObject before = content.find(c, siteId, kind, slug).map(ContentItem::toJson).orElse(null);
      boolean isNew = content.put(c, siteId, item);
      audit.append(c, new AuditEntry(caller.username(), "site.content.put", target(site, kind, slug),
          site.institutionId(), requestId, before, item.toJson()));
      return isNew;
    });
    created.onSuccess(isNew -> ctx.response().setStatusCode(isNew ? 201 : 200)
        .putHeader("Content-Type", "application/json").end(item.toJson().encode())).onFailure(ctx::fail);
  }

  private void delete(RoutingContext ctx) {
    Caller caller = ApiOperations.caller(ctx);
    UUID siteId = Respond.idParam(ctx, "id");
    ContentKind kind = ContentKind.fromPath(ctx.pathParam("kind"));
    String slug = ctx.pathParam("slug");
    String requestId = Respond.requestId(ctx);
    db.transaction(c -> {
      SiteView site = sites.findChangeable(c, caller.scope(), siteId, false);
      ContentItem before = content.find(c, siteId, kind, slug).orElseThrow(() -> noContent(kind, slug));
      content.delete(c, siteId, kind, slug);
      audit.append(c, new AuditEntry(caller.username(), "site.content.delete", target(site, kind, slug),
          site.institutionId(), requestId, before.toJson(), null));
      return null;
    }).onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
  }

  /**
   * One PDF as the multipart part "file" (optional part "title"). The type is judged by the bytes
   * ({@code %PDF-}), the name only for safety: it becomes a file name in the published bundle.
   */
  private void upload(RoutingContext ctx) {
    Caller caller = ApiOperations.caller(ctx);
    UUID siteId = Respond.idParam(ctx, "id");
    List<FileUpload> uploads = ctx.fileUploads();
    if (uploads.size() != 1 || !"file".equals(uploads.get(0).name())) {
      throw Problem.badRequest("Send exactly one file, as the multipart/form-data part 'file'",
          List.of(new FieldError("file", "exactly one file is required")));
    }
    FileUpload upload = uploads.get(0);
    if (upload.size() > MAX_DOCUMENT_BYTES) {
      throw new Problem(413, "Payload too large", "A document may be at most " + MAX_DOCUMENT_BYTES + " bytes");
    }
    String fileName = checkedFileName(upload.fileName());
    LocalizedText title = LocalizedText.both(documentTitle(ctx.request().getFormAttribute("title"), fileName));
    String requestId = Respond.requestId(ctx);
    ctx.vertx().fileSystem().readFile(upload.uploadedFileName()).compose(buffer -> {
      byte[] bytes = buffer.getBytes();
      if (bytes.length < PDF_MAGIC.length || !Arrays.equals(bytes, 0, PDF_MAGIC.length, PDF_MAGIC, 0, PDF_MAGIC.length)) {
        throw Problem.badRequest("The file is not a PDF", List.of(new FieldError("file", "must be a PDF (%PDF-)")));
      }
      String digest = Bundle.sha256Hex(bytes);
      return db.transaction(c -> {
        SiteView site = sites.findChangeable(c, caller.scope(), siteId, false);
        Instant now = now();
        blobs.putOnce(c, digest, bytes, now);
        SiteDocument document = new SiteDocument(UUID.randomUUID(), siteId, title, fileName, digest, bytes.length,
            now, caller.username());
        content.insertDocument(c, document);
        audit.append(c, new AuditEntry(caller.username(), "site.document.upload",
            DeploymentService.target(site) + "/documents/" + document.id(), site.institutionId(), requestId, null,
            document.toJson()));
        return document;
      });
    }).onSuccess(d -> ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json")
        .end(d.toJson().encode())).onFailure(ctx::fail);
  }

  private void listDocuments(RoutingContext ctx) {
    Caller caller = ApiOperations.caller(ctx);
    UUID siteId = Respond.idParam(ctx, "id");
    Page page = Page.from(ctx);
    Instant afterAt = page.after().map(k -> Instant.parse(k.getString("at"))).orElse(null);
    UUID afterId = page.after().map(k -> UUID.fromString(k.getString("id"))).orElse(null);
    Respond.json(ctx, 200, db.call(c -> {
      sites.find(c, caller.scope(), siteId, false).orElseThrow(() -> DeploymentService.notFound(siteId));
      return page.answer(content.listDocuments(c, siteId, afterAt, afterId, page.fetchSize()), SiteDocument::toJson,
          d -> new JsonObject().put("at", d.createdAt().toString()).put("id", d.id().toString()));
    }));
  }

  static String checkedSlug(String slug) {
    try {
      return Slugs.checkSlug(slug);
    } catch (IllegalArgumentException e) {
      throw Problem.badRequest(e.getMessage(), List.of(new FieldError("slug", e.getMessage())));
    }
  }

  /** A plain, safe file name ending in .pdf: no folders, "..", leading dot or odd characters. */
  static String checkedFileName(String name) {
    try {
      Slugs.checkFileName(name);
    } catch (IllegalArgumentException e) {
      throw Problem.badRequest("The file name is not allowed: " + e.getMessage(),
          List.of(new FieldError("file", e.getMessage())));
    }
    if (!name.toLowerCase(Locale.ROOT).endsWith(".pdf")) {
      throw Problem.badRequest("The file name must end in .pdf", List.of(new FieldError("file", "must end in .pdf")));
    }
    return name;
  }

  /** The given title, or the file name without its extension. */
  static String documentTitle(String given, String fileName) {
    String title = given == null || given.isBlank() ? fileName.substring(0, fileName.lastIndexOf('.')) : given.strip();
    if (title.length() > MAX_TITLE) {
      throw Problem.badRequest("The title is too long", List.of(new FieldError("title",
          "at most " + MAX_TITLE + " characters")));
    }
    return title;
  }

  private static LocalizedText text(JsonObject body, String field) {
    JsonObject t = body.getJsonObject(field);
    return new LocalizedText(t.getString("sw"), t.getString("en"));
  }

  private static LocalDate date(String value) {
    if (value == null) {
      return null;
    }
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw Problem.badRequest("publishedAt is not a date", List.of(new FieldError("publishedAt",
          "must be a date such as 2026-01-31")));
    }
  }

  private static String target(SiteView site, ContentKind kind, String slug) {
    return DeploymentService.target(site) + "/content/" + kind.pathSegment() + "/" + slug;
  }

  private static Problem noContent(ContentKind kind, String slug) {
    return Problem.notFound("No " + kind.pathSegment() + " entry " + slug);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
