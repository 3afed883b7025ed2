package io.wingu.dev;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code ./wingu dev}: real PostgreSQL and a real Kubernetes cluster on this machine (unless
 * WINGU_DB_URL / WINGU_KUBECONFIG name others), then the packaged control plane ({@code
 * control-plane/target/wingu-control-plane.jar serve}, the production jar) as a child process
 * configured by WINGU_* variables to use them. The cluster is the full one-node {@link
 * LocalCluster} where this machine can run a node (root on Linux), so approved sites are really
 * served and their addresses printed; elsewhere kube-apiserver + etcd alone, said in one line.
 * Everything it started stops on SIGINT/SIGTERM, and when the control plane exits on its own.
 */
public final class DevMode {

  static final String OWNER_ROLE = "wingu_owner";
  static final String APP_ROLE = "wingu_app";

  /**
   * The image names dev mode imports the node's images under and gives the control plane, unless
   * WINGU_SITE_IMAGE / WINGU_FETCH_IMAGE say others (the control plane's own defaults).
   */
  static final String SITE_IMAGE = "wingu/site-web:local";

  static final String FETCH_IMAGE = "wingu-control-plane:0.1.0";

  private final Map<String, String> env;
  private final Path root;
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private volatile boolean stopping;

  private DevMode(Map<String, String> env, Path root) {
    this.env = env;
    this.root = root;
  }

  public static void main(String[] args) {
    DevMode dev = new DevMode(System.getenv(), Checkout.ofThisJar());
    Runtime.getRuntime().addShutdownHook(new Thread(dev::stop, "wingu-dev-shutdown"));
    int code = 0;
    try {
      dev.run();
    } catch (IllegalArgumentException e) {
      System.err.println("wingu: " + e.getMessage());
      code = 2;
    } catch (ControlPlaneExited e) {
      // the control plane printed why; exiting runs the shutdown hook, which stops the rest
      if (!dev.stopping) {
        say(e.getMessage() + "; stopping everything dev mode started");
      }
      code = e.code;
    } catch (IOException | SQLException | IllegalStateException e) {
      if (!dev.stopping) {
        System.err.println("wingu: dev mode could not start: " + e.getMessage());
      }
      code = 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      code = 1;
    } catch (RuntimeException e) {
      if (!dev.stopping) {
        System.err.println("wingu: dev mode could not start:");
        e.printStackTrace();
      }
      code = 1;
    }
    if (!dev.stopping) {
      System.exit(code);
    }
  }

