package io.wingu.controlplane.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.testing.Eventually;
import io.wingu.controlplane.testing.FreePort;
import io.wingu.controlplane.testing.RealNode;
import io.wingu.controlplane.testing.TenantSite;
import io.wingu.dev.ImageArchive;
import io.wingu.dev.LocalCluster;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The tenants' NetworkPolicies (NetworkPolicies.desired, written at approval) enforced on the real
 * node by the enforcer LocalCluster runs (kube-router's network-policy controller), shown with real
 * TCP/HTTP from pods. The traffic comes from netprobe pods (src/test/go/netprobe, a static Go
 * program in a one-file image): the test asks a probe over HTTP to open a connection from its pod
 * and says what it got. Each refused connection has a twin that succeeds and differs in one thing
 * only (the same target from another namespace, or the same source to another target), so a refusal
 * is the policy's, not a broken network's: the node's bridge carries everything until a policy says
 * otherwise (the unpoliced namespace's probes show it).
 *
 * <p>The tenant database and the control plane are processes on the node (10.244.0.1), each on its
 * own port, as is a decoy server on a third port that no policy opens.
 */
@ResourceLock(RealNode.CLUSTER)
class NetworkIsolationIT {

  static final Duration WAIT = Duration.ofSeconds(120);
  static final String PROBE_IMAGE = "wingu.local/netprobe:test";
  static final String OPEN = "netpol-open";
  static final String INGRESS = "ingress-nginx"; // WINGU_INGRESS_NAMESPACE's default
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  static HttpServer database;
  static HttpServer decoy;
  static RealNode node;
  static KubernetesClient k;

  @BeforeAll
  static void start() throws Exception {
    int databasePort = FreePort.find();
    node =
        RealNode.start(
            "netpol",
            Map.of(
                "WINGU_TENANT_DB_CIDR",
                LocalCluster.NODE_IP + "/32",
                "WINGU_TENANT_DB_PORT",
                String.valueOf(databasePort)));
    k = node.client();
    // on the node's bridge address, which exists once the cluster runs
    database = server(databasePort, "tenant database");
    decoy = server(0, "something no tenant may reach");
    node.cluster()
        .importImage(
            ImageArchive.write(
                Path.of("target/netprobe/netprobe.tar"), PROBE_IMAGE, netprobe(), "65535:65535"));
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
    if (database != null) {
      database.stop(0);
    }
    if (decoy != null) {
      decoy.stop(0);
    }
  }

  @Test
  void tenantsReachTheirDoorsAndNothingElse() throws Exception {
    Instant t0 = Instant.now();
    JsonObject example = node.templateExample("minimal-landing");
    TenantSite a = TenantSite.create(node.operator(), "portal");
    TenantSite b = TenantSite.create(node.operator(), "portal");
    deploy(a, example);
    deploy(b, example);
    for (String ns : List.of(OPEN, INGRESS)) {
      k.namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .serverSideApply();
    }
    Pod open = probe(OPEN);
    Pod ingress = probe(INGRESS);
    Pod inA = probe(a.namespace());
    // the sites' own pods started under enforcement: their init containers fetched the bundle from
    // the control plane through the door NetworkPolicies opens for it
    Pod siteA = readySitePod(a);
    Pod siteB = readySitePod(b);
    assertThat(
            siteA
                .getStatus()
                .getInitContainerStatuses()
                .get(0)
                .getState()
                .getTerminated()
                .getExitCode())
        .isZero();
    System.out.printf(
        "NetworkIsolationIT: two sites and three probes up in %d ms%n",
        Duration.between(t0, Instant.now()).toMillis());

    String siteBAddress = ip(siteB) + ":" + SiteDeployments.PORT;
    String databaseAddress = LocalCluster.NODE_IP + ":" + database.getAddress().getPort();
    String decoyAddress = LocalCluster.NODE_IP + ":" + decoy.getAddress().getPort();
    String controlPlaneAddress = LocalCluster.NODE_IP + ":" + node.plane().port();
    String openProbe = ip(open) + ":8080";

    // no policy in the open namespace: traffic flows both ways there (the network works)
    reaches(open, decoyAddress, "/", "200");
    reaches(open, ip(ingress) + ":8080", "/", "200");

    // the ingress door: the ingress namespace reaches B's site, which serves its page
    reaches(ingress, siteBAddress, "/sw/", "200");
    // ...and nobody else does: not institution A's pods, not the open namespace's
    blocked(inA, siteBAddress);
    blocked(open, siteBAddress);
    blocked(open, ip(inA) + ":8080");

    // A's pods reach the tenant database and the control plane's bundle route...
    reaches(inA, databaseAddress, "/", "200");
    reaches(inA, controlPlaneAddress, "/api/v1/bundles/" + "0".repeat(64), "4");
    // ...and nothing else: another port of the same host, a pod of an unpoliced namespace (B's site
    // above); its own institution's site pod only through the ingress door
    blocked(inA, decoyAddress);
    blocked(inA, openProbe);
    reaches(ingress, ip(siteA) + ":" + SiteDeployments.PORT, "/sw/", "200");
    blocked(inA, ip(siteA) + ":" + SiteDeployments.PORT);
    System.out.printf(
        "NetworkIsolationIT: whole test %d ms%n", Duration.between(t0, Instant.now()).toMillis());
  }

  // ---- the probes ----------------------------------------------------------------------------

  /** A probe pod in {@code namespace}, running as Pod Security "restricted" requires. */
  static Pod probe(String namespace) {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("netprobe")
            .withNamespace(namespace)
            .addToLabels("app", "netprobe")
            .endMetadata()
            .withNewSpec()
            .withAutomountServiceAccountToken(false)
            .withNewSecurityContext()
            .withRunAsNonRoot(true)
            .withRunAsUser(65535L)
            .withNewSeccompProfile()
            .withType("RuntimeDefault")
            .endSeccompProfile()
            .endSecurityContext()
            .addNewContainer()
            .withName("netprobe")
            .withImage(PROBE_IMAGE)
            .withImagePullPolicy("Never")
            .addNewPort()
            .withContainerPort(8080)
            .endPort()
            .withNewSecurityContext()
            .withAllowPrivilegeEscalation(false)
            .withReadOnlyRootFilesystem(true)
            .withNewCapabilities()
            .withDrop("ALL")
            .endCapabilities()
            .endSecurityContext()
            .endContainer()
            .endSpec()
            .build();
    k.pods().inNamespace(namespace).resource(pod).create();
    return k.pods()
        .inNamespace(namespace)
        .withName("netprobe")
        .waitUntilCondition(NetworkIsolationIT::ready, WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  /** What {@code from} got when it connected to {@code to} and asked for {@code path}. */
  static String connect(Pod from, String to, String path) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(
                      URI.create(
                          "http://"
                              + ip(from)
                              + ":8080/connect?to="
                              + URLEncoder.encode(to, StandardCharsets.UTF_8)
                              + "&path="
                              + URLEncoder.encode(path, StandardCharsets.UTF_8)))
                  .timeout(Duration.ofSeconds(6))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body()
          .strip();
    } catch (IOException e) {
      return "probe unreachable: " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * {@code from} opens a connection to {@code to} and gets an HTTP status starting {@code status}.
   */
  static void reaches(Pod from, String to, String path, String status) throws Exception {
    String what = from.getMetadata().getNamespace() + " -> " + to + path;
    String got = await(from, to, path, "reached HTTP/1\\.[01] " + status + ".*", what);
    System.out.printf("NetworkIsolationIT: %s: %s%n", what, got);
  }

  /**
   * The enforcer writes a new pod's rules within a sync of its start: once refused, the connection
   * stays refused on every later try.
   */
  static void blocked(Pod from, String to) throws Exception {
    String what = from.getMetadata().getNamespace() + " -> " + to;
    String got = await(from, to, "/", "blocked .*", what);
    for (int i = 0; i < 3; i++) {
      assertThat(connect(from, to, "/")).as(what + ", try " + i).startsWith("blocked ");
    }
    System.out.printf("NetworkIsolationIT: %s: %s%n", what, got);
  }

  static String await(Pod from, String to, String path, String expected, String what)
      throws InterruptedException {
    Instant end = Instant.now().plus(WAIT);
    String got = connect(from, to, path);
    while (!got.matches(expected)) {
      if (Instant.now().isAfter(end)) {
        throw new AssertionError(
            what + ": expected " + expected + " within " + WAIT + ", got " + got);
      }
      Thread.sleep(500);
      got = connect(from, to, path);
    }
    return got;
  }

  // ---- sites and helpers ---------------------------------------------------------------------

  static void deploy(TenantSite s, JsonObject example) {
    var r =
        s.webmaster()
            .post(
                s.path("/deployments"),
                new JsonObject().put("templateId", "minimal-landing").put("parameters", example));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
  }

  static Pod readySitePod(TenantSite s) throws Exception {
    Pod[] found = new Pod[1];
    Eventually.holds(
        "a Ready pod of " + s.namespace(),
        () -> {
          found[0] =
              k
                  .pods()
                  .inNamespace(s.namespace())
                  .withLabel("wingu.io/site", s.siteName())
                  .list()
                  .getItems()
                  .stream()
                  .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                  .filter(NetworkIsolationIT::ready)
                  .findFirst()
                  .orElse(null);
          return found[0] != null;
        },
        WAIT);
    return found[0];
  }

  static boolean ready(Pod p) {
    return p != null
        && p.getStatus() != null
        && p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  static String ip(Pod p) {
    return p.getStatus().getPodIP();
  }

  /** An HTTP server on the node's bridge address answering 200 {@code body} to everything. */
  static HttpServer server(int port, String body) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress(LocalCluster.NODE_IP, port), 16);
    s.createContext(
        "/",
        x -> {
          byte[] b = body.getBytes(StandardCharsets.UTF_8);
          x.sendResponseHeaders(200, b.length);
          x.getResponseBody().write(b);
          x.close();
        });
    s.start();
    return s;
  }

  /** Builds src/test/go/netprobe into a static binary (Go is what scripts/*-binaries.sh need). */
  static Path netprobe() throws IOException, InterruptedException {
    Path out = Path.of("target/netprobe/netprobe").toAbsolutePath();
    Files.createDirectories(out.getParent());
    ProcessBuilder pb =
        new ProcessBuilder(
                "go", "build", "-trimpath", "-ldflags", "-s -w", "-o", out.toString(), ".")
            .directory(Path.of("src/test/go/netprobe").toFile())
            .redirectErrorStream(true);
    pb.environment().put("CGO_ENABLED", "0");
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("go build of netprobe: " + output).isZero();
    return out;
  }
}
