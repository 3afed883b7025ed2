package io.wingu.controlplane.app;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Checks, on every call, that PostgreSQL and the Kubernetes API answer, and the cluster checks the
 * wiring adds (such as the kinds gateway routing needs): each says null when up, else one line.
 */
public final class Readiness {

  private static final long CHECK_TIMEOUT_MS = 5_000;

  private final Vertx vertx;
  private final Database database;
  private final KubernetesClient kubernetes;
  private final Map<String, Supplier<String>> clusterChecks;

  public Readiness(Vertx vertx, Database database, KubernetesClient kubernetes) {
    this(vertx, database, kubernetes, Map.of());
  }

  public Readiness(
      Vertx vertx,
      Database database,
      KubernetesClient kubernetes,
      Map<String, Supplier<String>> clusterChecks) {
    this.vertx = vertx;
    this.database = database;
    this.kubernetes = kubernetes;
    this.clusterChecks = Map.copyOf(clusterChecks);
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
    Map<String, Future<Void>> extra = new TreeMap<>();
    clusterChecks.forEach(
        (name, check) ->
            extra.put(
                name,
                vertx
                    .<Void>executeBlocking(
                        () -> {
                          String problem = check.get();
                          if (problem != null) {
                            throw new IllegalStateException(problem);
                          }
                          return null;
                        },
                        false)
                    .timeout(CHECK_TIMEOUT_MS, java.util.concurrent.TimeUnit.MILLISECONDS)));
    List<Future<Void>> all = new ArrayList<>(List.of(db, kube));
    all.addAll(extra.values());
    return Future.join(all)
        .transform(
            ignored -> {
              JsonObject checks =
                  new JsonObject().put("database", status(db)).put("kubernetes", status(kube));
              extra.forEach((name, f) -> checks.put(name, status(f)));
              return Future.succeededFuture(
                  new JsonObject()
                      .put("ready", all.stream().allMatch(Future::succeeded))
                      .put("checks", checks));
            });
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
