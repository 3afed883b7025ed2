package io.wingu.controlplane.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wingu.dev.LocalMailServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The dev tooling's real SMTP server ({@link LocalMailServer}, Mailpit) as the tests read it: its
 * HTTP API gives each received message's envelope, headers and parts.
 */
public final class Mailpit implements AutoCloseable {

  /** One received message as the tests read it. */
  public record Message(
      String id, String messageId, String from, List<String> to, String subject, String created) {}

  private final LocalMailServer server;
  private final URI api;
  private final HttpClient http = HttpClient.newHttpClient();

  private Mailpit(LocalMailServer server) {
    this.server = server;
    this.api = server.webUrl().resolve("api/v1/");
  }

  public static Mailpit start() throws Exception {
    return start(null);
  }

  /**
   * A server that refuses, with a permanent error, every recipient not matching {@code
   * allowedRecipients} (a regular expression; null: it takes every one).
   */
  public static Mailpit start(String allowedRecipients) throws Exception {
    return new Mailpit(
        LocalMailServer.start(
            Path.of("..").toAbsolutePath().normalize(),
            0,
            0,
            TempDirs.create("mailpit").resolve("mailpit.log"),
            allowedRecipients));
  }

  public int smtpPort() {
    return server.smtpPort();
  }

  /** Every message received so far, oldest first. */
  public List<Message> messages() throws Exception {
    JsonObject page = new JsonObject(get("messages?limit=100000").body());
    List<Message> out = new ArrayList<>();
    JsonArray all = page.getValue("messages") instanceof JsonArray a ? a : new JsonArray();
    for (Object o : all) {
      JsonObject m = (JsonObject) o;
      List<String> to = new ArrayList<>();
      for (String field : List.of("To", "Cc", "Bcc")) {
        if (m.getValue(field) instanceof JsonArray list) {
          list.forEach(t -> to.add(((JsonObject) t).getString("Address")));
        }
      }
      JsonObject from = m.getJsonObject("From");
      out.add(
          new Message(
              m.getString("ID"),
              m.getString("MessageID"),
              from == null ? null : from.getString("Address"),
              to,
              m.getString("Subject"),
              m.getString("Created")));
    }
    // the API lists newest first
    java.util.Collections.reverse(out);
    return out;
  }

  /** The messages one address received, oldest first. */
  public List<Message> to(String address) throws Exception {
    return messages().stream().filter(m -> m.to().contains(address)).toList();
  }

  /** The message's parts: {@code Text}, {@code HTML}, and its envelope. */
  public JsonObject message(String id) throws Exception {
    return new JsonObject(get("message/" + id).body());
  }

  /** The message's headers as received, name → values. */
  public Map<String, List<String>> headers(String id) throws Exception {
    JsonObject h = new JsonObject(get("message/" + id + "/headers").body());
    Map<String, List<String>> out = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    h.forEach(
        e -> {
          List<String> values = new ArrayList<>();
          ((JsonArray) e.getValue()).forEach(v -> values.add(String.valueOf(v)));
          out.put(e.getKey(), values);
        });
    return out;
  }

  /** The message as it came over the wire. */
  public String raw(String id) throws Exception {
    return get("message/" + id + "/raw").body();
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(api.resolve(path)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    server.close();
  }
}
