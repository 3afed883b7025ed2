package io.wingu.controlplane.wiring;

import io.wingu.controlplane.app.ConfigException;
import io.wingu.controlplane.app.StartupException;
import io.wingu.controlplane.app.WinguConfig;
import java.io.PrintStream;
import java.util.Map;

/**
 * Entry point. {@code serve} (the default command) runs against the configured PostgreSQL and
 * Kubernetes; dev mode ({@code ./wingu dev}) is the dev module's launcher, which starts local ones
 * and then this jar with {@code serve}. {@code backup-key <file>} writes a new backup keyset.
 * Failures print one line and exit non-zero.
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    String command = args.length == 0 ? "serve" : args[0];
    int code =
        command.equals("backup-key")
            ? backupKey(args, System.err)
            : run(command, System.getenv(), System.err);
    if (code != 0) {
      System.exit(code);
    }
  }

  /**
   * {@code backup-key <file>}: writes a new Tink keyset of one AES256_GCM_HKDF_1MB key, for
   * WINGU_BACKUP_KEY_FILE. It refuses to overwrite a file: the old keys still open old backups.
   */
  static int backupKey(String[] args, PrintStream err) {
    if (args.length != 2) {
      err.println("wingu: use backup-key <file>");
      return 2;
    }
    java.nio.file.Path file = java.nio.file.Path.of(args[1]);
    if (java.nio.file.Files.exists(file)) {
      err.println("wingu: " + file + " exists; its keys may still be needed to read old backups");
      return 2;
    }
    try {
      io.wingu.controlplane.backups.BackupKeys.generate(file);
      err.println("wingu: wrote a backup keyset to " + file + "; keep a copy outside the store");
      return 0;
    } catch (java.io.IOException e) {
      err.println("wingu: " + e.getMessage());
      return 1;
    }
  }

  /**
   * Starts the command and returns 0 once it runs, or the exit code after printing why it cannot.
   */
  public static int run(String command, Map<String, String> env, PrintStream err) {
    try {
      WinguConfig config = WinguConfig.from(env);
      switch (command) {
        case "serve" -> {
          ControlPlane cp = ControlPlane.start(config);
          Runtime.getRuntime().addShutdownHook(new Thread(cp::close, "wingu-shutdown"));
        }
        default -> {
          err.println("wingu: unknown command '" + command + "'; use serve");
          return 2;
        }
      }
      return 0;
    } catch (ConfigException e) {
      err.println("wingu: " + e.getMessage());
      return 2;
    } catch (StartupException e) {
      err.println("wingu: " + e.getMessage());
      return 1;
    }
  }
}
