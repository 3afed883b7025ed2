package io.wingu.controlplane.scorecard;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A month's ranking: a published version ({@code publication} set) or a draft computed now, with
 * the weights it used, the median score, and every version published so far.
 */
public record Ranking(
    YearMonth month,
    Publication publication,
    List<Publication> versions,
    Map<String, Integer> weights,
    double median,
    List<Score> items) {

  /** Lagging: a score below this, named on the public page with the criteria missed. */
  public static final double LAGGING_BELOW = 50.0;

  public boolean published() {
    return publication != null;
  }

  /**
   * The ranking as JSON, the items made by {@code item} (all, one institution's, or public ones).
   */
  public JsonObject toJson(List<Score> shown, Function<Score, JsonObject> item) {
    return toJson(shown, item, false);
  }

  /** The ranking for the public page and API: the same, without who published it. */
  public JsonObject toPublicJson(List<Score> shown) {
    return toJson(shown, Score::toPublicJson, true);
  }

  private JsonObject toJson(
      List<Score> shown, Function<Score, JsonObject> item, boolean forPublic) {
    JsonArray items = new JsonArray();
    shown.forEach(s -> items.add(item.apply(s).put("lagging", s.score() < LAGGING_BELOW)));
    JsonArray history = new JsonArray();
    versions.forEach(p -> history.add(forPublic ? p.toPublicJson() : p.toJson()));
    JsonObject o =
        new JsonObject()
            .put("month", month.toString())
            .put("status", published() ? "published" : "draft")
            .put("weights", new JsonObject(new LinkedHashMap<>(weights)))
            .put("median", median)
            .put("institutions", items().size())
            .put("laggingBelow", LAGGING_BELOW)
            .put("versions", history)
            .put("items", items);
    if (published()) {
      o.mergeIn(forPublic ? publication.toPublicJson() : publication.toJson());
    }
    return o;
  }
}
