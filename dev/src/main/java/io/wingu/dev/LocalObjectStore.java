package io.wingu.dev;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A real S3-compatible server on loopback for dev mode and the tests: versitygw with its posix
 * backend (objects are plain files under a folder), built from its Go module by {@code
 * scripts/s3-server.sh} (WINGU_VERSITYGW names the binary; without it the script is run). Backups
 * of tenant databases go to it.
 */
public final class LocalObjectStore implements AutoCloseable {

  private final Process process;
  private final String endpoint;

  private LocalObjectStore(Process process, String endpoint) {
    this.process = process;
    this.endpoint = endpoint;
  }

  /**
   * Starts it on {@code port} (0: a free one), keeping objects under {@code folder}, with the
   * access and secret key given, and waits until it takes connections.
   */
  public static LocalObjectStore start(
      Path checkout, Path folder, int port, String accessKey, String secretKey)
      throws IOException, InterruptedException {
    Path bin = ProjectTool.path(checkout, "WINGU_VERSITYGW", "s3-server.sh", "versitygw");
    int p = port == 0 ? ProjectTool.freePort() : port;
    Path data = Files.createDirectories(folder.resolve("data"));
    Path meta = Files.createDirectories(folder.resolve("meta"));
    Path log = folder.resolve("versitygw.log");
    Process process =
        new ProcessBuilder(
                List.of(
                    bin.toString(),
                    "--access",
                    accessKey,
                    "--secret",
                    secretKey,
                    "--port",
                    "127.0.0.1:" + p,
                    "--quiet",
                    "posix",
                    "--sidecar",
                    meta.toString(),
                    data.toString()))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    Instant end = Instant.now().plusSeconds(30);
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", p), 500);
        return new LocalObjectStore(process, "http://127.0.0.1:" + p);
      } catch (IOException notYet) {
        // still starting
      }
      if (!process.isAlive() || Instant.now().isAfter(end)) {
        process.destroyForcibly();
        throw new IOException(
            "the S3-compatible server (versitygw) did not start: "
                + Files.readString(log, StandardCharsets.UTF_8));
      }
      Thread.sleep(100);
    }
  }

  /** Its S3 endpoint, {@code http://127.0.0.1:<port>}. */
  public String endpoint() {
    return endpoint;
  }

  @Override
  public void close() {
    ProjectTool.stop(process);
  }
}
