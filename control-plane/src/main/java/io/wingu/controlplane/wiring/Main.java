package io.wingu.controlplane.wiring;

import io.wingu.controlplane.app.ConfigException;
import io.wingu.controlplane.app.StartupException;
import io.wingu.controlplane.app.WinguConfig;
import java.io.PrintStream;
import java.util.Map;

/**
 * Entry point. {@code serve} (the default and only command) runs against the configured PostgreSQL
 * and Kubernetes; dev mode ({@code ./wingu dev}) is the dev module's launcher, which starts local
 * ones and then this jar with {@code serve}. Failures print one line and exit non-zero.
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    String command = args.length == 0 ? "serve" : args[0];
    int code = run(command, System.getenv(), System.err);
    if (code != 0) {
      System.exit(code);
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
