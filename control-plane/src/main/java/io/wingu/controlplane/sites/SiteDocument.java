package io.wingu.controlplane.sites;

import io.vertx.core.json.JsonObject;
import io.wingu.templates.LocalizedText;
import io.wingu.templates.content.Document;
import java.time.Instant;
import java.util.UUID;

/** An uploaded PDF of a site: listed on its publications page and published in every bundle. */
public record SiteDocument(
    UUID id,
    UUID siteId,
    LocalizedText title,
    String fileName,
    String digest,
    long size,
    Instant createdAt,
    String createdBy) {

  public Document document() {
    return new Document(id.toString(), title, fileName, digest, size);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("title", ContentItem.text(title))
        .put("fileName", fileName)
        .put("digest", digest)
        .put("size", size)
        .put("createdAt", createdAt.toString())
        .put("createdBy", createdBy);
  }
}
