package io.wingu.controlplane.app;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.net.BindException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the running control plane: metrics, Vert.x, database, Kubernetes client, HTTP server. */
public final class ControlPlane implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);

  private final Vertx vertx;
  private final Database database;
  private final KubernetesClient kubernetes;
  private final HttpServer server;
  private final WinguConfig config;

  private ControlPlane(WinguConfig config, Vertx vertx, Database database, KubernetesClient kubernetes,
      HttpServer server) {
    this.config = config;
    this.vertx = vertx;
    this.database = database;
    this.kubernetes = kubernetes;
    this.server = server;
  }

  public static ControlPlane start(WinguConfig config) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
    List<AutoCloseable> opened = new ArrayList<>();
    try {
      Database database = Database.open(vertx, config, registry);
      opened.add(database);
      KubernetesClient kubernetes = Kubernetes.connect(config.kubeconfig());
      opened.add(kubernetes);
      var router = HttpApi.router(vertx, new Readiness(vertx, database, kubernetes), registry);
      HttpServer server = await(vertx.createHttpServer(new HttpServerOptions()
              .setHost(config.httpHost())
              .setPort(config.httpPort())
              .setCompressionSupported(true))
          .requestHandler(router)
          .listen(), config);
      ControlPlane cp = new ControlPlane(config, vertx, database, kubernetes, server);
      LOG.info("Wingu control plane listening on {}", cp.url());
      return cp;
    } catch (RuntimeException e) {
      for (int i = opened.size() - 1; i >= 0; i--) {
        closeQuietly(opened.get(i));
      }
      vertx.close();
      throw e;
    }
  }

  private static HttpServer await(Future<HttpServer> listening, WinguConfig config) {
    try {
      return listening.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof BindException) {
        throw new StartupException("port " + config.httpPort() + " on " + config.httpHost()
            + " is already in use: stop the other process or set WINGU_HTTP_PORT to a free port", e);
      }
      throw new StartupException("cannot start the HTTP server: " + Database.rootMessage(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StartupException("interrupted while starting the HTTP server", e);
    } catch (TimeoutException e) {
      throw new StartupException("the HTTP server did not start within 30 s", e);
    }
  }

  public int port() {
    return server.actualPort();
  }

  public URI url() {
    String host = "0.0.0.0".equals(config.httpHost()) ? "localhost" : config.httpHost();
    return URI.create("http://" + host + ":" + port());
  }

  public Database database() {
    return database;
  }

  public KubernetesClient kubernetes() {
    return kubernetes;
  }

  public Vertx vertx() {
    return vertx;
  }

  @Override
  public void close() {
    try {
      server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("HTTP server did not close cleanly: {}", e.toString());
    }
    closeQuietly(kubernetes);
    closeQuietly(database);
    vertx.close();
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      LOG.warn("closing {} failed: {}", c.getClass().getSimpleName(), e.toString());
    }
  }
}
