package io.wingu.controlplane.web;

import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.wingu.controlplane.app.Access;
import java.nio.file.Path;

/**
 * The console's router as pages use it: every route first passes the session gate with the page's
 * role rule (and, on a POST, the CSRF check), then reaches its handler.
 */
record GatedRouter(Router router, SessionGate gate) {

  /** A page read with GET by the callers {@code access} lets in. */
  void get(String path, Access access, Handler<RoutingContext> page) {
    router.get(path).handler(gate.require(access)).handler(page);
  }

  /** A form posted by the callers {@code access} lets in. */
  void post(String path, Access access, Handler<RoutingContext> action) {
    router.post(path).handler(gate.require(access)).handler(action);
  }

  /**
   * A form that may carry a file (multipart, kept in {@code uploads} until the request ends, at
   * most {@code bodyLimit} bytes): who posts, and {@code admit}'s own check, pass before the body
   * is read; the CSRF token is among its fields, so the full gate comes after it. A form without a
   * file has been read by the form reader already and goes straight on.
   */
  void postUpload(
      String path,
      Access access,
      Path uploads,
      long bodyLimit,
      Handler<RoutingContext> admit,
      Handler<RoutingContext> action) {
    BodyHandler multipart =
        BodyHandler.create(uploads.toString())
            .setDeleteUploadedFilesOnEnd(true)
            .setBodyLimit(bodyLimit);
    router
        .post(path)
        .handler(gate.requireBeforeBody(access))
        .handler(admit)
        .handler(
            ctx -> {
              if (ctx.request().isEnded()) {
                ctx.next();
              } else {
                multipart.handle(ctx);
              }
            })
        .handler(gate.require(access))
        .handler(action);
  }
}
