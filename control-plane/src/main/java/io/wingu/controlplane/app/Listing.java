package io.wingu.controlplane.app;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Function;

/**
 * One page of a list as a service returns it: the rows, and the cursor of the page after ({@code
 * null} on the last). Routes write it as the API's {@code {items, nextCursor}}; pages turn the rows
 * into their view models.
 */
public record Listing<T>(List<T> items, String nextCursor) {

  public Listing {
    items = List.copyOf(items);
  }

  /**
   * The API's answer: {@code items}, each written by {@code toJson}, and {@code nextCursor} (null
   * on the last page).
   */
  public JsonObject toJson(Function<T, JsonObject> toJson) {
    JsonArray rows = new JsonArray();
    items.forEach(r -> rows.add(toJson.apply(r)));
    return new JsonObject().put("items", rows).put("nextCursor", nextCursor);
  }
}
