package io.wingu.controlplane.app;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * An RFC 9457 problem: thrown by any handler, written once by {@link HttpApi}'s failure handler.
 */
public class Problem extends RuntimeException {

  /** One invalid field of a request. */
  public record FieldError(String field, String message) {
  }

  private final int status;
  private final String title;
  private final List<FieldError> errors;
  private final java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();

  public Problem(int status, String title, String detail) {
    this(status, title, detail, List.of());
  }

  public Problem(int status, String title, String detail, List<FieldError> errors) {
    super(detail);
    this.status = status;
    this.title = title;
    this.errors = List.copyOf(errors);
  }

  public static Problem badRequest(String detail, List<FieldError> errors) {
    return new Problem(400, "Invalid request", detail, errors);
  }

  public static Problem notFound(String detail) {
    return new Problem(404, "Not found", detail);
  }

  public static Problem conflict(String detail) {
    return new Problem(409, "Conflict", detail);
  }

  /** Adds a response header, e.g. Retry-After on 429. */
  public Problem withHeader(String name, String value) {
    headers.put(name, value);
    return this;
  }

  public int status() {
    return status;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("type", "https://wingu.go.tz/problems/" + slug(title))
        .put("title", title)
        .put("status", status)
        .put("detail", getMessage());
    if (!errors.isEmpty()) {
      JsonArray list = new JsonArray();
      errors.forEach(e -> list.add(new JsonObject().put("field", e.field()).put("message", e.message())));
      json.put("errors", list);
    }
    return json;
  }

  public void send(RoutingContext ctx) {
    headers.forEach(ctx.response()::putHeader);
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/problem+json")
        .end(toJson().encode());
  }

  private static String slug(String s) {
    return s.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
  }
}
