package io.wingu.controlplane.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real SMTP server on loopback: Mailpit, built by {@code scripts/mailpit.sh} (WINGU_MAILPIT names
 * the binary; without it the script is run). It keeps what it receives, and its HTTP API lets a
 * test read each message's envelope, headers and parts.
 */
public final class Mailpit implements AutoCloseable {

  /** One received message as the tests read it. */
  public record Message(
      String id, String messageId, String from, List<String> to, String subject, String created) {}

  private final Process process;
  private final int smtpPort;
  private final URI api;
  private final HttpClient http = HttpClient.newHttpClient();

  private Mailpit(Process process, int smtpPort, int httpPort) {
    this.process = process;
    this.smtpPort = smtpPort;
    this.api = URI.create("http://127.0.0.1:" + httpPort + "/api/v1/");
  }

  public static Mailpit start() throws Exception {
    Path bin = binary();
    int smtp = FreePort.find();
    int web = FreePort.find();
    Path log = TempDirs.create("mailpit").resolve("mailpit.log");
    Process p =
        new ProcessBuilder(
                bin.toString(),
                "--smtp",
                "127.0.0.1:" + smtp,
                "--listen",
                "127.0.0.1:" + web,
                "--max",
                "0",
                "--disable-version-check",
                "--smtp-disable-rdns",
                "--quiet")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    Mailpit m = new Mailpit(p, smtp, web);
    Instant end = Instant.now().plusSeconds(60);
    while (true) {
      try {
        if (m.get("info").statusCode() == 200) {
          return m;
        }
      } catch (IOException notYet) {
        // still starting
      }
      if (!p.isAlive() || Instant.now().isAfter(end)) {
        p.destroyForcibly();
        throw new IllegalStateException(
            "Mailpit did not start: " + Files.readString(log, StandardCharsets.UTF_8));
      }
      Thread.sleep(100);
    }
  }

  private static Path binary() throws Exception {
    String set = System.getenv("WINGU_MAILPIT");
    if (set != null && !set.isBlank()) {
      return Path.of(set);
    }
    Process p =
        new ProcessBuilder("bash", Path.of("..", "scripts", "mailpit.sh").toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (p.waitFor() != 0 || out.isEmpty()) {
      throw new IllegalStateException("scripts/mailpit.sh failed");
    }
    return Path.of(out);
  }

  public int smtpPort() {
    return smtpPort;
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
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
