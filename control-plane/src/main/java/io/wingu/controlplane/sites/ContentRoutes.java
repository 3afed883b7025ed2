package io.wingu.controlplane.sites;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Access;
import io.wingu.controlplane.app.ApiOperations;
import io.wingu.controlplane.app.FieldError;
import io.wingu.controlplane.app.Page;
import io.wingu.controlplane.app.Problem;
import io.wingu.controlplane.app.Respond;
import io.wingu.templates.LocalizedText;
import java.util.List;

/**
 * The API of what webmasters write and upload for their site; {@link ContentService} does the work.
 */
public record ContentRoutes(ContentService service) {

  public void addTo(ApiOperations api) {
    api.add("listSiteContent", Access.readers(), this::list);
    api.add("getSiteContent", Access.readers(), this::get);
    api.add("putSiteContent", DeploymentRoutes.WRITERS, this::put);
    api.add("deleteSiteContent", DeploymentRoutes.WRITERS, this::delete);
    api.addUpload(
        "uploadSiteDocument",
        DeploymentRoutes.WRITERS,
        ContentService.MAX_DOCUMENT_BYTES,
        ctx -> service.admitUpload(ApiOperations.caller(ctx), Respond.idParam(ctx, "id")),
        this::upload);
    api.add(
        "listSiteDocuments",
        Access.readers(),
        ctx ->
            Respond.json(
                ctx,
                200,
                service.listDocuments(
                    ApiOperations.caller(ctx),
                    Respond.idParam(ctx, "id"),
                    Page.from(ctx, ContentService.DOCUMENT_CURSOR))));
    api.add("downloadSiteDocument", Access.readers(), this::download);
    api.add(
        "deleteSiteDocument",
        DeploymentRoutes.WRITERS,
        Respond.noContent("docId", service::deleteDocument));
  }

  private void download(RoutingContext ctx) {
    service
        .download(
            ApiOperations.caller(ctx), Respond.idParam(ctx, "id"), Respond.idParam(ctx, "docId"))
        .onSuccess(
            f -> Respond.attachment(ctx, f.document().fileName(), "application/pdf", f.bytes()))
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    Respond.json(
        ctx,
        200,
        service.list(
            ApiOperations.caller(ctx),
            Respond.idParam(ctx, "id"),
            ContentKind.fromPath(ctx.pathParam("kind")),
            Page.from(ctx, ContentService.ENTRY_CURSOR)));
  }

  private void get(RoutingContext ctx) {
    Respond.json(
        ctx,
        200,
        service
            .get(
                ApiOperations.caller(ctx),
                Respond.idParam(ctx, "id"),
                ContentKind.fromPath(ctx.pathParam("kind")),
                ctx.pathParam("slug"))
            .map(ContentItem::toJson));
  }

  private void put(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    var entry =
        new ContentService.Entry(
            text(body, "title"), text(body, "body"), body.getString("publishedAt"));
    service
        .put(
            ApiOperations.caller(ctx),
            Respond.idParam(ctx, "id"),
            ContentKind.fromPath(ctx.pathParam("kind")),
            ctx.pathParam("slug"),
            entry,
            Respond.requestId(ctx))
        .onSuccess(
            w ->
                ctx.response()
                    .setStatusCode(w.created() ? 201 : 200)
                    .putHeader("Content-Type", "application/json")
                    .end(w.item().toJson().encode()))
        .onFailure(ctx::fail);
  }

  private void delete(RoutingContext ctx) {
    Respond.noContent(
        ctx,
        service.delete(
            ApiOperations.caller(ctx),
            Respond.idParam(ctx, "id"),
            ContentKind.fromPath(ctx.pathParam("kind")),
            ctx.pathParam("slug"),
            Respond.requestId(ctx)));
  }

  /** One PDF as the multipart part "file" (optional part "title"). */
  private void upload(RoutingContext ctx) {
    List<FileUpload> uploads = ctx.fileUploads();
    if (uploads.size() != 1 || !"file".equals(uploads.get(0).name())) {
      throw Problem.badRequest(
          "Send exactly one file, as the multipart/form-data part 'file'",
          List.of(new FieldError("file", "exactly one file is required")));
    }
    FileUpload file = uploads.get(0);
    var upload =
        new ContentService.Upload(
            file.fileName(),
            file.size(),
            ctx.request().getFormAttribute("title"),
            () -> ctx.vertx().fileSystem().readFile(file.uploadedFileName()));
    service
        .upload(
            ApiOperations.caller(ctx), Respond.idParam(ctx, "id"), upload, Respond.requestId(ctx))
        .onSuccess(
            d ->
                ctx.response()
                    .setStatusCode(201)
                    .putHeader("Content-Type", "application/json")
                    .end(d.toJson().encode()))
        .onFailure(ctx::fail);
  }

  private static LocalizedText text(JsonObject body, String field) {
    JsonObject t = body.getJsonObject(field);
    return new LocalizedText(t.getString("sw"), t.getString("en"));
  }
}
