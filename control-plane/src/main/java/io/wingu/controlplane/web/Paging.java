package io.wingu.controlplane.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Cursor;
import io.wingu.controlplane.app.Listing;
import io.wingu.controlplane.app.Page;
import io.wingu.controlplane.app.Problem;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A console list one page at a time, on the API's keyset pagination: "Next" is a plain link
 * carrying the API's {@code cursor}; "Previous" carries the cursors of the pages before it in
 * {@code back}, so it needs no state on the server and no script in the browser.
 */
final class Paging {

  /**
   * Stands for the first page (no cursor) in {@code back}; outside every cursor's alphabet (digits,
   * hex and {@code _}).
   */
  private static final String FIRST = "~";

  private static final int MAX_BACK = 50;

  private Paging() {}

  /** The page asked for; a cursor this server never gave out names no page (404). */
  static Page of(RoutingContext ctx, Cursor.Shape shape) {
    try {
      // a console form may send an empty cursor: the first page
      String cursor = ctx.queryParams().get("cursor");
      return Page.of(
          ctx.queryParams().get("limit"),
          cursor == null || cursor.isEmpty() ? null : cursor,
          shape);
    } catch (Problem p) {
      throw Problem.notFound("no such page of " + ctx.request().path());
    }
  }

  /**
   * The page's rows as {@code rowsKey} and its links for {@code _paging}: {@code nextHref} and
   * {@code previousHref}, keeping the list's other query parameters (a filter).
   */
  static Map<String, Object> model(RoutingContext ctx, JsonObject answer, String rowsKey) {
    List<Object> rows = new ArrayList<>();
    answer.getJsonArray("items", new JsonArray()).forEach(rows::add);
    return model(ctx, rows, answer.getString("nextCursor"), rowsKey);
  }

  /**
   * As {@link #model(RoutingContext, JsonObject, String)}, for a service's page: each row as {@code
   * view} shows it.
   */
  static <T> Map<String, Object> model(
      RoutingContext ctx, Listing<T> listing, Function<T, ?> view, String rowsKey) {
    return model(
        ctx,
        new ArrayList<>(listing.items().stream().map(view).toList()),
        listing.nextCursor(),
        rowsKey);
  }

  private static Map<String, Object> model(
      RoutingContext ctx, List<Object> rows, String next, String rowsKey) {
    Map<String, Object> model = new HashMap<>();
    model.put(rowsKey, rows);
    String cursor = ctx.queryParams().get("cursor");
    String backParam = ctx.queryParams().get("back");
    List<String> back =
        new ArrayList<>(
            backParam == null || backParam.isEmpty() ? List.of() : List.of(backParam.split("\\.")));
    if (next != null) {
      List<String> forward = new ArrayList<>(back);
      forward.add(cursor == null || cursor.isEmpty() ? FIRST : cursor);
      while (forward.size() > MAX_BACK) {
        forward.remove(0);
      }
      model.put("nextHref", href(ctx, next, forward));
    }
    if (!back.isEmpty()) {
      String previous = back.remove(back.size() - 1);
      model.put("previousHref", href(ctx, previous.equals(FIRST) ? null : previous, back));
    } else if (cursor != null && !cursor.isEmpty()) {
      model.put("previousHref", href(ctx, null, List.of()));
    }
    return model;
  }

  private static String href(RoutingContext ctx, String cursor, List<String> back) {
    StringBuilder query = new StringBuilder();
    ctx.queryParams()
        .forEach(
            (name, value) -> {
              if (!name.equals("cursor")
                  && !name.equals("back")
                  && !name.equals("lang")
                  && !name.equals("done")) {
                append(query, name, value);
              }
            });
    if (cursor != null) {
      append(query, "cursor", cursor);
    }
    if (!back.isEmpty()) {
      append(query, "back", String.join(".", back));
    }
    return ctx.request().path() + (query.isEmpty() ? "" : "?" + query);
  }

  private static void append(StringBuilder query, String name, String value) {
    query
        .append(query.isEmpty() ? "" : "&")
        .append(URLEncoder.encode(name, StandardCharsets.UTF_8))
        .append('=')
        .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
  }
}
