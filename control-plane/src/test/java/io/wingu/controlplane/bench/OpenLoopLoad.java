package io.wingu.controlplane.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * An open-loop load generator: requests are started on a fixed schedule whatever the server does,
 * and latency is measured from each request's scheduled start, so a slow server cannot slow the
 * load down and hide its own latency (no coordinated omission).
 */
final class OpenLoopLoad implements AutoCloseable {

  /** What one step at one rate measured. */
  record Result(
      String name,
      int targetRate,
      int sent,
      int ok,
      int errors,
      double achievedRate,
      double p50Ms,
      double p99Ms,
      double maxMs) {
    String row() {
      return String.format(
          "%-22s %8d/s %8.1f/s %7d %6d %9.1f %9.1f %9.1f",
          name, targetRate, achievedRate, ok, errors, p50Ms, p99Ms, maxMs);
    }

    static String header() {
      return String.format(
          "%-22s %10s %10s %7s %6s %9s %9s %9s",
          "operation", "target", "achieved", "ok", "errors", "p50 ms", "p99 ms", "max ms");
    }
  }

  /**
   * One request to send: method, path, body (null for none), the status that counts as success, and
   * the bearer token it is sent with (null: the load's own).
   */
  record Call(
      io.vertx.core.http.HttpMethod method,
      String path,
      String body,
      int expectedStatus,
      String token) {
    Call(io.vertx.core.http.HttpMethod method, String path, String body, int expectedStatus) {
      this(method, path, body, expectedStatus, null);
    }
  }

  private final Vertx vertx = Vertx.vertx();
  private final HttpClient client;
  private final String token;

  OpenLoopLoad(URI base, int connections, String token) {
    this.token = token;
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setDefaultHost(base.getHost())
                .setDefaultPort(base.getPort())
                .setKeepAlive(true)
                .setPipelining(false),
            new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
  }

  Result run(String name, int rate, int seconds, IntFunction<Call> calls)
      throws InterruptedException {
    int total = rate * seconds;
    long[] latencies = new long[total];
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(total);
    long start = System.nanoTime() + 50_000_000L;
    long intervalNanos = 1_000_000_000L / rate;
    AtomicInteger next = new AtomicInteger();
    // a 1 ms tick starts every request whose scheduled time has come
    long timer =
        vertx.setPeriodic(
            1,
            id -> {
              long now = System.nanoTime();
              while (next.get() < total && start + next.get() * intervalNanos <= now) {
                int i = next.getAndIncrement();
                long scheduled = start + i * intervalNanos;
                Call call = calls.apply(i);
                send(call)
                    .onComplete(
                        ar -> {
                          latencies[i] = System.nanoTime() - scheduled;
                          if (ar.succeeded() && ar.result() == call.expectedStatus()) {
                            ok.incrementAndGet();
                          } else {
                            errors.incrementAndGet();
                          }
                          done.countDown();
                        });
              }
            });
    boolean finished = done.await(seconds + 120L, TimeUnit.SECONDS);
    vertx.cancelTimer(timer);
    long elapsed = System.nanoTime() - start;
    if (!finished) {
      throw new IllegalStateException(name + " at " + rate + "/s did not finish");
    }
    long[] sorted = latencies.clone();
    Arrays.sort(sorted);
    return new Result(
        name,
        rate,
        total,
        ok.get(),
        errors.get(),
        ok.get() / (elapsed / 1e9),
        sorted[(int) (total * 0.50)] / 1e6,
        sorted[Math.min(total - 1, (int) Math.ceil(total * 0.99) - 1)] / 1e6,
        sorted[total - 1] / 1e6);
  }

  private Future<Integer> send(Call call) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(call.method())
            .setURI(call.path())
            .putHeader("Authorization", "Bearer " + (call.token() == null ? token : call.token()))
            .putHeader("Content-Type", "application/json");
    return client
        .request(options)
        .compose(
            req ->
                (call.body() == null ? req.send() : req.send(call.body()))
                    .compose(resp -> resp.body().map(b -> resp.statusCode())));
  }

  @Override
  public void close() {
    client.close();
    vertx.close();
  }
}
