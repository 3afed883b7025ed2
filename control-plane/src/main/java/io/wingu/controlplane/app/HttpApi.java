package io.wingu.controlplane.app;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one router: every route the control plane serves is listed here. */
public final class HttpApi {

  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
  public static final long MAX_BODY_BYTES = 1024 * 1024;

  private HttpApi() {
  }

  public static Router router(Vertx vertx, Readiness readiness, PrometheusMeterRegistry metrics) {
    Router router = Router.router(vertx);
    Buffer openapi = Buffer.buffer(resource("/openapi/wingu.yaml"));

    router.get("/healthz").handler(ctx -> ctx.json(new io.vertx.core.json.JsonObject().put("status", "alive")));
    router.get("/readyz").handler(ctx -> readiness.check().onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      var report = ar.result();
      ctx.response().setStatusCode(report.getBoolean("ready") ? 200 : 503)
          .putHeader("Content-Type", "application/json")
          .end(report.encode());
    }));
    router.get("/metrics").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .end(metrics.scrape()));

    router.route("/api/v1/*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
    router.get("/api/v1/openapi.yaml").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "application/yaml")
        .end(openapi));

    router.route().last().handler(ctx ->
        Problem.notFound("No resource at " + ctx.request().path()).send(ctx));
    router.route().failureHandler(HttpApi::fail);
    return router;
  }

  /** Maps whatever a handler failed with to problem+json; the only place that does. */
  static void fail(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    Problem problem;
    if (failure instanceof Problem p) {
      problem = p;
    } else if (ctx.statusCode() == 413) {
      problem = new Problem(413, "Payload too large", "The request body is larger than " + MAX_BODY_BYTES + " bytes");
    } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
      problem = new Problem(ctx.statusCode(), "Bad request", "The request could not be processed");
    } else {
      LOG.error("request {} {} failed", ctx.request().method(), ctx.request().path(), failure);
      problem = new Problem(500, "Internal error", "The server failed to handle this request; it has been logged");
    }
    if (!ctx.response().ended()) {
      problem.send(ctx);
    }
  }

  private static byte[] resource(String name) {
    try (InputStream in = HttpApi.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
