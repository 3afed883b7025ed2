package io.wingu.agent.testing;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

/**
 * The control plane's report endpoint and the API server's pod list, on one JDK HttpServer on loopback.
 * Records every report it receives; answers with the status {@link #answer} picks for it.
 */
public final class FakeControlPlane implements AutoCloseable {

    /** One POST /api/v1/agent/reports as received. */
    public record Received(String authorization, String contentType, JsonObject body, int answeredStatus) {
        public long seq() {
            return body.get("seq").asLong();
        }
    }

    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> podListQueries = new LinkedBlockingQueue<>();
    private volatile ToIntFunction<JsonObject> answer = report -> 202;
    private volatile String podListJson = "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"items\":[]}";
    private int port;
    private HttpServer server;

    /** Starts on a free loopback port. */
    public FakeControlPlane() throws IOException {
        start(0);
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public void answer(ToIntFunction<JsonObject> answer) {
        this.answer = answer;
    }

    public void podList(String json) {
        this.podListJson = json;
    }

    /** The next report, waiting up to {@code seconds}; null when none came. */
    public Received nextReport(int seconds) throws InterruptedException {
        return received.poll(seconds, TimeUnit.SECONDS);
    }

    /** The query string of the next pod list request, or null when none came. */
    public String nextPodListQuery(int seconds) throws InterruptedException {
        return podListQueries.poll(seconds, TimeUnit.SECONDS);
    }

    /** Stops answering: connections to the port are refused, as when the control plane is down. */
    public void stop() {
        server.stop(0);
    }

    /** Listens again on the same port. */
    public void restart() throws IOException {
        start(port);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void start(int onPort) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 16);
        server.createContext("/api/v1/agent/reports", this::report);
        server.createContext("/api/v1/pods", this::pods);
        server.start();
        port = server.getAddress().getPort();
    }

    private void report(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonObject body = Json.parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)).asObject();
            int status = answer.applyAsInt(body);
            received.add(new Received(exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Content-Type"), body, status));
            byte[] reply = status == 202 ? new byte[0]
                    : ("{\"type\":\"about:blank\",\"title\":\"refused\",\"status\":" + status + "}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, reply.length == 0 ? -1 : reply.length);
            if (reply.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(reply);
                }
            }
        }
    }

    private void pods(HttpExchange exchange) throws IOException {
        try (exchange) {
            podListQueries.add(exchange.getRequestURI().getRawQuery() + " auth=" + exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] json = podListJson.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, json.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(json);
            }
        }
    }
}
