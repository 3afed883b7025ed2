package io.wingu.controlplane.app;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

/**
 * The row key a {@code ?cursor=} names, read only through typed parts: a cursor is client input
 * (well-encoded JSON is easy to forge), so a part that is missing or of the wrong kind is a 400
 * naming {@code cursor}, never a failure deep in a list's query.
 */
public final class Cursor {

  private final JsonObject fields;

  Cursor(JsonObject fields) {
    this.fields = fields;
  }

  /** The 400 for any cursor this server did not give out. */
  public static Problem invalid() {
    return Problem.badRequest("cursor is not one this server gave out",
        List.of(new Problem.FieldError("cursor", "is not valid")));
  }

  public String text(String name) {
    if (fields.getValue(name) instanceof String s) {
      return s;
    }
    throw invalid();
  }

  public Instant instant(String name) {
    try {
      return Instant.parse(text(name));
    } catch (DateTimeParseException e) {
      throw invalid();
    }
  }

  public UUID uuid(String name) {
    try {
      return UUID.fromString(text(name));
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
  }

  /** A whole number that fits a long (JSON's big or fractional numbers do not). */
  public long number(String name) {
    Object value = fields.getValue(name);
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    throw invalid();
  }

  /** A whole number from 0 to {@link Integer#MAX_VALUE}: a position or a revision. */
  public int count(String name) {
    long n = number(name);
    if (n < 0 || n > Integer.MAX_VALUE) {
      throw invalid();
    }
    return (int) n;
  }
}
