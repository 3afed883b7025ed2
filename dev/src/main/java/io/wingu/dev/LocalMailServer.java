package io.wingu.dev;

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

/**
 * A real SMTP server on loopback for dev mode, the tests and the benchmark: Mailpit, built from its
 * Go module by {@code scripts/mailpit.sh} (WINGU_MAILPIT names the binary; without it the script is
 * run). It keeps every message it receives, in memory, and shows them in a web page and an HTTP API
 * at {@link #webUrl()}.
 */
public final class LocalMailServer implements AutoCloseable {

  private final Process process;
  private final int smtpPort;
  private final URI web;

  private LocalMailServer(Process process, int smtpPort, URI web) {
    this.process = process;
    this.smtpPort = smtpPort;
    this.web = web;
  }

  /** Starts it on the ports given (0: a free one) and waits until its API answers. */
  public static LocalMailServer start(Path checkout, int smtpPort, int webPort, Path log)
      throws IOException, InterruptedException {
    return start(checkout, smtpPort, webPort, log, null);
  }

  /**
   * As {@link #start(Path, int, int, Path)}; with {@code allowedRecipients} (a regular expression)
   * it refuses every other recipient with a permanent error (550), as a mail server refuses an
   * address that does not exist.
   */
  public static LocalMailServer start(
      Path checkout, int smtpPort, int webPort, Path log, String allowedRecipients)
      throws IOException, InterruptedException {
    Path bin = binary(checkout);
    int smtp = smtpPort == 0 ? ProjectTool.freePort() : smtpPort;
    int http = webPort == 0 ? ProjectTool.freePort() : webPort;
    Files.createDirectories(log.toAbsolutePath().getParent());
    java.util.List<String> command =
        new java.util.ArrayList<>(
            java.util.List.of(
                bin.toString(),
                "--smtp",
                "127.0.0.1:" + smtp,
                "--listen",
                "127.0.0.1:" + http,
                "--max",
                "0",
                "--disable-version-check",
                "--smtp-disable-rdns",
                "--quiet"));
    if (allowedRecipients != null) {
      command.add("--smtp-allowed-recipients");
      command.add(allowedRecipients);
    }
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    LocalMailServer server =
        new LocalMailServer(p, smtp, URI.create("http://127.0.0.1:" + http + "/"));
    HttpClient client = HttpClient.newHttpClient();
    Instant end = Instant.now().plusSeconds(60);
    while (true) {
      try {
        HttpResponse<Void> r =
            client.send(
                HttpRequest.newBuilder(server.web.resolve("api/v1/info"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return server;
        }
      } catch (IOException notYet) {
        // still starting
      }
      if (!p.isAlive() || Instant.now().isAfter(end)) {
        p.destroyForcibly();
        throw new IOException(
            "the mail server (Mailpit) did not start: "
                + Files.readString(log, StandardCharsets.UTF_8));
      }
      Thread.sleep(100);
    }
  }

  private static Path binary(Path checkout) throws IOException, InterruptedException {
    return ProjectTool.path(checkout, "WINGU_MAILPIT", "mailpit.sh", "the mail server (Mailpit)");
  }

  public int smtpPort() {
    return smtpPort;
  }

  /** Its web page (every message received) and, under {@code api/v1/}, its HTTP API. */
  public URI webUrl() {
    return web;
  }

  @Override
  public void close() {
    ProjectTool.stop(process);
  }
}
