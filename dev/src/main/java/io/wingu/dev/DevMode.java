package io.wingu.dev;

import io.wingu.controlplane.app.StartupException;
import io.wingu.controlplane.app.WinguConfig;
import io.wingu.controlplane.audit.AuditSigningKey;
import io.wingu.controlplane.auth.SigningKeys;
import io.wingu.controlplane.wiring.ControlPlane;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./wingu dev}: real PostgreSQL and a real Kubernetes cluster on this machine (unless
 * WINGU_DB_URL / WINGU_KUBECONFIG name others), then the control plane on them. The cluster is the
 * full one-node {@link LocalCluster} where this machine can run a node (root on Linux), so approved
 * sites are really served and their addresses printed; elsewhere kube-apiserver + etcd alone, said
 * in one line. Everything it started stops on SIGINT/SIGTERM.
 */
public final class DevMode {

  static final String OWNER_ROLE = "wingu_owner";
  static final String APP_ROLE = "wingu_app";

  private DevMode() {}

  public static void start(Map<String, String> env) {
    WinguConfig asked = WinguConfig.from(env);
    Path dir = asked.devDir().toAbsolutePath();
    Deque<AutoCloseable> started = new ArrayDeque<>();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> closeAll(started), "wingu-dev-shutdown"));
    try {
      Files.createDirectories(dir);
      Map<String, String> dev = new HashMap<>();
      if (asked.dbUrl().isEmpty()) {
        say(
            "starting PostgreSQL on 127.0.0.1:"
                + asked.devDbPort()
                + " (data in "
                + dir.resolve("postgres")
                + ")");
        LocalPostgres pg =
            LocalPostgres.start(
                dir.resolve("postgres"),
                asked.devDbPort(),
                secret(dir.resolve("postgres-password")));
        started.push(pg);
        String ownerPassword = secret(dir.resolve("owner-password"));
        String appPassword = secret(dir.resolve("app-password"));
        pg.ensureRole(OWNER_ROLE, ownerPassword);
        pg.ensureRole(APP_ROLE, appPassword);
        pg.ensureDatabase("wingu", OWNER_ROLE);
        dev.putAll(
            Map.of(
                "WINGU_DB_URL",
                pg.jdbcUrl("wingu"),
                "WINGU_DB_USER",
                APP_ROLE,
                "WINGU_DB_PASSWORD",
                appPassword,
                "WINGU_DB_MIGRATION_USER",
                OWNER_ROLE,
                "WINGU_DB_MIGRATION_PASSWORD",
                ownerPassword));
      }
      if (asked.provisioning().tenantDbUrl().isEmpty()) {
        int port = asked.devDbPort() + 1;
        say("starting the tenant database server on 127.0.0.1:" + port);
        LocalPostgres tenants =
            LocalPostgres.start(
                dir.resolve("tenant-postgres"),
                port,
                secret(dir.resolve("tenant-postgres-password")));
        started.push(tenants);
        dev.putAll(
            Map.of(
                "WINGU_TENANT_DB_URL",
                tenants.jdbcUrl("postgres"),
                "WINGU_TENANT_DB_USER",
                LocalPostgres.SUPERUSER,
                "WINGU_TENANT_DB_PASSWORD",
                tenants.superuserPassword(),
                "WINGU_TENANT_DB_CIDR",
                "127.0.0.1/32"));
      }
      LocalCluster cluster = null;
      if (asked.kubeconfig().isEmpty()) {
        NodeImages images = NodeImages.besideJar();
        String why = whyNoNode(images);
        if (why == null) {
          cluster = startCluster(asked, env, images, dir, started, dev);
        } else {
          say(
              "no Kubernetes node here ("
                  + why
                  + "): starting kube-apiserver + etcd "
                  + LocalKubernetes.VERSION
                  + " only, so sites are provisioned but not served");
          LocalKubernetes kube = LocalKubernetes.start();
          started.push(kube);
          dev.put("WINGU_KUBECONFIG", kube.writeKubeconfig(dir.resolve("kubeconfig")).toString());
        }
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
      ServedSites served = null;
      if (cluster != null) {
        served = ServedSites.watch(cluster.client(), DevMode::say);
        started.push(served);
      }
      Path kubeconfig = effective.kubeconfig().orElseThrow().toAbsolutePath();
      Path envFile = dir.resolve("dev.env");
      Files.writeString(
          envFile,
          String.join(
              "\n",
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
      System.out.println(
          "    kubeconfig:  " + kubeconfig + "   (kubectl --kubeconfig " + kubeconfig + " get ns)");
      System.out.println("    settings:    " + envFile);
      if (served != null) {
        System.out.println(
            "    node:        "
                + LocalCluster.NODE_NAME
                + " at "
                + LocalCluster.NODE_IP
                + "; each live site's address is printed as it is served (\"site <institution>/<site> is served at ...\")");
        served
            .urls()
            .forEach((site, url) -> System.out.println("    site:        " + site + "  " + url));
      }
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

  /**
   * The full one-node cluster with the site web server and control-plane (bundle fetcher) images
   * imported under the names the control plane gives pods; the control plane is pointed at the
   * node's bridge address, where the pods reach it.
   */
  private static LocalCluster startCluster(
      WinguConfig asked,
      Map<String, String> env,
      NodeImages images,
      Path dir,
      Deque<AutoCloseable> started,
      Map<String, String> dev)
      throws IOException {
    say(
        "starting a one-node Kubernetes cluster "
            + LocalKubernetes.VERSION
            + " (node "
            + LocalCluster.NODE_IP
            + " on bridge "
            + LocalCluster.BRIDGE
            + "; Ctrl-C stops it and restores this machine)");
    LocalCluster cluster = LocalCluster.start();
    started.push(cluster);
    Instant t0 = Instant.now();
    cluster.importImage(images.site(), asked.provisioning().siteImage());
    cluster.importImage(images.controlPlane(), asked.provisioning().fetchImage());
    say(
        "node ready; site web server and control-plane images imported in "
            + Duration.between(t0, Instant.now()).toMillis()
            + " ms");
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.copy(cluster.adminKubeconfig(), kubeconfig, StandardCopyOption.REPLACE_EXISTING);
    privateFile(kubeconfig);
    dev.put("WINGU_KUBECONFIG", kubeconfig.toString());
    if (!env.containsKey("WINGU_INTERNAL_URL")) {
      dev.put("WINGU_INTERNAL_URL", "http://" + LocalCluster.NODE_IP + ":" + asked.httpPort());
    }
    if (!Set.of("0.0.0.0", "::", LocalCluster.NODE_IP).contains(asked.httpHost())) {
      say(
          "WINGU_HTTP_HOST="
              + asked.httpHost()
              + " is not reachable from the site pods: their bundles cannot be"
              + " fetched (leave it unset, or use "
              + LocalCluster.NODE_IP
              + ")");
    }
    return cluster;
  }

  /** Why dev mode runs no node here (null: it does), in a few words. */
  static String whyNoNode(NodeImages images) {
    String why = LocalCluster.whyNotRunnable();
    if (why != null) {
      return why;
    }
    for (Path image : List.of(images.site(), images.controlPlane())) {
      if (!Files.isRegularFile(image)) {
        return image + " is missing: ./wingu dev builds it (mvn -Pimages package)";
      }
    }
    return null;
  }

  /**
   * The image archives `mvn -Pimages package` writes, found from where this jar (or class folder)
   * is.
   */
  record NodeImages(Path site, Path controlPlane) {

    static NodeImages besideJar() {
      Path code;
      try {
        code =
            Path.of(DevMode.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toAbsolutePath();
      } catch (java.net.URISyntaxException e) {
        throw new IllegalStateException(e);
      }
      Path target = code.getParent(); // control-plane/target (the jar or target/classes is in it)
      Path root = target.getParent().getParent();
      return new NodeImages(
          root.resolve("target/site-image/wingu-site-web.tar"), target.resolve("jib-image.tar"));
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
