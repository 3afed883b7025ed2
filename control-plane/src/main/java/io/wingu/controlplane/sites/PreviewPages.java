package io.wingu.controlplane.sites;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

/** Writes a rendered preview page. */
final class PreviewPages {

  /**
   * Previews are institution-written pages served from the API's own origin: besides the renderer's
   * sanitizing, the browser is told to run no script and treat the page as a foreign origin
   * (sandbox), allowing only its embedded styles and images.
   */
  static final String CONTENT_SECURITY_POLICY =
      "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:";

  private PreviewPages() {}

  static void send(RoutingContext ctx, Future<String> html) {
    html.onSuccess(
            page ->
                ctx.response()
                    .putHeader("Content-Type", "text/html; charset=utf-8")
                    .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                    .putHeader("X-Content-Type-Options", "nosniff")
                    .putHeader("Cache-Control", "no-store")
                    .end(page))
        .onFailure(ctx::fail);
  }
}
