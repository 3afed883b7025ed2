package io.wingu.controlplane.app;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * An RFC 9457 problem: thrown by any handler, written once by {@link HttpApi}'s failure handler.
 */
public class Problem extends RuntimeException {

  private final int status;
  private final String title;
  private final List<FieldError> errors;
  private final String code;
  private final String conflictField;
  private final java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();

  public Problem(int status, String title, String detail) {
    this(status, title, detail, List.of());
  }

  public Problem(int status, String title, String detail, List<FieldError> errors) {
    this(status, title, detail, errors, null, null);
  }

  private Problem(
      int status,
      String title,
      String detail,
      List<FieldError> errors,
      String code,
      String conflictField) {
    super(detail);
    this.status = status;
    this.title = title;
    this.errors = List.copyOf(errors);
    this.code = code;
    this.conflictField = conflictField;
  }

  /**
   * A service's refusal as the API answers it: the one mapping of {@link DomainError}s to statuses,
   * titles and members (a conflict adds its {@code code}).
   */
  public static Problem of(DomainError error) {
    return switch (error) {
      case DomainError.NotFound e -> notFound(e.detail());
      case DomainError.Conflict e ->
          new Problem(409, "Conflict", e.detail(), List.of(), e.code(), e.field());
      case DomainError.Invalid e -> badRequest(e.detail(), e.errors());
      case DomainError.Forbidden e -> new Problem(403, "Forbidden", e.detail());
    };
  }

  public static Problem badRequest(String detail, List<FieldError> errors) {
    return new Problem(400, "Invalid request", detail, errors);
  }

  public static Problem notFound(String detail) {
    return new Problem(404, "Not found", detail);
  }

  /** Adds a response header, e.g. Retry-After on 429. */
  public Problem withHeader(String name, String value) {
    headers.put(name, value);
    return this;
  }

  public int status() {
    return status;
  }

  /** A conflict's stable code, such as {@code hostname-taken}; null for other problems. */
  public String code() {
    return code;
  }

  /** The input a conflict is about (not sent: the console puts its message there), or null. */
  public String conflictField() {
    return conflictField;
  }

  public List<FieldError> errors() {
    return errors;
  }

  public JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put("type", "https://wingu.go.tz/problems/" + slug(title))
            .put("title", title)
            .put("status", status)
            .put("detail", getMessage());
    if (code != null) {
      json.put("code", code);
    }
    if (!errors.isEmpty()) {
      JsonArray list = new JsonArray();
      errors.forEach(
          e -> list.add(new JsonObject().put("field", e.field()).put("message", e.message())));
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
