package io.wingu.controlplane.sites;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Access;
import io.wingu.controlplane.app.ApiOperations;
import io.wingu.controlplane.app.Cursor;
import io.wingu.controlplane.app.DomainError;
import io.wingu.controlplane.app.Page;
import io.wingu.controlplane.app.Respond;
import io.wingu.controlplane.caller.Role;

/**
 * Deployments, rollback and previews of a site's revisions, and the bundle endpoint of init
 * containers.
 */
public record DeploymentRoutes(DeploymentService service) {

  /** Revisions are listed newest first: a cursor names the last revision seen. */
  public static final Cursor.Shape CURSOR = DeploymentService.CURSOR;

  /** Who may change a site's content and revisions: its own institution's people. */
  static final Access WRITERS = Access.roles(Role.INSTITUTION_ADMIN, Role.WEBMASTER);

  public void addTo(ApiOperations api) {
    api.add("createDeployment", WRITERS, this::deploy);
    api.add("listDeployments", Access.readers(), this::list);
    api.add("rollbackSite", WRITERS, this::rollback);
    api.add(
        "upgradeSite",
        WRITERS,
        ctx ->
            Respond.json(
                ctx,
                201,
                service
                    .upgrade(
                        ApiOperations.caller(ctx),
                        Respond.idParam(ctx, "id"),
                        Respond.requestId(ctx))
                    .map(r -> r.toJson(r.revision()))));
    api.add("previewSite", Access.readers(), this::preview);
    api.add("getBundle", Access.anyone(), this::bundle);
  }

  private void deploy(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    JsonObject content = body.getJsonObject("content");
    var deploy =
        new DeploymentService.Deploy(
            body.getString("templateId"),
            SiteTemplates.jackson(body.getJsonObject("parameters")),
            content == null ? null : SiteTemplates.jackson(content));
    Respond.json(
        ctx,
        201,
        service
            .deploy(
                ApiOperations.caller(ctx),
                Respond.idParam(ctx, "id"),
                deploy,
                Respond.requestId(ctx))
            .map(r -> r.toJson(r.revision())));
  }

  private void list(RoutingContext ctx) {
    Page page = Page.from(ctx, CURSOR);
    Respond.json(
        ctx,
        200,
        service
            .list(ApiOperations.caller(ctx), Respond.idParam(ctx, "id"), page)
            .map(DeploymentService.Listing::toJson));
  }

  private void rollback(RoutingContext ctx) {
    int revision = ctx.body().asJsonObject().getInteger("revision");
    Respond.json(
        ctx,
        200,
        service.rollback(
            ApiOperations.caller(ctx),
            Respond.idParam(ctx, "id"),
            revision,
            Respond.requestId(ctx)));
  }

  private void preview(RoutingContext ctx) {
    String revision = ctx.queryParams().get("revision");
    PreviewPages.send(
        ctx,
        service.preview(
            ApiOperations.caller(ctx),
            Respond.idParam(ctx, "id"),
            revision == null ? null : Integer.valueOf(revision)));
  }

  /**
   * No user token here: the site's bundle token, which only opens bundles deployed to that site.
   */
  private void bundle(RoutingContext ctx) {
    String digest = ctx.pathParam("digest");
    String header = ctx.request().getHeader("Authorization");
    String token =
        header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
            ? header.substring(7)
            : null;
    service
        .bundle(token, digest)
        .onSuccess(
            bytes -> {
              if (bytes.isEmpty()) {
                ctx.fail(DomainError.notFound("No bundle " + digest + " for this token"));
                return;
              }
              ctx.response()
                  .putHeader("Content-Type", "application/gzip")
                  .putHeader("ETag", "\"" + digest + "\"")
                  .putHeader("Cache-Control", "private, max-age=31536000, immutable")
                  .end(io.vertx.core.buffer.Buffer.buffer(bytes.get()));
            })
        .onFailure(ctx::fail);
  }
}
