package io.wingu.controlplane.web;

import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Problem;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Friendly error pages in the visitor's language: unknown page, not allowed, refused form, failure.
 */
final class ErrorPages {

  private static final Logger LOG = LoggerFactory.getLogger(ErrorPages.class);

  private final Views views;

  ErrorPages(Views views) {
    this.views = views;
  }

  void notFound(RoutingContext ctx) {
    views.send(
        ctx, 404, "error", "error.notFound.title", Map.of("messageKey", "error.notFound.text"));
  }

  void forbidden(RoutingContext ctx) {
    views.send(
        ctx, 403, "error", "error.forbidden.title", Map.of("messageKey", "error.forbidden.text"));
  }

  void methodNotAllowed(RoutingContext ctx) {
    views.send(
        ctx,
        405,
        "error",
        "error.methodNotAllowed.title",
        Map.of("messageKey", "error.methodNotAllowed.text"));
  }

  void csrfRefused(RoutingContext ctx) {
    views.send(ctx, 403, "error", "error.csrf.title", Map.of("messageKey", "error.csrf.text"));
  }

  /**
   * The console's failure handler: a Problem or a service's refusal keeps its status, anything else
   * is logged as a 500.
   */
  void failed(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    io.wingu.controlplane.app.Respond.discardBody(ctx);
    Problem p = Calls.problem(failure);
    if (p != null && p.status() == 404) {
      notFound(ctx);
      return;
    }
    if (p != null && p.status() == 403) {
      forbidden(ctx);
      return;
    }
    if (p != null && p.status() >= 400 && p.status() < 500) {
      // bad input the page could not show on a form, such as a forged cursor in a link
      views.send(
          ctx,
          p.status(),
          "error",
          "error.badRequest.title",
          Map.of("messageKey", "error.badRequest.text"));
      return;
    }
    if (ctx.statusCode() == 413) {
      views.send(
          ctx, 413, "error", "error.tooLarge.title", Map.of("messageKey", "error.tooLarge.text"));
      return;
    }
    // the reference the page shows is the request id the log line carries: a person can quote it
    String reference = io.wingu.controlplane.app.Respond.requestId(ctx);
    LOG.error(
        "console page {} {} failed (reference {})",
        ctx.request().method(),
        ctx.request().path(),
        reference,
        failure);
    if (!ctx.response().headWritten()) {
      views.send(
          ctx,
          500,
          "error",
          "error.internal.title",
          Map.of("messageKey", "error.internal.text", "reference", reference));
    }
  }
}