  /**
   * Starts the local parts and the control plane, then waits until the control plane exits: when a
   * signal stopped it (the shutdown hook is then stopping everything) or on its own ({@link
   * ControlPlaneExited}).
   */
  private void run() throws IOException, SQLException, InterruptedException {
    Path controlPlaneJar = root.resolve("control-plane/target/wingu-control-plane.jar");
    if (!Files.isRegularFile(controlPlaneJar)) {
      throw new IllegalStateException(
          controlPlaneJar + " is missing: ./wingu dev builds it (mvn -pl control-plane package)");
    }
    Path dir = Path.of(setting("WINGU_DEV_DIR", ".wingu/dev")).toAbsolutePath();
    int dbPort = port("WINGU_DEV_DB_PORT", 54329);
    int httpPort = port("WINGU_HTTP_PORT", 8080);
    String httpHost = setting("WINGU_HTTP_HOST", "0.0.0.0");
    Files.createDirectories(dir);
    Map<String, String> dev = new HashMap<>();
    if (!isSet("WINGU_DB_URL")) {
      say(
          "starting PostgreSQL on 127.0.0.1:"
              + dbPort
              + " (data in "
              + dir.resolve("postgres")
              + ")");
      LocalPostgres pg =
          LocalPostgres.start(
              dir.resolve("postgres"), dbPort, secret(dir.resolve("postgres-password")));
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
    if (!isSet("WINGU_TENANT_DB_URL")) {
      int port = dbPort + 1;
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
    if (!isSet("WINGU_KUBECONFIG")) {
      NodeImages images = NodeImages.in(root);
      String why = whyNoNode(images);
      if (why == null) {
        cluster = startCluster(images, dir, httpHost, httpPort, dev);
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
    if (!isSet("WINGU_JWT_PRIVATE_KEY")) {
      Path privateKey = dir.resolve("jwt-private.pem");
      Path publicKey = dir.resolve("jwt-public.pem");
      DevKeys.generateOnce(privateKey, publicKey);
      dev.put("WINGU_JWT_PRIVATE_KEY", privateKey.toString());
      dev.put("WINGU_JWT_PUBLIC_KEY", publicKey.toString());
    }
    if (!isSet("WINGU_AUDIT_SIGNING_KEY")) {
      Path privateKey = dir.resolve("audit-signing-private.pem");
      Path publicKey = dir.resolve("audit-signing-public.pem");
      DevKeys.generateOnce(privateKey, publicKey);
      dev.put("WINGU_AUDIT_SIGNING_KEY", privateKey.toString());
      dev.put("WINGU_AUDIT_PUBLIC_KEY", publicKey.toString());
    }
    if (!isSet("WINGU_ROUTING")) {
      // the local parts run no Gateway API implementation (nor its CRDs): sites keep their Ingress
      dev.put("WINGU_ROUTING", "ingress");
    }
    if (!isSet("WINGU_AUDIT_CHECKPOINT_DIR")) {
      dev.put("WINGU_AUDIT_CHECKPOINT_DIR", dir.resolve("audit-checkpoints").toString());
    }
    String operator = setting("WINGU_BOOTSTRAP_OPERATOR", "operator");
    String password =
        isSet("WINGU_BOOTSTRAP_PASSWORD")
            ? env.get("WINGU_BOOTSTRAP_PASSWORD").trim()
            : secret(dir.resolve("operator-password"));
    dev.put("WINGU_BOOTSTRAP_PASSWORD", password);
    URI url =
        URI.create(
            "http://" + ("0.0.0.0".equals(httpHost) ? "localhost" : httpHost) + ":" + httpPort);

    LocalMailServer mail = null;
    if (!isSet("WINGU_SMTP_HOST")) {
      try {
        mail =
            LocalMailServer.start(
                root,
                port("WINGU_DEV_SMTP_PORT", 1025),
                port("WINGU_DEV_MAIL_WEB_PORT", 8025),
                dir.resolve("mailpit.log"));
        started.push(mail);
        dev.put("WINGU_SMTP_HOST", "127.0.0.1");
        dev.put("WINGU_SMTP_PORT", String.valueOf(mail.smtpPort()));
        dev.put("WINGU_SMTP_STARTTLS", "DISABLED");
        say(
            "mail server (Mailpit) on 127.0.0.1:"
                + mail.smtpPort()
                + "; what it received: "
                + mail.webUrl());
      } catch (IOException e) {
        say("no local mail server (" + e.getMessage() + "): notifications wait in the outbox");
      }
    }
    if (!isSet("WINGU_BACKUP_S3_ENDPOINT")) {
      try {
        LocalObjectStore objects =
            LocalObjectStore.start(
                root,
                dir.resolve("object-store"),
                port("WINGU_DEV_S3_PORT", 7070),
                "wingu-dev",
                secret(dir.resolve("object-store-secret")));
        started.push(objects);
        dev.put("WINGU_BACKUP_S3_ENDPOINT", objects.endpoint());
        dev.put("WINGU_BACKUP_S3_ACCESS_KEY", "wingu-dev");
        dev.put("WINGU_BACKUP_S3_SECRET_KEY", secret(dir.resolve("object-store-secret")));
        dev.put("WINGU_BACKUP_KEY_FILE", backupKeyset(controlPlaneJar, dir).toString());
        if (!isSet("WINGU_PG_BIN")) {
          dev.put(
              "WINGU_PG_BIN",
              ProjectTool.path(root, "WINGU_PG_BIN", "pg-client.sh", "pg_dump 18").toString());
        }
        say(
            "backup store (versitygw) on "
                + objects.endpoint()
                + ", objects under "
                + dir.resolve("object-store/data"));
      } catch (IOException e) {
        say("no local backup store (" + e.getMessage() + "): backups are off");
      }
    }
    LocalOidcProvider oidc = null;
    if (!isSet("WINGU_OIDC_ISSUER")) {
      try {
        oidc = LocalOidcProvider.start(port("WINGU_DEV_OIDC_PORT", 8026));
        started.push(oidc);
        dev.put("WINGU_OIDC_ISSUER", oidc.issuer().toString());
        dev.put("WINGU_OIDC_CLIENT_ID", LocalOidcProvider.CLIENT_ID);
        dev.put("WINGU_OIDC_ROLES", LocalOidcProvider.ROLES);
        dev.put("WINGU_OIDC_INSTITUTION_CLAIM", LocalOidcProvider.INSTITUTION_CLAIM);
        if (!isSet("WINGU_PUBLIC_URL")) {
          dev.put("WINGU_PUBLIC_URL", url.toString());
        }
        say("identity provider (mock-oauth2-server, OpenID Connect) at " + oidc.issuer());
      } catch (IOException e) {
        say("no local identity provider (" + e.getMessage() + "): password sign-in only");
      }
    }
    ControlPlaneProcess cp = ControlPlaneProcess.start(controlPlaneJar, dev, url);
    started.push(cp);
    say("control plane started (" + controlPlaneJar + " serve), waiting for " + url + "/readyz");
    cp.awaitReady(Duration.ofMinutes(5));

    DevAgent agent = DevAgent.start(url, operator, password, dir);
    if (agent != null) {
      started.push(agent);
    }
    ServedSites served = null;
    if (cluster != null) {
      served = ServedSites.watch(cluster.client(), DevMode::say);
      started.push(served);
    }
    Path kubeconfig =
        Path.of(dev.getOrDefault("WINGU_KUBECONFIG", env.get("WINGU_KUBECONFIG"))).toAbsolutePath();
    Path envFile = dir.resolve("dev.env");
    Files.writeString(
        envFile,
        String.join(
            "\n",
            "WINGU_URL=" + url,
            "WINGU_USERNAME=" + operator,
            "WINGU_PASSWORD=" + password,
            "KUBECONFIG=" + kubeconfig,
            oidc == null ? "" : "WINGU_OIDC_ISSUER=" + oidc.issuer() + "\n"));
    privateFile(envFile);
    System.out.println();
    System.out.println("  Wingu is running (dev mode)");
    System.out.println("    URL:         " + url);
    System.out.println("    operator:    " + operator);
    System.out.println("    password:    " + password);
    System.out.println(
        "    kubeconfig:  " + kubeconfig + "   (kubectl --kubeconfig " + kubeconfig + " get ns)");
    System.out.println("    settings:    " + envFile);
    if (mail != null) {
      System.out.println(
          "    mail:        " + mail.webUrl() + "   (every notification mail sent, as received)");
    }
    if (oidc != null) {
      System.out.println(
          "    sign-in:     "
              + oidc.issuer()
              + "   (\"Sign in with the Authority's identity provider\": any name; claims"
              + " {\"groups\":[\"wingu-operators\"]} make an operator)");
    }
    if (served != null) {
      System.out.println(
          "    node:        "
              + LocalCluster.NODE_NAME
              + " at "
              + LocalCluster.NODE_IP
              + "; each live site's address is printed as it is served (\"site <institution>/<site> is served at ...\")");
      served
          .urls()
          .forEach(
              (site, siteUrl) -> System.out.println("    site:        " + site + "  " + siteUrl));
    }
    System.out.println("  Ctrl-C stops it and everything it started.");
    System.out.println();

    cp.awaitExit();
  }

  /** The control plane ended on its own (not stopped by dev mode): dev mode ends with its code. */
  static final class ControlPlaneExited extends RuntimeException {
    final int code;

    ControlPlaneExited(int code) {
      super("the control plane exited with code " + code);
      this.code = code;
    }
  }

  /**
   * The full one-node cluster with the site web server and control-plane (bundle fetcher) images
   * imported under the names the control plane gives pods; the control plane is pointed at the
   * node's bridge address, where the pods reach it.
   */
  private LocalCluster startCluster(
      NodeImages images, Path dir, String httpHost, int httpPort, Map<String, String> dev)
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
    String siteImage = setting("WINGU_SITE_IMAGE", SITE_IMAGE);
    String fetchImage = setting("WINGU_FETCH_IMAGE", FETCH_IMAGE);
    cluster.importImage(images.site(), siteImage);
    cluster.importImage(images.controlPlane(), fetchImage);
    dev.put("WINGU_SITE_IMAGE", siteImage);
    dev.put("WINGU_FETCH_IMAGE", fetchImage);
    say(
        "node ready; site web server and control-plane images imported in "
            + Duration.between(t0, Instant.now()).toMillis()
            + " ms");
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.copy(cluster.adminKubeconfig(), kubeconfig, StandardCopyOption.REPLACE_EXISTING);
    privateFile(kubeconfig);
    dev.put("WINGU_KUBECONFIG", kubeconfig.toString());
    if (!env.containsKey("WINGU_INTERNAL_URL")) {
      dev.put("WINGU_INTERNAL_URL", "http://" + LocalCluster.NODE_IP + ":" + httpPort);
    }
    if (!env.containsKey("WINGU_CLUSTER_DNS_CIDR")) {
      // the node's CoreDNS runs on the node, not as a kube-dns pod: tenant policies name its
      // address
      dev.put("WINGU_CLUSTER_DNS_CIDR", LocalCluster.NODE_IP + "/32");
    }
    if (!Set.of("0.0.0.0", "::", LocalCluster.NODE_IP).contains(httpHost)) {
      say(
          "WINGU_HTTP_HOST="
              + httpHost
              + " is not reachable from the site pods: their bundles cannot be"
              + " fetched (leave it unset, or use "
              + LocalCluster.NODE_IP
              + ")");
    }
    return cluster;
  }

  /** Why dev mode runs no node here (null: it does), in a few words. */
  public static String whyNoNode(NodeImages images) {
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

  /** The image archives `mvn -Pimages package` writes in a checkout of the project. */
  public record NodeImages(Path site, Path controlPlane) {

    public static NodeImages in(Path checkout) {
      return new NodeImages(
          checkout.resolve("target/site-image/wingu-site-web.tar"),
          checkout.resolve("control-plane/target/jib-image.tar"));
    }
  }

  /** The project checkout this launcher runs from: its jar is in {@code <checkout>/dev/target}. */
  static final class Checkout {
    private Checkout() {}

    static Path ofThisJar() {
      try {
        Path code =
            Path.of(DevMode.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toAbsolutePath();
        return code.getParent().getParent().getParent(); // dev/target/(wingu-dev.jar | classes)
      } catch (URISyntaxException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** Stops what was started, newest first: the control plane before the parts it uses. */
  private synchronized void stop() {
    stopping = true;
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (Exception e) {
        System.err.println("wingu: while stopping: " + e.getMessage());
      }
    }
  }

  private boolean isSet(String name) {
    String v = env.get(name);
    return v != null && !v.isBlank();
  }

  private String setting(String name, String fallback) {
    return isSet(name) ? env.get(name).trim() : fallback;
  }

  private int port(String name, int fallback) {
    String v = setting(name, String.valueOf(fallback));
    try {
      int port = Integer.parseInt(v);
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new IllegalArgumentException(name + " must be a port number (1-65535), not '" + v + "'");
  }

  /**
   * The dev backups' keyset, made once by the control plane's own {@code backup-key} command (the
   * dev launcher does not link the control plane).
   */
  private static Path backupKeyset(Path controlPlaneJar, Path dir)
      throws IOException, InterruptedException {
    Path keyset = dir.resolve("backup-keyset.json");
    if (!Files.isRegularFile(keyset)) {
      String java = ProcessHandle.current().info().command().orElse("java");
      Process p =
          new ProcessBuilder(
                  java, "-jar", controlPlaneJar.toString(), "backup-key", keyset.toString())
              .inheritIO()
              .start();
      if (p.waitFor() != 0) {
        throw new IOException("the control plane could not write the backup keyset " + keyset);
      }
    }
    return keyset;
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

  static void privateFile(Path file) throws IOException {
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
  }

  static void say(String line) {
    System.out.println("wingu dev: " + line);
  }

  /**
   * The packaged control plane as a child process: this JVM's java running the jar with {@code
   * serve}, the inherited environment plus dev mode's settings, its output on this process's
   * output.
   */
  static final class ControlPlaneProcess implements AutoCloseable {
    private final Process process;
    private final URI url;

    private ControlPlaneProcess(Process process, URI url) {
      this.process = process;
      this.url = url;
    }

    static ControlPlaneProcess start(Path jar, Map<String, String> settings, URI url)
        throws IOException {
      ProcessBuilder pb =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-jar",
                  jar.toString(),
                  "serve")
              .inheritIO();
      pb.environment().putAll(settings);
      return new ControlPlaneProcess(pb.start(), url);
    }

    /**
     * A process start has no event to wait on: ask /readyz until it answers 200, pausing on the
     * process's own exit so that a control plane that failed to start ends the wait at once.
     */
    void awaitReady(Duration timeout) throws IOException, InterruptedException {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      Instant deadline = Instant.now().plus(timeout);
      String last = "no answer";
      while (Instant.now().isBefore(deadline)) {
        try {
          HttpResponse<String> r =
              http.send(
                  HttpRequest.newBuilder(url.resolve("/readyz"))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200) {
            return;
          }
          last = r.statusCode() + " " + r.body();
        } catch (IOException e) {
          last = e.toString();
        }
        try {
          throw new ControlPlaneExited(
              process.onExit().get(250, TimeUnit.MILLISECONDS).exitValue());
        } catch (TimeoutException e) {
          // still running: ask again
        } catch (ExecutionException e) {
          throw new IOException(e.getCause());
        }
      }
      throw new IllegalStateException(
          "the control plane was not ready within " + timeout.toSeconds() + " s: " + last);
    }

    void awaitExit() throws InterruptedException {
      int code = process.waitFor();
      throw new ControlPlaneExited(code == 0 ? 1 : code);
    }

    @Override
    public void close() {
      process.destroy();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }
}
