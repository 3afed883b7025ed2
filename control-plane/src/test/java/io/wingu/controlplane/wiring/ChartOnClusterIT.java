package io.wingu.controlplane.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.provisioning.BundleFetch;
import io.wingu.controlplane.provisioning.Provisioner;
import io.wingu.controlplane.provisioning.SiteDeployments;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.Eventually;
import io.wingu.controlplane.testing.FreePort;
import io.wingu.controlplane.testing.RealNode;
import io.wingu.controlplane.testing.SharedRealNode;
import io.wingu.controlplane.testing.TempDirs;
import io.wingu.controlplane.testing.TenantSite;
import io.wingu.dev.HostState;
import io.wingu.dev.LocalCluster;
import io.wingu.dev.LocalPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Wingu installed by its own chart (helm/wingu, through helm-java's bundled Helm) on the real
 * one-node cluster (LocalCluster: kube-proxy for the chart's ClusterIP Service, CoreDNS for its
 * in-cluster names), with the images this build made (-Pimages) and a real PostgreSQL on the node's
 * address. The chart of the commit before this test existed is installed first, a site is served,
 * and `helm upgrade` to the current chart keeps it served throughout; then the current installation
 * is checked: two replicas behind their probes, one Lease holder, the agent's DaemonSet pod
 * reporting the node's pods, the operator's and webmaster's journeys and the README's curl
 * walkthrough through the Service, and a leader killed while provisioning goes on. The steps share
 * one installation, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ResourceLock(RealNode.CLUSTER)
class ChartOnClusterIT {

  /** The chart as it was before it first met a kubelet (the merge this test was written on). */
  static final String PREVIOUS_CHART_COMMIT = "576d193";

  static final String NAMESPACE = "wingu-system";
  static final String RELEASE = "wingu";
  static final String OPERATOR_PASSWORD = "chart-operator-password";
  static final Duration WAIT = Duration.ofSeconds(180);
  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  static HostState hostBefore;
  static LocalCluster cluster;
  static KubernetesClient k;
  static LocalPostgres pg;
  static Path work;
  static Path checkpoints;
  static Path values;
  static Path currentChart;
  static URI url;
  static ApiClient operator;
  static TenantSite firstSite;
  static final Instant started = Instant.now();

  @BeforeAll
  static void start() throws Exception {
    Path siteImage = RealNode.image("wingu.image.site-web");
    Path controlPlaneImage = RealNode.image("wingu.image.control-plane");
    Path agentImage = RealNode.image("wingu.image.agent");
    currentChart = Path.of(System.getProperty("wingu.chart"));
    SharedRealNode.release(); // the machine's one cluster is this test's
    hostBefore = LocalCluster.idleHostState();
    work = TempDirs.create("wingu-chart-it");
    cluster = LocalCluster.start();
    k = cluster.client();
    // the names the chart's defaults give (repository:appVersion), as the kubelet looks them up
    cluster.importImage(siteImage, SiteDeployments.DEFAULT_IMAGE);
    cluster.importImage(controlPlaneImage, BundleFetch.DEFAULT_IMAGE);
    cluster.importImage(agentImage, "wingu-agent:0.1.0");

    // Wingu's database and the tenants' server: one PostgreSQL on the node's address
    int port = FreePort.find();
    pg = LocalPostgres.start(work.resolve("pg"), port, "chart-superuser-password");
    Path data = work.resolve("pg");
    Files.writeString(
        data.resolve("postgresql.conf"),
        "listen_addresses = '127.0.0.1," + LocalCluster.NODE_IP + "'\n",
        StandardOpenOption.APPEND);
    Files.writeString(
        data.resolve("pg_hba.conf"),
        "host all all " + LocalCluster.POD_SUBNET + " scram-sha-256\n",
        StandardOpenOption.APPEND);
    pg.stop();
    pg.start();
    pg.ensureRole("wingu", "chart-db-password");
    pg.ensureDatabase("wingu", "wingu");

    // the release namespace as README "Install on a cluster" prepares it
    k.namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(NAMESPACE)
                .addToLabels("pod-security.kubernetes.io/enforce", "restricted")
                .endMetadata()
                .build())
        .create();
    // the audit checkpoints' claim binds to a static hostPath volume (the node has no provisioner)
    checkpoints = Files.createDirectories(work.resolve("audit-checkpoints"));
    java.nio.file.attribute.UserPrincipalLookupService users =
        checkpoints.getFileSystem().getUserPrincipalLookupService();
    Files.setPosixFilePermissions(
        checkpoints, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwx---"));
    Files.getFileAttributeView(checkpoints, java.nio.file.attribute.PosixFileAttributeView.class)
        .setGroup(users.lookupPrincipalByGroupName("65532"));
    k.persistentVolumes()
        .resource(
            new PersistentVolumeBuilder()
                .withNewMetadata()
                .withName("wingu-audit-checkpoints")
                .endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteMany")
                .withCapacity(Map.of("storage", new Quantity("1Gi")))
                .withStorageClassName("")
                .withNewHostPath()
                .withPath(checkpoints.toString())
                .withType("Directory")
                .endHostPath()
                .endSpec()
                .build())
        .create();
    values = writeValues(port, URI.create(k.getConfiguration().getMasterUrl()).getPort());
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (cluster != null) {
        cluster.close();
      }
    } finally {
      if (pg != null) {
        pg.close();
      }
      if (work != null) {
        // PostgreSQL's data, the keys, and the audit checkpoints' hostPath volume
        TempDirs.delete(work);
      }
    }
    if (hostBefore != null) {
      // under the machine's cluster lock: another engineer's cluster may start the moment ours
      // stops
      assertThat(LocalCluster.idleHostState().differencesFrom(hostBefore))
          .as("the machine after the cluster (kube-proxy's rules, CoreDNS, the bridge) is gone")
          .isEmpty();
    }
    System.out.printf(
        "ChartOnClusterIT: %d s in all%n", Duration.between(started, Instant.now()).toSeconds());
  }

  @Test
  @Order(1)
  void thePreviousChartInstallsAndServesASite() throws Exception {
    Path previous = previousChart();
    Instant t0 = Instant.now();
    new Helm(previous)
        .install()
        .withName(RELEASE)
        .withNamespace(NAMESPACE)
        .withKubeConfig(cluster.adminKubeconfig())
        .withValuesFile(values)
        .call();
    awaitRollout();
    System.out.printf(
        "ChartOnClusterIT: previous chart installed and both replicas Ready in %d ms%n",
        Duration.between(t0, Instant.now()).toMillis());
    url = URI.create("http://" + serviceIp() + ":8080");
    operator = ApiClient.signIn(url, "operator", OPERATOR_PASSWORD);
    firstSite = TenantSite.create(operator, "portal");
    deploy(firstSite, "Toleo la kwanza kabla ya kusasisha");
    awaitServing(firstSite, "Toleo la kwanza kabla ya kusasisha");
  }

  @Test
  @Order(2)
  void helmUpgradeToTheCurrentChartKeepsEverySiteServed() throws Exception {
    AtomicBoolean probing = new AtomicBoolean(true);
    AtomicInteger answered = new AtomicInteger();
    List<String> failures = new CopyOnWriteArrayList<>();
    Thread probe =
        Thread.ofVirtual()
            .start(
                () -> {
                  while (probing.get()) {
                    try {
                      HttpResponse<String> r = get(sitePodIp(firstSite), "/sw/");
                      if (r.statusCode() == 200 && r.body().contains("kabla ya kusasisha")) {
                        answered.incrementAndGet();
                      } else {
                        failures.add(Instant.now() + " " + r.statusCode());
                      }
                      Thread.sleep(100);
                    } catch (Exception e) {
                      failures.add(Instant.now() + " " + e);
                    }
                  }
                });
    Instant t0 = Instant.now();
    try {
      new Helm(currentChart)
          .upgrade()
          .withName(RELEASE)
          .withNamespace(NAMESPACE)
          .withKubeConfig(cluster.adminKubeconfig())
          .withValuesFile(values)
          .call();
      awaitRollout();
      // the new replicas reconcile every tenant once they lead: give them a resync's worth
      Eventually.holds(
          "a replica of the new chart holds the Lease", ChartOnClusterIT::leaderIsCurrent, WAIT);
      Thread.sleep(5000);
    } finally {
      probing.set(false);
      probe.join();
    }
    System.out.printf(
        "ChartOnClusterIT: helm upgrade rolled in %d ms; the site answered %d probes, failed %d%n",
        Duration.between(t0, Instant.now()).toMillis(), answered.get(), failures.size());
    assertThat(failures).as("the site's page during the upgrade").isEmpty();
    assertThat(answered.get()).isPositive();
    assertThat(k.apps().deployments().inNamespace(NAMESPACE).withName(RELEASE).get())
        .satisfies(
            d ->
                assertThat(d.getMetadata().getLabels())
                    .containsEntry("helm.sh/chart", "wingu-" + chartVersion(currentChart)));
  }

  @Test
  @Order(3)
  void twoReplicasBehindTheirProbesAndOneLeader() throws Exception {
    List<Pod> pods = controlPlanePods();
    assertThat(pods).hasSize(2).allSatisfy(p -> assertThat(ready(p)).isTrue());
    for (Pod p : pods) {
      var c = p.getSpec().getContainers().get(0);
      assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
      assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
      assertThat(p.getSpec().getNodeName()).isEqualTo(LocalCluster.NODE_NAME);
    }
    // Ready is the kubelet's readiness probe answered; liveness probes every 10 s: none failed
    Thread.sleep(12_000);
    for (Pod p : controlPlanePods()) {
      assertThat(p.getStatus().getContainerStatuses().get(0).getRestartCount())
          .as("restarts of %s", p.getMetadata().getName())
          .isZero();
    }
    Lease lease = lease();
    assertThat(pods.stream().map(p -> p.getMetadata().getName()))
        .as("the Lease's holder %s", lease.getSpec().getHolderIdentity())
        .anyMatch(name -> lease.getSpec().getHolderIdentity().startsWith(name));
  }

  @Test
  @Order(4)
  void theAgentReportsTheNodesRealPods() throws Exception {
    List<Pod> agents =
        k.pods()
            .inNamespace("wingu-agent")
            .withLabel("app.kubernetes.io/component", "agent")
            .list()
            .getItems();
    assertThat(agents).singleElement().satisfies(p -> assertThat(ready(p) || running(p)).isTrue());
    assertThat(agents.get(0).getSpec().getNodeName()).isEqualTo(LocalCluster.NODE_NAME);
    String institution = firstSite.institution().getString("id");
    Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
    JsonObject[] usage = new JsonObject[1];
    Eventually.holds(
        "the institution's usage shows its site pod, measured by the agent",
        () -> {
          usage[0] =
              operator
                  .get(
                      "/api/v1/usage/institutions/"
                          + institution
                          + "?step=hour&from="
                          + hour.minus(1, ChronoUnit.HOURS)
                          + "&to="
                          + hour.plus(1, ChronoUnit.HOURS))
                  .json();
          return usage[0].getJsonArray("series").stream()
              .map(JsonObject.class::cast)
              .anyMatch(p -> p.getLong("cpuMillis") > 0 && p.getLong("memoryBytes") > 0);
        },
        WAIT);
    assertThat(
            operator.get("/api/v1/usage/nodes").json().getJsonArray("items").stream()
                .map(JsonObject.class::cast)
                .filter(n -> n.getString("nodeName").equals(LocalCluster.NODE_NAME)))
        .as("the node's own figures")
        .singleElement()
        .satisfies(n -> assertThat(n.getLong("memoryUsedBytes")).isPositive());
  }

  @Test
  @Order(5)
  void theWebmastersJourneyThroughTheService() throws Exception {
    TenantSite s = TenantSite.create(operator, "huduma");
    String first = deploy(s, "Toleo la kwanza la huduma");
    awaitServing(s, "Toleo la kwanza la huduma");
    deploy(s, "Toleo la pili la huduma");
    awaitServing(s, "Toleo la pili la huduma");
    var preview = s.webmaster().get(s.path("/preview?revision=1"));
    assertThat(preview.status()).as(preview.body()).isEqualTo(200);
    assertThat(preview.body()).contains("Toleo la kwanza la huduma");
    assertThat(
            s.webmaster().post(s.path("/rollback"), new JsonObject().put("revision", 1)).status())
        .isEqualTo(200);
    awaitServing(s, "Toleo la kwanza la huduma");
    assertThat(first).isNotBlank();
  }

  @Test
  @Order(6)
  void theReadmesCurlWalkthrough() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    int section = readme.indexOf("## Walkthrough with curl");
    int open = readme.indexOf("```sh\n", section) + "```sh\n".length();
    String script =
        readme
            .substring(open, readme.indexOf("```", open))
            .replace("source .wingu/dev/dev.env\n", "");
    Path file = work.resolve("walkthrough.sh");
    Files.writeString(file, "set -eu\n" + script);
    ProcessBuilder pb = new ProcessBuilder("bash", file.toString()).redirectErrorStream(true);
    pb.environment()
        .putAll(
            Map.of(
                "WINGU_URL",
                url.toString(),
                "WINGU_USERNAME",
                "operator",
                "WINGU_PASSWORD",
                OPERATOR_PASSWORD));
    Process p = pb.start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    assertThat(out).contains("\"valid\":true").contains("\"siteId\"");
  }

  @Test
  @Order(7)
  void killingTheLeaderHandsTheLeaseOverAndProvisioningGoesOn() throws Exception {
    String holder = lease().getSpec().getHolderIdentity();
    Pod leader =
        controlPlanePods().stream()
            .filter(p -> holder.startsWith(p.getMetadata().getName()))
            .findFirst()
            .orElseThrow();
    Instant killed = Instant.now();
    k.pods()
        .inNamespace(NAMESPACE)
        .withName(leader.getMetadata().getName())
        .withGracePeriod(0)
        .delete();
    Eventually.holds(
        "another replica holds the Lease",
        () -> {
          String now = lease().getSpec().getHolderIdentity();
          return now != null
              && !now.startsWith(leader.getMetadata().getName())
              && controlPlanePods().stream()
                  .anyMatch(p -> now.startsWith(p.getMetadata().getName()));
        },
        WAIT);
    System.out.printf(
        "ChartOnClusterIT: Lease taken over %d ms after the leader pod was killed%n",
        Duration.between(killed, Instant.now()).toMillis());
    TenantSite s = TenantSite.create(operator, "baadaye");
    deploy(s, "Tovuti iliyoidhinishwa baada ya kiongozi kufa");
    awaitServing(s, "baada ya kiongozi kufa");
  }

  // ---- the installation -----------------------------------------------------------------------

  static Path writeValues(int pgPort, int apiPort) throws Exception {
    Path jwtPrivate = work.resolve("jwt-private.pem");
    Path jwtPublic = work.resolve("jwt-public.pem");
    Path auditPrivate = work.resolve("audit-private.pem");
    Path auditPublic = work.resolve("audit-public.pem");
    writeKeyPair(jwtPrivate, jwtPublic);
    writeKeyPair(auditPrivate, auditPublic);
    String db = "jdbc:postgresql://" + LocalCluster.NODE_IP + ":" + pgPort;
    Path file = work.resolve("values.yaml");
    Files.writeString(
        file,
        String.join(
            "\n",
            "image: {pullPolicy: Never}",
            "agent:",
            "  image: {pullPolicy: Never}",
            "  interval: 5",
            "config:",
            "  database: {url: \"" + db + "/wingu\"}",
            "  tenantDatabase:",
            "    url: \"" + db + "/postgres\"",
            "    host: \"" + LocalCluster.NODE_IP + "\"",
            "    port: " + pgPort,
            "    cidr: \"" + LocalCluster.NODE_IP + "/32\"",
            "  provisioning: {resyncSeconds: 30}",
            "  extraEnv:",
            "    - {name: WINGU_ROLLUP_SECONDS, value: \"2\"}",
            "    - {name: WINGU_LOGIN_RATE, value: \"10000\"}",
            // the node's CoreDNS is a process on the node: tenant pods reach it at its address
            // (a value of the current chart; set here so the previous chart's release has it too)
            "    - {name: WINGU_CLUSTER_DNS_CIDR, value: \"" + LocalCluster.NODE_IP + "/32\"}",
            // the one-node cluster runs no Gateway API implementation (nor its CRDs); an env
            // entry, not config.provisioning.routing, which the previous chart does not know
            "    - {name: WINGU_ROUTING, value: \"ingress\"}",
            // the policies name this cluster's ports: kube-router enforces them, and anything the
            // control plane reaches outside them is refused
            "networkPolicy:",
            "  apiServer:",
            "    to: [{ipBlock: {cidr: \"" + LocalCluster.NODE_IP + "/32\"}}]",
            "    ports: [{port: " + apiPort + ", protocol: TCP}]",
            "  databases:",
            "    to: [{ipBlock: {cidr: \"" + LocalCluster.NODE_IP + "/32\"}}]",
            "    ports: [{port: " + pgPort + ", protocol: TCP}]",
            "  dns:",
            "    to: [{ipBlock: {cidr: \"" + LocalCluster.NODE_IP + "/32\"}}]",
            "    ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]",
            "secret:",
            "  db: {user: wingu, password: chart-db-password}",
            "  tenantDb: {user: postgres, password: chart-superuser-password}",
            "  bootstrapPassword: " + OPERATOR_PASSWORD,
            "  jwt:",
            "    privateKey: |",
            indent(Files.readString(jwtPrivate)),
            "    publicKey: |",
            indent(Files.readString(jwtPublic)),
            "  auditSigning:",
            "    privateKey: |",
            indent(Files.readString(auditPrivate)),
            "    publicKey: |",
            indent(Files.readString(auditPublic)),
            ""));
    return file;
  }

  static String indent(String pem) {
    return pem.strip().lines().map(l -> "      " + l).reduce((a, b) -> a + "\n" + b).orElse("");
  }

  static void writeKeyPair(Path privateFile, Path publicFile) throws Exception {
    KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Files.writeString(privateFile, pem("PRIVATE KEY", kp.getPrivate().getEncoded()));
    Files.writeString(publicFile, pem("PUBLIC KEY", kp.getPublic().getEncoded()));
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
            .encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  /** helm/wingu as of {@link #PREVIOUS_CHART_COMMIT}, from this clone's history. */
  static Path previousChart() throws Exception {
    Path tar = work.resolve("previous-chart.tar");
    Path into = Files.createDirectories(work.resolve("previous"));
    run(
        List.of(
            "git",
            "-C",
            currentChart.getParent().toString(),
            "archive",
            "--format=tar",
            "-o",
            tar.toString(),
            PREVIOUS_CHART_COMMIT,
            "--",
            "wingu"));
    run(List.of("tar", "-xf", tar.toString(), "-C", into.toString()));
    return into.resolve("wingu");
  }

  static void run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
  }

  static String chartVersion(Path chart) throws IOException {
    return Files.readAllLines(chart.resolve("Chart.yaml")).stream()
        .filter(l -> l.startsWith("version:"))
        .findFirst()
        .orElseThrow()
        .substring("version:".length())
        .strip();
  }

  /** Both replicas of the Deployment's newest template Ready, and no pod of an older one left. */
  static void awaitRollout() throws Exception {
    Instant end = Instant.now().plus(WAIT);
    while (Instant.now().isBefore(end)) {
      Deployment d = k.apps().deployments().inNamespace(NAMESPACE).withName(RELEASE).get();
      if (d != null
          && d.getStatus() != null
          && d.getMetadata().getGeneration().equals(d.getStatus().getObservedGeneration())
          && Integer.valueOf(2).equals(d.getStatus().getUpdatedReplicas())
          && Integer.valueOf(2).equals(d.getStatus().getReadyReplicas())
          && Integer.valueOf(2).equals(d.getStatus().getReplicas())
          && controlPlanePods().size() == 2) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError(
        "the control plane did not roll out within " + WAIT + ": " + diagnosis());
  }

  /** What each pod of the release says about itself, for a failed wait. */
  static String diagnosis() {
    StringBuilder sb = new StringBuilder();
    for (String ns : List.of(NAMESPACE, "wingu-agent")) {
      for (Pod p : k.pods().inNamespace(ns).list().getItems()) {
        sb.append("\n--- ").append(ns).append('/').append(p.getMetadata().getName()).append(' ');
        sb.append(p.getStatus().getPhase())
            .append(' ')
            .append(p.getStatus().getContainerStatuses());
        try {
          String log =
              k.pods()
                  .inNamespace(ns)
                  .withName(p.getMetadata().getName())
                  .tailingLines(30)
                  .getLog();
          sb.append('\n').append(log);
        } catch (RuntimeException e) {
          sb.append("\n(no log: ").append(e.getMessage()).append(')');
        }
      }
    }
    k.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
        .filter(e -> !"Normal".equals(e.getType()))
        .forEach(
            e ->
                sb.append("\nevent: ")
                    .append(e.getInvolvedObject().getName())
                    .append(' ')
                    .append(e.getMessage()));
    return sb.toString();
  }

  static List<Pod> controlPlanePods() {
    return k
        .pods()
        .inNamespace(NAMESPACE)
        .withLabel("app.kubernetes.io/component", "control-plane")
        .list()
        .getItems()
        .stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  static String serviceIp() {
    String ip =
        k.services().inNamespace(NAMESPACE).withName(RELEASE).get().getSpec().getClusterIP();
    assertThat(ip).startsWith("10.96.0.");
    return ip;
  }

  static Lease lease() {
    return k.leases().inNamespace(NAMESPACE).withName(Provisioner.LEASE_NAME).get();
  }

  static boolean leaderIsCurrent() {
    Lease l = lease();
    if (l == null || l.getSpec().getHolderIdentity() == null) {
      return false;
    }
    return controlPlanePods().stream()
        .anyMatch(p -> l.getSpec().getHolderIdentity().startsWith(p.getMetadata().getName()));
  }

  // ---- sites ---------------------------------------------------------------------------------

  static String deploy(TenantSite s, String tagline) {
    JsonObject parameters =
        operator.get("/api/v1/templates").array().stream()
            .map(JsonObject.class::cast)
            .filter(t -> t.getString("id").equals("minimal-landing"))
            .findFirst()
            .orElseThrow()
            .getJsonObject("example")
            .copy();
    // the same words in both languages: the pod serves /sw/, the preview renders the default one
    parameters
        .getJsonObject("institution")
        .getJsonObject("tagline")
        .put("sw", tagline)
        .put("en", tagline);
    var r =
        s.webmaster()
            .post(
                s.path("/deployments"),
                new JsonObject()
                    .put("templateId", "minimal-landing")
                    .put("parameters", parameters));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().getString("digest");
  }

  /** The address the site's (headless) Service lists once it serves {@code text}. */
  static void awaitServing(TenantSite s, String text) throws Exception {
    Instant end = Instant.now().plus(WAIT);
    String last = "nothing yet";
    while (Instant.now().isBefore(end)) {
      try {
        HttpResponse<String> r = get(sitePodIp(s), "/sw/");
        if (r.statusCode() == 200 && r.body().contains(text)) {
          return;
        }
        last = r.statusCode() + " " + r.body();
      } catch (IOException | IllegalStateException e) {
        last = e.toString();
      }
      Thread.sleep(500);
    }
    throw new AssertionError(
        "site "
            + s.siteName()
            + " did not serve \""
            + text
            + "\" within "
            + WAIT
            + ": "
            + last
            + "; pods "
            + k.pods().inNamespace(s.namespace()).list().getItems().stream()
                .map(p -> p.getMetadata().getName() + " " + p.getStatus())
                .toList()
            + diagnosis());
  }

  /** The one ready address of the site's Service. */
  static String sitePodIp(TenantSite s) {
    List<String> ready = new ArrayList<>();
    for (var slice :
        k.genericKubernetesResources("discovery.k8s.io/v1", "EndpointSlice")
            .inNamespace(s.namespace())
            .withLabel("kubernetes.io/service-name", s.siteName())
            .list()
            .getItems()) {
      JsonObject json = JsonObject.mapFrom(slice);
      var endpoints = json.getJsonArray("endpoints");
      for (Object e : endpoints == null ? List.of() : endpoints) {
        JsonObject endpoint = (JsonObject) e;
        JsonObject conditions = endpoint.getJsonObject("conditions");
        if (conditions != null && Boolean.TRUE.equals(conditions.getBoolean("ready"))) {
          endpoint.getJsonArray("addresses").forEach(a -> ready.add((String) a));
        }
      }
    }
    if (ready.isEmpty()) {
      throw new IllegalStateException("no ready address for site " + s.siteName());
    }
    return ready.get(0);
  }

  static HttpResponse<String> get(String ip, String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://" + ip + ":" + SiteDeployments.PORT + path))
            .timeout(Duration.ofSeconds(3))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static boolean ready(Pod p) {
    return p.getStatus() != null
        && p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  static boolean running(Pod p) {
    return p.getStatus() != null && "Running".equals(p.getStatus().getPhase());
  }
}
