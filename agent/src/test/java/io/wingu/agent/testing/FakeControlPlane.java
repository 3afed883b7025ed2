package io.wingu.agent.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

/**
 * The control plane's report endpoint and the API server's pod list, on one JDK HttpServer on
 * loopback. Records every report it receives; answers with the status {@link #answer} picks for it.
 * The pod list answers field selectors as the API server does: {@code spec.nodeName} and {@code
 * spec.hostNetwork} filter the pods given to {@link #podList} by their spec, any other field is
 * refused with 400, and the answer is metadata only (a PartialObjectMetadataList), as the agent
 * asks.
 */
public final class FakeControlPlane implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One POST /api/v1/agent/reports as received. */
  public record Received(
      String authorization, String contentType, JsonNode body, int answeredStatus) {
    public long seq() {
      return body.get("seq").asLong();
    }
  }

  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private final BlockingQueue<String> podListQueries = new LinkedBlockingQueue<>();
  private volatile ToIntFunction<JsonNode> answer = report -> 202;
  private volatile String failingSelector;
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

  public void answer(ToIntFunction<JsonNode> answer) {
    this.answer = answer;
  }

  /**
   * The node's pods as the API server stores them (a PodList; spec.nodeName and spec.hostNetwork
   * are read).
   */
  public void podList(String json) {
    this.podListJson = json;
  }

  /**
   * Pod lists whose field selector names {@code field} get 503 (null: none), as from an overloaded
   * API server.
   */
  public void failPodListsSelecting(String field) {
    this.failingSelector = field;
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
      JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
      int status = answer.applyAsInt(body);
      received.add(
          new Received(
              exchange.getRequestHeaders().getFirst("Authorization"),
              exchange.getRequestHeaders().getFirst("Content-Type"),
              body,
              status));
      byte[] reply =
          status == 202
              ? new byte[0]
              : ("{\"type\":\"about:blank\",\"title\":\"refused\",\"status\":" + status + "}")
                  .getBytes(StandardCharsets.UTF_8);
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
      String query = exchange.getRequestURI().getRawQuery();
      podListQueries.add(query + " auth=" + exchange.getRequestHeaders().getFirst("Authorization"));
      int status = 200;
      String answer;
      String failing = failingSelector;
      try {
        Map<String, String> fields = fieldSelector(query);
        if (failing != null && fields.containsKey(failing)) {
          status = 503;
          answer =
              statusJson(
                  503,
                  "ServiceUnavailable",
                  "the server is currently unable to handle the request");
        } else {
          answer = podsMatching(fields).toString();
        }
      } catch (IllegalArgumentException unsupported) {
        status = 400;
        answer = statusJson(400, "BadRequest", unsupported.getMessage());
      }
      byte[] json = answer.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, json.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(json);
      }
    }
  }

  private static String statusJson(int code, String reason, String message) {
    return JSON.createObjectNode()
        .put("kind", "Status")
        .put("apiVersion", "v1")
        .put("status", "Failure")
        .put("message", message)
        .put("reason", reason)
        .put("code", code)
        .toString();
  }

  private static Map<String, String> fieldSelector(String query) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String parameter : query == null ? new String[0] : query.split("&")) {
      String[] pair = parameter.split("=", 2);
      if (!pair[0].equals("fieldSelector") || pair.length < 2) {
        continue;
      }
      for (String term : URLDecoder.decode(pair[1], StandardCharsets.UTF_8).split(",")) {
        String[] field = term.split("=", 2);
        if (!field[0].equals("spec.nodeName") && !field[0].equals("spec.hostNetwork")) {
          throw new IllegalArgumentException("field label not supported: " + field[0]);
        }
        fields.put(field[0], field.length < 2 ? "" : field[1]);
      }
    }
    return fields;
  }

  private ObjectNode podsMatching(Map<String, String> fields) throws IOException {
    ArrayNode items = JSON.createArrayNode();
    for (JsonNode pod : JSON.readTree(podListJson).get("items")) {
      JsonNode podSpec = pod.path("spec");
      String nodeName = podSpec.path("nodeName").asText(null);
      String hostNetwork = Boolean.toString(podSpec.path("hostNetwork").asBoolean(false));
      boolean matches =
          (!fields.containsKey("spec.nodeName")
                  || nodeName == null
                  || nodeName.equals(fields.get("spec.nodeName")))
              && (!fields.containsKey("spec.hostNetwork")
                  || hostNetwork.equals(fields.get("spec.hostNetwork")));
      if (matches) {
        items
            .addObject()
            .put("kind", "PartialObjectMetadata")
            .put("apiVersion", "meta.k8s.io/v1")
            .set("metadata", pod.get("metadata"));
      }
    }
    ObjectNode list =
        JSON.createObjectNode()
            .put("kind", "PartialObjectMetadataList")
            .put("apiVersion", "meta.k8s.io/v1");
    list.putObject("metadata").put("resourceVersion", "4711");
    list.set("items", items);
    return list;
  }
}
