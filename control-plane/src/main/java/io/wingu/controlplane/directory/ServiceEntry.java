package io.wingu.controlplane.directory;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;

/** One online service an institution lists in the public directory. */
public record ServiceEntry(
    UUID id,
    UUID institutionId,
    Text name,
    Text description,
    String url,
    String category,
    String region,
    Hidden hidden,
    Instant createdAt,
    Instant updatedAt) {

  /** A text in Swahili and English. */
  public record Text(String sw, String en) {
    public JsonObject toJson() {
      return new JsonObject().put("sw", sw).put("en", en);
    }

    public static Text from(JsonObject o) {
      return new Text(o.getString("sw"), o.getString("en"));
    }

    public String in(String lang) {
      return "en".equals(lang) ? en : sw;
    }
  }

  /** Why an operator took the entry out of the public directory. */
  public record Hidden(String reason, Instant at, String by) {}

  /** What the entry's owner sends. */
  public record Input(Text name, Text description, String url, String category, String region) {
    public static Input from(JsonObject body) {
      return new Input(
          Text.from(body.getJsonObject("name")),
          Text.from(body.getJsonObject("description")),
          body.getString("url"),
          body.getString("category"),
          body.getString("region"));
    }
  }

  /** The same entry, hidden ({@code hidden} given) or shown. */
  public ServiceEntry withHidden(Hidden hidden) {
    return new ServiceEntry(
        id, institutionId, name, description, url, category, region, hidden, createdAt, updatedAt);
  }

  /** The entry as its institution and the platform's people see it. */
  public JsonObject toJson() {
    JsonObject o =
        toPublicJson()
            .put("institutionId", institutionId.toString())
            .put("createdAt", createdAt.toString())
            .put("updatedAt", updatedAt.toString());
    if (hidden != null) {
      o.put(
          "hidden",
          new JsonObject().put("reason", hidden.reason()).put("at", hidden.at().toString()));
    }
    return o;
  }

  /** The entry as the public directory shows it: no dates, no people. */
  public JsonObject toPublicJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("name", name.toJson())
        .put("description", description.toJson())
        .put("url", url)
        .put("category", category)
        .put("region", region);
  }
}
