package io.wingu.controlplane.app;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Keyset pagination for lists: {@code ?limit=} (default 50, max 500) and an opaque
 * {@code ?cursor=} naming the last row seen; answers {@code {items, nextCursor}}.
 */
public record Page(int limit, Optional<Cursor> after) {

  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;

  public static Page from(RoutingContext ctx) {
    String limitParam = ctx.queryParams().get("limit");
    int limit = DEFAULT_LIMIT;
    if (limitParam != null) {
      try {
        limit = Integer.parseInt(limitParam);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > MAX_LIMIT) {
        throw Problem.badRequest("limit must be a whole number from 1 to " + MAX_LIMIT,
            List.of(new Problem.FieldError("limit", "must be from 1 to " + MAX_LIMIT)));
      }
    }
    String cursor = ctx.queryParams().get("cursor");
    if (cursor == null || cursor.isEmpty()) {
      return new Page(limit, Optional.empty());
    }
    return new Page(limit, Optional.of(decode(cursor).orElseThrow(Cursor::invalid)));
  }

  /**
   * The row key a cursor names; empty when the text is not base64url of a JSON object. Its parts
   * are checked as a list reads them ({@link Cursor}), so a forged object is a 400 too.
   */
  public static Optional<Cursor> decode(String cursor) {
    try {
      return Optional.of(new Cursor(new JsonObject(
          new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8))));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Rows to fetch: one more than the limit tells whether another page follows. */
  public int fetchSize() {
    return limit + 1;
  }

  /** The answer for {@code rows} fetched with {@link #fetchSize()}; {@code key} makes a row's cursor. */
  public <T> JsonObject answer(List<T> rows, Function<T, JsonObject> toJson, Function<T, JsonObject> key) {
    boolean more = rows.size() > limit;
    List<T> shown = more ? rows.subList(0, limit) : rows;
    JsonArray items = new JsonArray();
    shown.forEach(r -> items.add(toJson.apply(r)));
    String next = more ? cursor(key.apply(shown.get(shown.size() - 1))) : null;
    return new JsonObject().put("items", items).put("nextCursor", next);
  }

  /** The opaque cursor naming {@code key} as the last row seen. */
  public static String cursor(JsonObject key) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(key.encode().getBytes(StandardCharsets.UTF_8));
  }
}
