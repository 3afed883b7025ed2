package io.wingu.controlplane.app;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Keyset pagination for lists: {@code ?limit=} (default 50, max 500) and a {@code ?cursor=} naming
 * the last row seen, written in the list's {@link Cursor.Shape}; answers {@code {items,
 * nextCursor}}.
 */
public record Page(int limit, Optional<Cursor> after, Cursor.Shape shape) {

  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;

  /** The page asked for of a list whose key has {@code shape}. */
  public static Page from(RoutingContext ctx, Cursor.Shape shape) {
    return of(ctx.queryParams().get("limit"), ctx.queryParams().get("cursor"), shape);
  }

  /**
   * The page {@code limitParam} and {@code cursor} (either may be null) ask for. An empty cursor is
   * not one the list gives out, as the document says: a 400 like any other.
   */
  public static Page of(String limitParam, String cursor, Cursor.Shape shape) {
    int limit = DEFAULT_LIMIT;
    if (limitParam != null) {
      try {
        limit = Integer.parseInt(limitParam);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > MAX_LIMIT) {
        throw Problem.badRequest(
            "limit must be a whole number from 1 to " + MAX_LIMIT,
            List.of(new FieldError("limit", "must be from 1 to " + MAX_LIMIT)));
      }
    }
    if (cursor == null) {
      return new Page(limit, Optional.empty(), shape);
    }
    return new Page(limit, Optional.of(shape.decode(cursor).orElseThrow(Cursor::invalid)), shape);
  }

  /** The first {@code limit} rows: how the console shows a short list whole, on one page. */
  public static Page first(int limit, Cursor.Shape shape) {
    return new Page(limit, Optional.empty(), shape);
  }

  /** Rows to fetch: one more than the limit tells whether another page follows. */
  public int fetchSize() {
    return limit + 1;
  }

  /**
   * The answer for {@code rows} fetched with {@link #fetchSize()}; {@code key} makes a row's
   * cursor.
   */
  public <T> JsonObject answer(
      List<T> rows, Function<T, JsonObject> toJson, Function<T, JsonObject> key) {
    return listing(rows, key).toJson(toJson);
  }

  /**
   * The page of {@code rows} fetched with {@link #fetchSize()}; {@code key} makes a row's cursor.
   */
  public <T> Listing<T> listing(List<T> rows, Function<T, JsonObject> key) {
    boolean more = rows.size() > limit;
    List<T> shown = more ? rows.subList(0, limit) : rows;
    String next = more ? shape.encode(key.apply(shown.get(shown.size() - 1))) : null;
    return new Listing<>(shown, next);
  }
}
