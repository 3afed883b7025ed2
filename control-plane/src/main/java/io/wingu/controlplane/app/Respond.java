package io.wingu.controlplane.app;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.caller.Caller;
import java.util.UUID;

/** Writes a handler's asynchronous result as JSON, or hands its failure to the failure handler. */
public final class Respond {

  private static final String REQUEST_ID = "wingu.requestId";

  private Respond() {}

  public static void json(RoutingContext ctx, int status, Future<?> result) {
    result
        .onSuccess(
            body -> {
              var response =
                  ctx.response()
                      .setStatusCode(status)
                      .putHeader("Content-Type", "application/json");
              if (body instanceof JsonObject o) {
                response.end(o.encode());
              } else if (body instanceof JsonArray a) {
                response.end(a.encode());
              } else {
                throw new IllegalStateException("not JSON: " + body);
              }
            })
        .onFailure(ctx::fail);
  }

  /** 204 once {@code done} succeeds; its failure goes to the failure handler. */
  public static void noContent(RoutingContext ctx, Future<?> done) {
    done.onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
  }

  /**
   * What the caller does, within one request, to a resource that belongs to another: the owner is
   * the path's {@code id}, the resource its own id parameter (an institution's service entry, a
   * site's document or deploy token).
   */
  @FunctionalInterface
  public interface OwnedAction {
    Future<?> on(Caller caller, UUID ownerId, UUID id, String requestId);
  }

  /** A handler answering 204 once the action on the path's owned resource succeeds. */
  public static Handler<RoutingContext> noContent(String idParam, OwnedAction action) {
    return ctx ->
        noContent(
            ctx,
            action.on(
                ApiOperations.caller(ctx),
                idParam(ctx, "id"),
                idParam(ctx, idParam),
                requestId(ctx)));
  }

  /**
   * Sends stored bytes as a file to save, never to show: an attachment under a plain file name, its
   * type never sniffed, and a sandbox with nothing allowed should a browser open it anyway.
   */
  public static void attachment(
      RoutingContext ctx, String fileName, String contentType, byte[] bytes) {
    ctx.response()
        .setStatusCode(200)
        .putHeader("Content-Type", contentType)
        .putHeader("Content-Disposition", "attachment; filename=\"" + safeFileName(fileName) + "\"")
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Content-Security-Policy", "sandbox; default-src 'none'")
        .putHeader("Cache-Control", "no-store")
        .end(io.vertx.core.buffer.Buffer.buffer(bytes));
  }

  /**
   * A file name that cannot break out of its quoted header value: letters, digits, dots, hyphens
   * and underscores; anything else becomes an underscore.
   */
  static String safeFileName(String name) {
    String safe = name == null ? "" : name.replaceAll("[^A-Za-z0-9._-]", "_");
    return safe.isEmpty() || safe.startsWith(".") ? "file" + safe : safe;
  }

  /**
   * A refused request's body, still unread (its caller was refused before it was read), is drained
   * and dropped: never stored, and the connection stays usable for the answer.
   */
  public static void discardBody(RoutingContext ctx) {
    if (!ctx.request().isEnded()) {
      ctx.request().handler(chunk -> {}).resume();
    }
  }

  /** The id of this HTTP request, recorded with every audit event it causes. */
  public static String requestId(RoutingContext ctx) {
    String id = ctx.get(REQUEST_ID);
    if (id == null) {
      String given = ctx.request().getHeader("X-Request-Id");
      id =
          given != null && given.matches("[A-Za-z0-9._-]{1,64}")
              ? given
              : UUID.randomUUID().toString();
      ctx.put(REQUEST_ID, id);
    }
    return id;
  }

  /** A path parameter that must be a UUID; anything else names no resource (404). */
  public static UUID idParam(RoutingContext ctx, String name) {
    try {
      return UUID.fromString(ctx.pathParam(name));
    } catch (IllegalArgumentException e) {
      throw Problem.notFound("No resource with id " + ctx.pathParam(name));
    }
  }
}
