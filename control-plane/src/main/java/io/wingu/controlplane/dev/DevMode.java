package io.wingu.controlplane.dev;

import io.wingu.controlplane.wiring.ControlPlane;
import io.wingu.controlplane.app.StartupException;
import io.wingu.controlplane.app.WinguConfig;
import io.wingu.controlplane.audit.AuditSigningKey;
import io.wingu.controlplane.auth.SigningKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code ./wingu dev}: real PostgreSQL and a real kube-apiserver + etcd on this machine (unless
 * WINGU_DB_URL / WINGU_KUBECONFIG name others), then the control plane on them. Everything it
 * started stops on SIGINT/SIGTERM.
 */
public final class DevMode {

  static final String OWNER_ROLE = "wingu_owner";
  static final String APP_ROLE = "wingu_app";

  private DevMode() {
  }

  public static void start(Map<String, String> env) {
    WinguConfig asked = WinguConfig.from(env);
    Path dir = asked.devDir().toAbsolutePath();
    Deque<AutoCloseable> started = new ArrayDeque<>();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> closeAll(started), "wingu-dev-shutdown"));
    try {
      Files.createDirectories(dir);
      Map<String, String> dev = new HashMap<>();
      if (asked.dbUrl().isEmpty()) {
        say("starting PostgreSQL on 127.0.0.1:" + asked.devDbPort() + " (data in " + dir.resolve("postgres") + ")");
        LocalPostgres pg = LocalPostgres.start(dir.resolve("postgres"), asked.devDbPort(),
            secret(dir.resolve("postgres-password")));
        started.push(pg);
        String ownerPassword = secret(dir.resolve("owner-password"));
        String appPassword = secret(dir.resolve("app-password"));
        pg.ensureRole(OWNER_ROLE, ownerPassword);
        pg.ensureRole(APP_ROLE, appPassword);
        pg.ensureDatabase("wingu", OWNER_ROLE);
        dev.putAll(Map.of("WINGU_DB_URL", pg.jdbcUrl("wingu"),
            "WINGU_DB_USER", APP_ROLE, "WINGU_DB_PASSWORD", appPassword,
            "WINGU_DB_MIGRATION_USER", OWNER_ROLE, "WINGU_DB_MIGRATION_PASSWORD", ownerPassword));
      }
      if (asked.provisioning().tenantDbUrl().isEmpty()) {
        int port = asked.devDbPort() + 1;
        say("starting the tenant database server on 127.0.0.1:" + port);
        LocalPostgres tenants = LocalPostgres.start(dir.resolve("tenant-postgres"), port,
            secret(dir.resolve("tenant-postgres-password")));
        started.push(tenants);
        dev.putAll(Map.of("WINGU_TENANT_DB_URL", tenants.jdbcUrl("postgres"),
            "WINGU_TENANT_DB_USER", LocalPostgres.SUPERUSER, "WINGU_TENANT_DB_PASSWORD", tenants.superuserPassword(),
            "WINGU_TENANT_DB_CIDR", "127.0.0.1/32"));
      }
      if (asked.kubeconfig().isEmpty()) {
        say("starting kube-apiserver + etcd " + LocalKubernetes.VERSION);
        LocalKubernetes kube = LocalKubernetes.start();
        started.push(kube);
        dev.put("WINGU_KUBECONFIG", kube.writeKubeconfig(dir.resolve("kubeconfig")).toString());
      }
      if (asked.jwtPrivateKey().isEmpty()) {
        SigningKeys.generateOnce(dir);
        dev.put("WINGU_JWT_PRIVATE_KEY", SigningKeys.privateKeyFile(dir).toString());
        dev.put("WINGU_JWT_PUBLIC_KEY", SigningKeys.publicKeyFile(dir).toString());
      }
      if (asked.auditCheckpoints().signingKey().isEmpty()) {
        AuditSigningKey.generateOnce(dir);
        dev.put("WINGU_AUDIT_SIGNING_KEY", AuditSigningKey.privateKeyFile(dir).toString());
        dev.put("WINGU_AUDIT_PUBLIC_KEY", AuditSigningKey.publicKeyFile(dir).toString());
      }
      if (asked.auditCheckpoints().dir().isEmpty()) {
        dev.put("WINGU_AUDIT_CHECKPOINT_DIR", dir.resolve("audit-checkpoints").toString());
      }
      String password = asked.bootstrapPassword().orElse(secret(dir.resolve("operator-password")));
      dev.put("WINGU_BOOTSTRAP_PASSWORD", password);
      WinguConfig effective = WinguConfig.from(env, dev);
      ControlPlane cp = ControlPlane.start(effective);
      started.push(cp);
      DevAgent agent = DevAgent.start(cp.url(), effective.bootstrapOperator(), password, dir);
      if (agent != null) {
        started.push(agent);
      }
      Path kubeconfig = effective.kubeconfig().orElseThrow().toAbsolutePath();
      Path envFile = dir.resolve("dev.env");
      Files.writeString(envFile, String.join("\n",
          "WINGU_URL=" + cp.url(),
          "WINGU_USERNAME=" + effective.bootstrapOperator(),
          "WINGU_PASSWORD=" + password,
          "KUBECONFIG=" + kubeconfig,
          ""));
      privateFile(envFile);
      System.out.println();
      System.out.println("  Wingu is running (dev mode)");
      System.out.println("    URL:         " + cp.url());
      System.out.println("    operator:    " + effective.bootstrapOperator());
      System.out.println("    password:    " + password);
      System.out.println("    kubeconfig:  " + kubeconfig + "   (kubectl --kubeconfig " + kubeconfig + " get ns)");
      System.out.println("    settings:    " + envFile);
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
    privateFile(file);
    return value;
  }

  private static void privateFile(Path file) throws IOException {
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
  }

  private static void say(String line) {
    System.out.println("wingu dev: " + line);
  }
}
