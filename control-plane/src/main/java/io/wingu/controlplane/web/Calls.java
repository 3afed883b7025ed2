package io.wingu.controlplane.web;

import io.vertx.core.Future;
import io.wingu.controlplane.app.Problem;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Calling a service from a page: a rule it throws at once becomes a failed future like the rest. */
final class Calls {

  private Calls() {
  }

  static <T> Future<T> attempt(Supplier<Future<T>> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /**
   * What to do with a service's failure: a Problem the visitor can act on (400, 409, 429) goes to
   * {@code shown}; anything else (not found, a server fault) to the console's failure handler.
   */
  static void onProblem(Throwable failure, io.vertx.ext.web.RoutingContext ctx, Consumer<Problem> shown) {
    if (failure instanceof Problem p && (p.status() == 400 || p.status() == 409 || p.status() == 429
        || p.status() == 401)) {
      shown.accept(p);
    } else {
      ctx.fail(failure);
    }
  }
}
