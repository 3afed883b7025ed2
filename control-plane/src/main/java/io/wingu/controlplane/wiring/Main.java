package io.wingu.controlplane.wiring;

import io.wingu.controlplane.app.ConfigException;
import io.wingu.controlplane.app.StartupException;
import io.wingu.controlplane.app.WinguConfig;
import io.wingu.controlplane.dev.DevMode;
import java.io.PrintStream;
import java.util.Map;

/**
 * Entry point. {@code serve} (default) runs against configured PostgreSQL and Kubernetes; {@code
 * dev} starts real local ones first. Failures print one line and exit non-zero.
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
        case "dev" -> DevMode.start(env);
        default -> {
          err.println("wingu: unknown command '" + command + "'; use serve or dev");
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
