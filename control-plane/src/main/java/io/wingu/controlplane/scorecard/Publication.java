package io.wingu.controlplane.scorecard;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Map;

/** Version N of a published month: the first publication, or a correction of the one before. */
public record Publication(
    YearMonth month,
    int version,
    Instant publishedAt,
    String publishedBy,
    Map<String, Integer> weights,
    double median,
    String note) {

  public Integer correctionOf() {
    return version > 1 ? version - 1 : null;
  }

  /** What the public sees: no operator's name. */
  public JsonObject toPublicJson() {
    JsonObject o = toJson();
    o.remove("publishedBy");
    return o;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("month", month.toString())
        .put("version", version)
        .put("publishedAt", publishedAt.toString())
        .put("publishedBy", publishedBy)
        .put("correctionOf", correctionOf())
        .put("note", note);
  }
}
