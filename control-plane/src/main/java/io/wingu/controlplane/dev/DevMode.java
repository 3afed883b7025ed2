package io.wingu.controlplane.dev;

import io.wingu.controlplane.app.ControlPlane;
import io.wingu.controlplane.app.StartupException;
import io.wingu.controlplane.app.WinguConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;

/**
 * {@code ./wingu dev}: real PostgreSQL and a real kube-apiserver + etcd on this machine (unless
 * WINGU_DB_URL / WINGU_KUBECONFIG name others), then the control plane on them. Everything it
 * started stops on SIGINT/SIGTERM.
 */
public final class DevMode {

  private DevMode() {
  }

  public static void start(WinguConfig config) {
    Path dir = config.devDir().toAbsolutePath();
    Deque<AutoCloseable> started = new ArrayDeque<>();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> closeAll(started), "wingu-dev-shutdown"));
    try {
      Files.createDirectories(dir);
      WinguConfig effective = config;
      if (config.dbUrl().isEmpty()) {
        String pgPassword = secret(dir.resolve("postgres-password"));
        say("starting PostgreSQL on 127.0.0.1:" + config.devDbPort() + " (data in " + dir.resolve("postgres") + ")");
        LocalPostgres pg = LocalPostgres.start(dir.resolve("postgres"), config.devDbPort(), pgPassword);
        started.push(pg);
        pg.ensureDatabase("wingu");
        effective = effective.withDatabase(pg.jdbcUrl("wingu"), LocalPostgres.SUPERUSER, pgPassword);
      }
      if (config.kubeconfig().isEmpty()) {
        say("starting kube-apiserver + etcd " + LocalKubernetes.VERSION);
        LocalKubernetes kube = LocalKubernetes.start();
        started.push(kube);
        effective = effective.withKubeconfig(kube.writeKubeconfig(dir.resolve("kubeconfig")));
      }
      String password = config.bootstrapPassword().orElse(secret(dir.resolve("operator-password")));
      effective = effective.withBootstrapPassword(password);
      ControlPlane cp = ControlPlane.start(effective);
      started.push(cp);
      Path kubeconfig = effective.kubeconfig().orElseThrow().toAbsolutePath();
      Files.writeString(dir.resolve("dev.env"), String.join("\n",
          "WINGU_URL=" + cp.url(),
          "WINGU_USERNAME=" + effective.bootstrapOperator(),
          "WINGU_PASSWORD=" + password,
          "KUBECONFIG=" + kubeconfig,
          ""));
      owner(dir.resolve("dev.env"));
      System.out.println();
      System.out.println("  Wingu is running (dev mode)");
      System.out.println("    URL:         " + cp.url());
      System.out.println("    operator:    " + effective.bootstrapOperator());
      System.out.println("    password:    " + password);
      System.out.println("    kubeconfig:  " + kubeconfig + "   (kubectl --kubeconfig " + kubeconfig + " get ns)");
      System.out.println("    settings:    " + dir.resolve("dev.env"));
      System.out.println("  Ctrl-C stops it and everything it started.");
      System.out.println();
    } catch (IOException | SQLException | IllegalStateException e) {
      closeAll(started);
      throw new StartupException("dev mode could not start: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeAll(started);
      throw e;
    }
  }

  private static synchronized void closeAll(Deque<AutoCloseable> started) {
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (Exception e) {
        System.err.println("wingu: while stopping: " + e.getMessage());
      }
    }
  }

  /** A random secret kept in a private file so it survives restarts. */
  static String secret(Path file) throws IOException {
    if (Files.exists(file)) {
      return Files.readString(file).strip();
    }
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    String value = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Files.writeString(file, value + "\n");
    owner(file);
    return value;
  }

  private static void owner(Path file) throws IOException {
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
  }

  private static void say(String line) {
    System.out.println("wingu dev: " + line);
  }
}
