package io.wingu.controlplane.web;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A console page must answer even when it throws in a callback (say, a future's onSuccess that
 * writes a header Netty refuses): the router only sees what a handler throws before it returns; a
 * callback's exception goes to Vert.x's exception handler, and the visitor would wait forever. Each
 * request runs on a context of its own, so the exception handler finds the request whose callback
 * threw and fails it: the console's failure handler then answers with an error page.
 */
final class CallbackFailures {

  private static final Logger LOG = LoggerFactory.getLogger(CallbackFailures.class);

  private final Map<Context, RoutingContext> open = new ConcurrentHashMap<>();

  /**
   * Installs the exception handler on {@code vertx}; an exception of no console request goes on as
   * before.
   */
  static CallbackFailures install(Vertx vertx) {
    CallbackFailures failures = new CallbackFailures();
    Handler<Throwable> previous = vertx.exceptionHandler();
    vertx.exceptionHandler(
        e -> {
          if (!failures.failRequest(e)) {
            if (previous != null) {
              previous.handle(e);
            } else {
              LOG.error("unhandled exception", e);
            }
          }
        });
    return failures;
  }

  /** The first handler of a console request: remembers it on its context until it ends. */
  void track(RoutingContext ctx) {
    Context context = Vertx.currentContext();
    if (context != null) {
      open.put(context, ctx);
      ctx.addEndHandler(v -> open.remove(context, ctx));
    }
    ctx.next();
  }

  private boolean failRequest(Throwable e) {
    Context context = Vertx.currentContext();
    RoutingContext ctx = context == null ? null : open.get(context);
    if (ctx == null) {
      return false;
    }
    if (ctx.response().ended()) {
      LOG.error(
          "console page {} {} failed after it answered",
          ctx.request().method(),
          ctx.request().path(),
          e);
    } else if (ctx.failed()) {
      // the failure handler itself threw: a bare 500 is still an answer
      LOG.error(
          "console page {} {} failed while showing an error",
          ctx.request().method(),
          ctx.request().path(),
          e);
      if (!ctx.response().headWritten()) {
        ctx.response().setStatusCode(500).end();
      } else {
        ctx.response().reset();
      }
    } else {
      ctx.fail(e);
    }
    return true;
  }
}
