package io.wingu.controlplane.web;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.wingu.controlplane.app.DomainError;
import io.wingu.controlplane.app.Problem;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Calling a service from a page: a rule it throws at once becomes a failed future like the rest.
 */
final class Calls {

  private Calls() {}

  static <T> Future<T> attempt(Supplier<Future<T>> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /**
   * What to do with a service's failure: a refusal the visitor can act on (400, 409, 429) goes to
   * {@code shown}; anything else (not found, a server fault) to the console's failure handler.
   */
  static Handler<Throwable> onProblem(
      io.vertx.ext.web.RoutingContext ctx, Consumer<Problem> shown) {
    return failure -> {
      Problem p = problem(failure);
      if (p != null
          && (p.status() == 400 || p.status() == 409 || p.status() == 429 || p.status() == 401)) {
        shown.accept(p);
      } else {
        ctx.fail(failure);
      }
    };
  }

  /**
   * A failure as the console weighs it: a service's {@link DomainError} with the status and code
   * the API gives it, an HTTP-level Problem as it is, anything else null (a fault).
   */
  static Problem problem(Throwable failure) {
    if (failure instanceof DomainError d) {
      return Problem.of(d);
    }
    return failure instanceof Problem p ? p : null;
  }

  /**
   * Saves what a console form describes of an institution (new when {@code id} is null) and goes
   * back to the institution's list of them, saying which ({@code ?done=created|updated}); a refusal
   * the visitor can act on goes to {@code refused}.
   */
  static <T> void saveThenList(
      io.vertx.ext.web.RoutingContext ctx,
      UUID institutionId,
      String list,
      UUID id,
      Supplier<Future<T>> create,
      Supplier<Future<T>> update,
      Consumer<Problem> refused) {
    attempt(id == null ? create : update)
        .onSuccess(
            saved ->
                Views.redirect(
                    ctx,
                    "/institutions/"
                        + institutionId
                        + "/"
                        + list
                        + "?done="
                        + (id == null ? "created" : "updated")))
        .onFailure(onProblem(ctx, refused));
  }
}
