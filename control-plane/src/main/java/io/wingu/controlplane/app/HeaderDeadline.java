package io.wingu.controlplane.app;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Closes a connection that has not sent a whole request head (request line and headers) within
 * the deadline after it opened or after its previous answer ended: the idle timeout alone does
 * not stop a client trickling one header byte at a time. One instance serves every HTTP server
 * (one per event loop); the router's first handler tells it when a head arrived.
 */
final class HeaderDeadline implements Handler<RoutingContext> {

  private final Vertx vertx;
  private final long millis;
  /** Per open connection: its pending deadline, and how many requests it has in progress. */
  private final Map<HttpConnection, State> states = new ConcurrentHashMap<>();

  private static final class State {
    long timer = -1;
    int active;
  }

  HeaderDeadline(Vertx vertx, long millis) {
    this.vertx = vertx;
    this.millis = millis;
  }

  /** For each server's connection handler: the first head is due within the deadline. */
  Handler<HttpConnection> onConnection() {
    return connection -> {
      State state = new State();
      states.put(connection, state);
      connection.closeHandler(v -> {
        states.remove(connection);
        synchronized (state) {
          cancel(state);
        }
      });
      synchronized (state) {
        start(state, connection);
      }
    };
  }

  /** A head has arrived: no deadline while it is answered; the next head is due once answers end. */
  @Override
  public void handle(RoutingContext ctx) {
    HttpConnection connection = ctx.request().connection();
    State state = connection == null ? null : states.get(connection);
    if (state != null) {
      synchronized (state) {
        cancel(state);
        state.active++;
      }
      ctx.addEndHandler(v -> {
        synchronized (state) {
          state.active--;
          if (state.active == 0 && states.containsKey(connection)) {
            start(state, connection);
          }
        }
      });
    }
    ctx.next();
  }

  private void start(State state, HttpConnection connection) {
    cancel(state);
    state.timer = vertx.setTimer(millis, id -> connection.close());
  }

  private void cancel(State state) {
    if (state.timer >= 0) {
      vertx.cancelTimer(state.timer);
      state.timer = -1;
    }
  }
}
