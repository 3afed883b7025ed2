package io.wingu.controlplane.sites;

import io.vertx.core.json.JsonObject;
import io.wingu.templates.LocalizedText;
import io.wingu.templates.content.ContentEntry;
import java.time.Instant;
import java.time.LocalDate;

/** A page, news item or publication of a site, as stored and as the API shows it. */
public record ContentItem(
    ContentKind kind,
    String slug,
    LocalizedText title,
    LocalizedText body,
    LocalDate publishedAt,
    Instant updatedAt,
    String updatedBy) {

  public ContentEntry entry() {
    return new ContentEntry(slug, title, body, publishedAt);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("kind", kind.pathSegment())
        .put("slug", slug)
        .put("title", text(title))
        .put("body", text(body))
        .put("publishedAt", publishedAt == null ? null : publishedAt.toString())
        .put("updatedAt", updatedAt.toString())
        .put("updatedBy", updatedBy);
  }

  static JsonObject text(LocalizedText t) {
    return new JsonObject().put("sw", t.sw()).put("en", t.en());
  }
}
