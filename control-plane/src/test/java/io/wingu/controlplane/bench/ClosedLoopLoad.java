package io.wingu.controlplane.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A closed-loop load generator: a fixed number of clients, each sending its next request when the
 * answer to its last one has arrived (so the rate is whatever the server sustains), over one
 * keep-alive HTTP/1.1 connection each. Latency is measured per request with System.nanoTime.
 */
final class ClosedLoopLoad implements AutoCloseable {

  /** What one run measured. */
  record Result(
      String name,
      int clients,
      int ok,
      int errors,
      double seconds,
      double p50Ms,
      double p95Ms,
      double p99Ms,
      double maxMs,
      long bytes) {
    double throughput() {
      return (ok + errors) / seconds;
    }

    String row() {
      return String.format(
          "%-28s %7d %9d %6d %9.0f/s %8.1f %8.1f %8.1f %8.1f %9.1f",
          name,
          clients,
          ok + errors,
          errors,
          throughput(),
          p50Ms,
          p95Ms,
          p99Ms,
          maxMs,
          ok == 0 ? 0.0 : bytes / 1024.0 / ok);
    }

    static String header() {
      return String.format(
          "%-28s %7s %9s %6s %11s %8s %8s %8s %8s %9s",
          "run",
          "clients",
          "requests",
          "errors",
          "throughput",
          "p50 ms",
          "p95 ms",
          "p99 ms",
          "max ms",
          "avg KiB");
    }
  }

  private final Vertx vertx;
  private final HttpClient client;
  private final int clients;

  ClosedLoopLoad(URI base, int clients) {
    this.clients = clients;
    // one event loop: the load generator shares the machine with the server and PostgreSQL
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setDefaultHost(base.getHost())
                .setDefaultPort(base.getPort())
                .setKeepAlive(true)
                .setPipelining(false),
            new PoolOptions().setHttp1MaxSize(clients).setMaxWaitQueueSize(-1));
  }

  /**
   * Runs {@code clients} loops for {@code seconds}; {@code paths} gives each next request's path.
   */
  Result run(String name, int seconds, Supplier<String> paths) throws InterruptedException {
    long[] latencies = new long[4_000_000];
    AtomicInteger count = new AtomicInteger();
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    AtomicLong bytes = new AtomicLong();
    CountDownLatch done = new CountDownLatch(clients);
    long start = System.nanoTime();
    long end = start + TimeUnit.SECONDS.toNanos(seconds);
    for (int i = 0; i < clients; i++) {
      vertx.runOnContext(v -> loop(paths, end, latencies, count, ok, errors, bytes, done));
    }
    if (!done.await(seconds + 120L, TimeUnit.SECONDS)) {
      throw new IllegalStateException(name + " did not finish");
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    int n = Math.min(count.get(), latencies.length);
    long[] sorted = Arrays.copyOf(latencies, n);
    Arrays.sort(sorted);
    return new Result(
        name,
        clients,
        ok.get(),
        errors.get(),
        elapsed,
        at(sorted, 0.50),
        at(sorted, 0.95),
        at(sorted, 0.99),
        n == 0 ? 0 : sorted[n - 1] / 1e6,
        bytes.get());
  }

  private static double at(long[] sorted, double q) {
    return sorted.length == 0
        ? 0
        : sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * q) - 1)] / 1e6;
  }

  private void loop(
      Supplier<String> paths,
      long end,
      long[] latencies,
      AtomicInteger count,
      AtomicInteger ok,
      AtomicInteger errors,
      AtomicLong bytes,
      CountDownLatch done) {
    if (System.nanoTime() >= end) {
      done.countDown();
      return;
    }
    String path = paths.get();
    long t0 = System.nanoTime();
    send(path)
        .onComplete(
            ar -> {
              long t = System.nanoTime() - t0;
              int i = count.getAndIncrement();
              if (i < latencies.length) {
                latencies[i] = t;
              }
              if (ar.succeeded() && ar.result() >= 0) {
                ok.incrementAndGet();
                bytes.addAndGet(ar.result());
              } else {
                errors.incrementAndGet();
              }
              loop(paths, end, latencies, count, ok, errors, bytes, done);
            });
  }

  /** The body's length on a 200, -1 on any other status. */
  private Future<Integer> send(String path) {
    return client
        .request(new RequestOptions().setMethod(HttpMethod.GET).setURI(path))
        .compose(
            req ->
                req.send()
                    .compose(
                        resp -> resp.body().map(b -> resp.statusCode() == 200 ? b.length() : -1)));
  }

  @Override
  public void close() {
    client.close();
    vertx.close();
  }
}
