package io.wingu.controlplane.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A page that throws in a callback, after its handler returned, still answers (through the failure
 * handler).
 */
class CallbackFailuresTest {

  private Vertx vertx;
  private URI base;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    CallbackFailures failures = CallbackFailures.install(vertx);
    Router router = Router.router(vertx);
    router.route().handler(failures::track);
    // what a page does: work on a worker, then write the answer in the callback
    router
        .get("/bad-header")
        .handler(
            ctx ->
                vertx
                    .executeBlocking(() -> "/x\n/y", false)
                    .onSuccess(
                        location ->
                            ctx.response()
                                .setStatusCode(303)
                                .putHeader("Location", location)
                                .end()));
    router
        .get("/throws")
        .handler(
            ctx ->
                vertx
                    .executeBlocking(() -> 1, false)
                    .onSuccess(
                        v -> {
                          throw new IllegalStateException("a bug in a page");
                        }));
    router
        .get("/fine")
        .handler(ctx -> vertx.executeBlocking(() -> "fine", false).onSuccess(ctx::end));
    router
        .route()
        .failureHandler(
            ctx ->
                ctx.response()
                    .setStatusCode(500)
                    .end("failed: " + ctx.failure().getClass().getSimpleName()));
    HttpServer server =
        vertx
            .createHttpServer()
            .requestHandler(router)
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get();
    base = URI.create("http://127.0.0.1:" + server.actualPort());
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aHeaderNettyRefusesInACallbackIsAnsweredByTheFailureHandler() throws Exception {
    var r = get("/bad-header");
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.body()).isEqualTo("failed: IllegalArgumentException");
    assertThat(r.headers().firstValue("Location")).isEmpty();
  }

  @Test
  void anyExceptionInACallbackIsAnsweredAndTheNextRequestsAreServed() throws Exception {
    assertThat(get("/throws").statusCode()).isEqualTo(500);
    assertThat(get("/fine").body()).isEqualTo("fine");
    assertThat(get("/throws").body()).isEqualTo("failed: IllegalStateException");
  }
}
