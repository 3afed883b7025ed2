package io.wingu.controlplane.app;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** Checks, on every call, that PostgreSQL and the Kubernetes API answer. */
public final class Readiness {

  private static final long CHECK_TIMEOUT_MS = 5_000;

  private final Vertx vertx;
  private final Database database;
  private final KubernetesClient kubernetes;

  public Readiness(Vertx vertx, Database database, KubernetesClient kubernetes) {
    this.vertx = vertx;
    this.database = database;
    this.kubernetes = kubernetes;
  }

  /** Completes with the report; {@code ready} is true only when every check is up. */
  public Future<JsonObject> check() {
    // After a database restart every pooled connection is dead: drop them, and a fresh one decides.
    Future<Void> db =
        pingDatabase()
            .recover(
                firstFailure -> {
                  database.evictIdleConnections();
                  return pingDatabase();
                })
            .timeout(CHECK_TIMEOUT_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
    Future<Void> kube =
        vertx
            .<Void>executeBlocking(
                () -> {
                  kubernetes.getKubernetesVersion();
                  return null;
                },
                false)
            .timeout(CHECK_TIMEOUT_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
    return Future.join(db, kube)
        .transform(
            ignored ->
                Future.succeededFuture(
                    new JsonObject()
                        .put("ready", db.succeeded() && kube.succeeded())
                        .put(
                            "checks",
                            new JsonObject()
                                .put("database", status(db))
                                .put("kubernetes", status(kube)))));
  }

  private Future<Void> pingDatabase() {
    return database.call(
        c -> {
          try (var st = c.createStatement()) {
            st.setQueryTimeout(2);
            st.execute("SELECT 1");
          }
          return null;
        });
  }

  private static JsonObject status(Future<?> f) {
    JsonObject s = new JsonObject().put("status", f.succeeded() ? "up" : "down");
    if (f.failed()) {
      s.put("error", Database.rootMessage(f.cause()));
    }
    return s;
  }
}
