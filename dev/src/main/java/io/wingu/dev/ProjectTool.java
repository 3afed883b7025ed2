package io.wingu.dev;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A tool one of the project's scripts builds or installs and prints the path of (mailpit.sh,
 * s3-server.sh, pg-client.sh): the variable that names it when set (./wingu test exports them),
 * otherwise what the script prints.
 */
final class ProjectTool {

  private ProjectTool() {}

  static Path path(Path checkout, String variable, String script, String what)
      throws IOException, InterruptedException {
    String set = System.getenv(variable);
    if (set != null && !set.isBlank()) {
      return Path.of(set.strip());
    }
    Process p =
        new ProcessBuilder("bash", checkout.resolve("scripts").resolve(script).toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (p.waitFor() != 0 || out.isEmpty()) {
      throw new IOException("scripts/" + script + " could not provide " + what);
    }
    return Path.of(out.lines().reduce((a, b) -> b).orElseThrow());
  }

  /** A free port on this machine. */
  static int freePort() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Stops a tool's process: asked first, killed after 10 s. */
  static void stop(Process process) {
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
