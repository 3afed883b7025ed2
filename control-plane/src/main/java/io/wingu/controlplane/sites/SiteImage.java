package io.wingu.controlplane.sites;

import java.time.Instant;

/** An image uploaded for the site's parameters, as re-encoded: the head's photo. */
public record SiteImage(
    String digest, String fileName, int width, int height, Instant createdAt, String createdBy) {

  /** The value of a template's {@code upload} parameter naming this image. */
  public io.vertx.core.json.JsonObject parameter() {
    return new io.vertx.core.json.JsonObject().put("digest", digest).put("fileName", fileName);
  }
}
