package io.wingu.controlplane.web;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Reading a submitted HTML form: trimmed values, absent fields as empty, lists one per line. */
final class Form {

  private static final String FIELDS = "wingu.form";

  private Form() {}

  /**
   * Reads a POSTed form body (application/x-www-form-urlencoded, up to {@code maxBytes}) and
   * decodes it here: the HTTP server's own form decoder gives up on a long form (a template's many
   * parameters) and would leave every field, the CSRF token too, unread.
   */
  static io.vertx.core.Handler<RoutingContext> reader(long maxBytes) {
    return ctx -> {
      String type = ctx.request().getHeader("Content-Type");
      if (type == null
          || !type.toLowerCase(java.util.Locale.ROOT)
              .startsWith("application/x-www-form-urlencoded")) {
        ctx.put(FIELDS, Map.of());
        if (type != null
            && type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")) {
          // a file upload is read by its own route's body handler, after the session is looked up
          ctx.request().pause();
        }
        ctx.next();
        return;
      }
      Buffer body = Buffer.buffer();
      boolean[] tooLarge = {false};
      ctx.request()
          .handler(
              chunk -> {
                if (body.length() + chunk.length() > maxBytes) {
                  if (!tooLarge[0]) {
                    tooLarge[0] = true;
                    ctx.fail(413);
                  }
                } else {
                  body.appendBuffer(chunk);
                }
              });
      ctx.request()
          .endHandler(
              end -> {
                if (tooLarge[0]) {
                  return;
                }
                Map<String, List<String>> decoded =
                    new QueryStringDecoder(body.toString(StandardCharsets.UTF_8), false)
                        .parameters();
                ctx.put(FIELDS, decoded);
                ctx.next();
              });
      ctx.request().resume();
    };
  }

  /** A field exactly as sent (a password keeps its spaces); empty when absent. */
  static String raw(RoutingContext ctx, String name) {
    Map<String, List<String>> fields = ctx.get(FIELDS);
    List<String> values = fields == null ? null : fields.get(name);
    if ((values == null || values.isEmpty()) && ctx.request().isExpectMultipart()) {
      // a multipart form (a file upload) is read by its route's body handler
      String value = ctx.request().getFormAttribute(name);
      return value == null ? "" : value;
    }
    return values == null || values.isEmpty() ? "" : values.get(0);
  }

  static String value(RoutingContext ctx, String name) {
    return raw(ctx, name).trim();
  }

  /** Null for an empty field, so optional values stay out of the JSON body. */
  static String optional(RoutingContext ctx, String name) {
    String v = value(ctx, name);
    return v.isEmpty() ? null : v;
  }

  /** A textarea of one item per line (commas also separate), without blanks. */
  static List<String> lines(String text) {
    return Arrays.stream(text.split("[\\r\\n,]+"))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  /** The UUID path parameter {@code id}; anything else names no page (404). */
  static UUID id(RoutingContext ctx) {
    return id(ctx, "id");
  }

  /** A UUID path parameter; anything else names no page (404). */
  static UUID id(RoutingContext ctx, String name) {
    try {
      return UUID.fromString(ctx.pathParam(name));
    } catch (IllegalArgumentException e) {
      throw io.wingu.controlplane.app.Problem.notFound("no page " + ctx.request().path());
    }
  }
}
