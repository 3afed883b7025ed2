package io.wingu.controlplane.backups;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The command lines of pg_dump and pg_restore (custom format, through a pipe), the same in dev
 * mode, in tests and in a cluster. The password goes in the environment, never on the command line.
 */
final class PgClient {

  private final Optional<Path> bin;
  private final TenantServer server;

  PgClient(Optional<Path> bin, TenantServer server) {
    this.bin = bin;
    this.server = server;
  }

  /** pg_dump of {@code database} in custom format to its standard output, in that snapshot. */
  Process dump(String database, String snapshot) throws IOException {
    List<String> cmd = new ArrayList<>(connection("pg_dump"));
    cmd.addAll(List.of("--format=custom", "--snapshot=" + snapshot, "--dbname=" + database));
    return start(cmd);
  }

  /**
   * pg_restore from its standard input into {@code database}, every object owned by {@code role}
   * (null: by the connecting role), stopping at the first error.
   */
  Process restore(String database, String role) throws IOException {
    List<String> cmd = new ArrayList<>(connection("pg_restore"));
    cmd.addAll(List.of("--exit-on-error", "--no-owner", "--dbname=" + database));
    if (role != null) {
      cmd.add("--role=" + role);
    }
    return start(cmd);
  }

  private List<String> connection(String program) {
    return List.of(
        bin.map(b -> b.resolve(program).toString()).orElse(program),
        "--host=" + server.host(),
        "--port=" + server.port(),
        "--username=" + server.user(),
        "--no-password");
  }

  private Process start(List<String> cmd) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    if (server.password() != null) {
      pb.environment().put("PGPASSWORD", server.password());
    }
    pb.environment().put("PGCONNECT_TIMEOUT", "10");
    try {
      return pb.start();
    } catch (IOException e) {
      throw new IOException(
          "cannot run "
              + cmd.get(0)
              + " (set WINGU_PG_BIN to the folder scripts/pg-client.sh prints): "
              + e.getMessage(),
          e);
    }
  }

  /** Reads a process's standard error on a virtual thread, so that it never blocks on it. */
  static final class ErrorOutput {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final Thread reader;

    ErrorOutput(Process p) {
      InputStream err = p.getErrorStream();
      reader =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      err.transferTo(bytes);
                    } catch (IOException e) {
                      // the process ended; what was read is kept
                    }
                  });
    }

    /** The last line it wrote (after the process ended), for an error message. */
    String lastLine() throws InterruptedException {
      reader.join();
      String text = bytes.toString(StandardCharsets.UTF_8).strip();
      int nl = text.lastIndexOf('\n');
      return nl < 0 ? text : text.substring(nl + 1);
    }
  }
}
