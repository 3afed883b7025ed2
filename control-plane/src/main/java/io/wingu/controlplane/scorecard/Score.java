package io.wingu.controlplane.scorecard;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;

/** One institution's score for a month: 0–100 from its criteria, and its place in the ranking. */
public record Score(
    UUID institutionId,
    String code,
    String name,
    String nameSw,
    double score,
    int rank,
    List<Result> criteria) {

  /**
   * One criterion for one institution: its weight, whether it applies (an institution without a
   * site has no template to keep current), how far it is met (0–1), and the evidence in numbers
   * with an English summary and advice (the console words them in the reader's language).
   */
  public record Result(
      String id,
      int weight,
      boolean applicable,
      double value,
      JsonObject evidence,
      String summary,
      String howToImprove) {

    public boolean met() {
      return applicable && value >= 1.0;
    }

    /** "met", "missed" or "na" (does not apply), as the pages show it. */
    public String state() {
      return !applicable ? "na" : met() ? "met" : "missed";
    }

    public JsonObject toJson() {
      return new JsonObject()
          .put("id", id)
          .put("weight", weight)
          .put("applicable", applicable)
          .put("value", Math.round(value * 1000) / 1000.0)
          .put("met", met())
          .put("evidence", evidence)
          .put("summary", summary)
          .put("howToImprove", met() || !applicable ? null : howToImprove);
    }

    /** What the public may see: no advice, no evidence beyond the summary. */
    public JsonObject toPublicJson() {
      return new JsonObject()
          .put("id", id)
          .put("weight", weight)
          .put("applicable", applicable)
          .put("met", met());
    }

    static Result from(JsonObject o) {
      return new Result(
          o.getString("id"),
          o.getInteger("weight"),
          o.getBoolean("applicable"),
          o.getDouble("value"),
          o.getJsonObject("evidence"),
          o.getString("summary"),
          o.getString("howToImprove"));
    }
  }

  /** The institution's name in {@code lang}: Swahili when it has one, else English. */
  public String nameIn(String lang) {
    return "sw".equals(lang) && nameSw != null ? nameSw : name;
  }

  private JsonObject names() {
    return new JsonObject().put("sw", nameIn("sw")).put("en", name);
  }

  public Score withRank(int newRank) {
    return new Score(institutionId, code, name, nameSw, score, newRank, criteria);
  }

  public List<String> missed() {
    return criteria.stream()
        .filter(r -> r.applicable() && !r.met() && r.weight() > 0)
        .map(Result::id)
        .toList();
  }

  public JsonObject toJson() {
    JsonArray c = new JsonArray();
    criteria.forEach(r -> c.add(r.toJson()));
    return institution().put("score", score).put("rank", rank).put("criteria", c);
  }

  public JsonObject toPublicJson() {
    JsonArray c = new JsonArray();
    criteria.forEach(r -> c.add(r.toPublicJson()));
    return new JsonObject()
        .put("code", code)
        .put("name", names())
        .put("score", score)
        .put("rank", rank)
        .put("criteria", c)
        .put("missed", new JsonArray(missed()));
  }

  private JsonObject institution() {
    return new JsonObject()
        .put("institutionId", institutionId.toString())
        .put("code", code)
        .put("name", names());
  }
}
