package io.wingu.controlplane.web;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * /favicon.ico, which browsers ask for on every page: the console's brand mark (a 32 px PNG in an
 * ICO), read once and cached by browsers for a day, rather than a 404 in every visitor's log.
 */
final class Favicon {

  static final String RESOURCE = "console/static/favicon.ico";

  private Favicon() {}

  static Handler<RoutingContext> handler() {
    byte[] icon;
    try (InputStream in = Favicon.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is not on the classpath");
      }
      icon = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ctx ->
        ctx.response()
            .putHeader("Content-Type", "image/x-icon")
            .putHeader("Cache-Control", "public, max-age=86400")
            .end(Buffer.buffer(icon));
  }
}
