package io.wingu.controlplane.app;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The operations endpoints, and the one place that turns failures into problem+json. */
public final class HttpApi {

  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
  public static final long MAX_BODY_BYTES = 1024 * 1024;
  public static final String OPENAPI_RESOURCE = "openapi/wingu.yaml";

  private HttpApi() {}

  /** GET /healthz, /readyz, /metrics and the OpenAPI document. */
  public static void addOperations(
      ApiOperations api, Readiness readiness, PrometheusMeterRegistry metrics) {
    Buffer openapi = Buffer.buffer(ApiContract.document());
    api.add("healthz", Access.anyone(), ctx -> ctx.json(new JsonObject().put("status", "alive")));
    api.add(
        "readyz",
        Access.anyone(),
        ctx ->
            readiness
                .check()
                .onComplete(
                    ar -> {
                      if (ar.failed()) {
                        ctx.fail(ar.cause());
                        return;
                      }
                      var report = ar.result();
                      ctx.response()
                          .setStatusCode(report.getBoolean("ready") ? 200 : 503)
                          .putHeader("Content-Type", "application/json")
                          .end(report.encode());
                    }));
    api.add(
        "metrics",
        Access.anyone(),
        ctx ->
            ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .end(metrics.scrape()));
    api.add(
        "openapi",
        Access.anyone(),
        ctx -> ctx.response().putHeader("Content-Type", "application/yaml").end(openapi));
  }

  /** Completes the API's router: unknown paths and methods, and every failure, as problem+json. */
  public static Router finish(Router router) {
    router.route().failureHandler(HttpApi::fail);
    router.errorHandler(
        404, ctx -> Problem.notFound("No resource at " + ctx.request().path()).send(ctx));
    router.errorHandler(
        405,
        ctx ->
            new Problem(
                    405,
                    "Method not allowed",
                    ctx.request().method() + " is not allowed on " + ctx.request().path())
                .withHeader("Allow", AllowedMethods.header(router, ctx.request().path()))
                .send(ctx));
    return router;
  }

  /** Maps whatever a handler failed with to problem+json; the only place that does. */
  static void fail(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof HttpException http && http.getCause() != null) {
      failure = http.getCause();
    }
    Problem problem;
    if (failure instanceof Problem p) {
      problem = p;
    } else if (failure instanceof DomainError d) {
      problem = Problem.of(d);
    } else if (failure instanceof ValidatorException v) {
      problem =
          Problem.badRequest(
              "The request does not match the API contract: " + v.getMessage(), fieldErrors(v));
    } else if (failure instanceof DecodeException
        || failure instanceof IllegalArgumentException && ctx.statusCode() == 400) {
      problem =
          Problem.badRequest(
              "The body is not valid JSON", List.of(new FieldError("body", "is not valid JSON")));
    } else if (ctx.statusCode() == 413) {
      Long limit = ctx.get(ApiOperations.BODY_LIMIT);
      problem =
          new Problem(
              413,
              "Payload too large",
              "The request body is larger than "
                  + (limit == null ? MAX_BODY_BYTES : limit)
                  + " bytes");
    } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
      problem = new Problem(ctx.statusCode(), "Bad request", "The request could not be processed");
    } else {
      LOG.error("request {} {} failed", ctx.request().method(), ctx.request().path(), failure);
      problem =
          new Problem(
              500,
              "Internal error",
              "The server failed to handle this request; it has been logged");
    }
    if (!ctx.response().ended() && !ctx.response().headWritten()) {
      Respond.discardBody(ctx);
      problem.send(ctx);
    }
  }

  private static List<FieldError> fieldErrors(ValidatorException v) {
    List<FieldError> errors = new ArrayList<>();
    if (v instanceof SchemaValidationException s && s.getOutputUnit() != null) {
      collect(s.getOutputUnit(), errors);
    }
    // a parameter's own schema reports its errors at the root: name the parameter, not the body
    String parameter = parameterName(v.getMessage());
    errors.replaceAll(e -> e.field().equals("body") ? new FieldError(parameter, e.message()) : e);
    if (errors.isEmpty()) {
      errors.add(new FieldError(parameterName(v.getMessage()), v.getMessage()));
    }
    return errors;
  }

  private static void collect(OutputUnit unit, List<FieldError> errors) {
    if (unit.getErrors() != null && !unit.getErrors().isEmpty()) {
      unit.getErrors().forEach(e -> collect(e, errors));
    } else if (unit.getError() != null) {
      errors.add(new FieldError(field(unit.getInstanceLocation()), unit.getError()));
    }
  }

  /** "#/hostnames/0" or "/hostnames/0" → "hostnames[0]"; the body itself → "body". */
  public static String field(String location) {
    if (location == null) {
      return "body";
    }
    String path = location.startsWith("#") ? location.substring(1) : location;
    if (path.isEmpty() || path.equals("/")) {
      return "body";
    }
    StringBuilder out = new StringBuilder();
    for (String part : path.substring(1).split("/")) {
      if (part.chars().allMatch(Character::isDigit) && !out.isEmpty()) {
        out.append('[').append(part).append(']');
      } else {
        out.append(out.isEmpty() ? "" : ".").append(part.replace("~1", "/").replace("~0", "~"));
      }
    }
    return out.toString();
  }

  private static String parameterName(String message) {
    if (message != null) {
      var m = java.util.regex.Pattern.compile("parameter (\\S+)").matcher(message);
      if (m.find()) {
        return m.group(1);
      }
    }
    return "body";
  }
}
