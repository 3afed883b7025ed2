package io.wingu.controlplane.sites;

import io.vertx.core.WorkerExecutor;
import io.wingu.controlplane.app.Access;
import io.wingu.controlplane.app.ApiOperations;
import io.wingu.controlplane.app.DomainError;
import io.wingu.templates.catalog.Template;

/** The template catalogue: what institutions may build their site from, and how each looks. */
public record TemplateRoutes(SiteTemplates templates, WorkerExecutor renderers) {

  public void addTo(ApiOperations api) {
    api.add(
        "listTemplates",
        Access.anySignedIn(),
        ctx ->
            ctx.response().putHeader("Content-Type", "application/json").end(templates.listing()));
    api.add(
        "previewTemplate",
        Access.anySignedIn(),
        ctx -> {
          String id = ctx.pathParam("id");
          Template template =
              templates.find(id).orElseThrow(() -> DomainError.notFound("No template " + id));
          PreviewPages.send(
              ctx, renderers.executeBlocking(() -> templates.preview(template), false));
        });
  }
}
