package io.wingu.controlplane.app;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The row key a {@code ?cursor=} names. Each list has a {@link Shape}: its key's parts in order,
 * each written in a plain form (digits, hex) and joined by {@code _}. The OpenAPI document gives
 * every list's cursor as the shape's {@link Shape#pattern() pattern}, and every text that pattern
 * accepts is a key the list can start after: a cursor is client input, so what the document calls
 * valid the server must take, and anything else is a 400 naming {@code cursor}.
 */
public final class Cursor {

  /** How one part of a key is written. */
  public enum Kind {
    /** Any text, as the hex of its UTF-8 (no NUL byte, which PostgreSQL text cannot hold). */
    TEXT("(?:0[1-9a-f]|[1-9a-f][0-9a-f]){1,1024}"),
    /** An instant, as whole microseconds since 1970 (PostgreSQL's precision). */
    TIME("[0-9]{1,17}"),
    /** A UUID, as its 32 hex digits. */
    UUID("[0-9a-f]{32}"),
    /** A whole number from 0 that fits a long (a sequence number). */
    NUMBER("[0-9]{1,18}"),
    /** A whole number from 0 that fits an int (a position, a revision). */
    COUNT("[0-9]{1,9}");

    final String regex;

    Kind(String regex) {
      this.regex = regex;
    }
  }

  /** One named part of a key. */
  public record Part(String name, Kind kind) {

    public static Part text(String name) {
      return new Part(name, Kind.TEXT);
    }

    public static Part time(String name) {
      return new Part(name, Kind.TIME);
    }

    public static Part uuid(String name) {
      return new Part(name, Kind.UUID);
    }

    public static Part number(String name) {
      return new Part(name, Kind.NUMBER);
    }

    public static Part count(String name) {
      return new Part(name, Kind.COUNT);
    }
  }

  /** The parts of one list's key, in order. */
  public static final class Shape {

    private final List<Part> parts;
    private final Pattern pattern;

    private Shape(List<Part> parts) {
      this.parts = List.copyOf(parts);
      this.pattern = Pattern.compile(pattern());
    }

    public static Shape of(Part... parts) {
      return new Shape(List.of(parts));
    }

    List<Part> parts() {
      return parts;
    }

    /** The regular expression (anchored) that the OpenAPI document gives this list's cursor. */
    public String pattern() {
      return parts.stream().map(p -> p.kind().regex).collect(Collectors.joining("_", "^", "$"));
    }

    /** The key a cursor names; empty when the text is not of this shape. */
    public Optional<Cursor> decode(String text) {
      if (text == null || !pattern.matcher(text).matches()) {
        return Optional.empty();
      }
      String[] values = text.split("_", -1);
      JsonObject fields = new JsonObject();
      for (int i = 0; i < parts.size(); i++) {
        Part part = parts.get(i);
        String v = values[i];
        switch (part.kind()) {
          case TEXT ->
              fields.put(
                  part.name(), new String(HexFormat.of().parseHex(v), StandardCharsets.UTF_8));
          case TIME -> {
            long micros = Long.parseLong(v);
            fields.put(
                part.name(),
                Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1000).toString());
          }
          case UUID ->
              fields.put(
                  part.name(),
                  new java.util.UUID(
                          Long.parseUnsignedLong(v.substring(0, 16), 16),
                          Long.parseUnsignedLong(v.substring(16), 16))
                      .toString());
          case NUMBER, COUNT -> fields.put(part.name(), Long.parseLong(v));
        }
      }
      return Optional.of(new Cursor(fields));
    }

    /**
     * The cursor naming {@code key} (the list's row key, its parts by name) as the last row seen.
     */
    public String encode(JsonObject key) {
      return parts.stream()
          .map(p -> encode(p, key.getValue(p.name())))
          .collect(Collectors.joining("_"));
    }

    /**
     * The cursor naming {@code key} as the last row seen, for a key the code holds rather than one
     * a client sent; written and read back, so its parts have the types a sent cursor's have.
     */
    public Cursor cursor(JsonObject key) {
      return decode(encode(key)).orElseThrow(Cursor::invalid);
    }

    private static String encode(Part part, Object value) {
      return switch (part.kind()) {
        case TEXT ->
            HexFormat.of().formatHex(String.valueOf(value).getBytes(StandardCharsets.UTF_8));
        case TIME -> {
          Instant at = value instanceof Instant i ? i : Instant.parse(String.valueOf(value));
          yield Long.toString(
              Math.multiplyExact(at.getEpochSecond(), 1_000_000L) + at.getNano() / 1000);
        }
        case UUID -> String.valueOf(value).replace("-", "").toLowerCase(java.util.Locale.ROOT);
        case NUMBER, COUNT -> Long.toString(((Number) value).longValue());
      };
    }
  }

  private final JsonObject fields;

  Cursor(JsonObject fields) {
    this.fields = fields;
  }

  /** The value of {@code part} in the Java type a query binds for its kind. */
  Object value(Part part) {
    return switch (part.kind()) {
      case TEXT -> text(part.name());
      case TIME -> instant(part.name());
      case UUID -> uuid(part.name());
      case NUMBER -> number(part.name());
      case COUNT -> count(part.name());
    };
  }

  /** The 400 for any cursor that is not of the list's shape. */
  public static Problem invalid() {
    return Problem.badRequest(
        "cursor is not one this list gives out", List.of(new FieldError("cursor", "is not valid")));
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

  /** A whole number that fits a long. */
  public long number(String name) {
    if (fields.getValue(name) instanceof Long n) {
      return n;
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
