package io.wingu.controlplane.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.provisioning.SiteDeployments;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.Eventually;
import io.wingu.controlplane.testing.RealNode;
import io.wingu.controlplane.testing.TempDirs;
import io.wingu.controlplane.testing.TenantSite;
import io.wingu.controlplane.wiring.ControlPlane;
import io.wingu.dev.LocalCluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The real agent process on the real node of LocalCluster (cgroup v1 here, cgroupfs driver)
 * measures a real site pod under load, names it through the API server with a ServiceAccount token
 * as it would in its DaemonSet, and its figures agree within 10 % with the kubelet's own {@code
 * /stats/summary} for the same pod over the same minute; the control plane files the usage under
 * the site's institution.
 */
@ResourceLock(RealNode.CLUSTER)
class AgentOnRealNodeIT {

  static final Duration POD_WAIT = Duration.ofSeconds(120);

  /** The agent's collection interval: several samples fall inside the compared minute. */
  static final int INTERVAL_SECONDS = 5;

  static final Duration WINDOW = Duration.ofSeconds(60);
  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  static RealNode node;
  static Path agentLog;
  static KubernetesClient k;
  static ControlPlane plane;
  static Map<String, String> env;
  static ApiClient operator;

  @BeforeAll
  static void start() throws Exception {
    node = RealNode.start("agentnode", Map.of("WINGU_ROLLUP_SECONDS", "2"));
    k = node.client();
    plane = node.plane();
    env = node.env();
    operator = node.operator();
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void theAgentsFiguresForARealPodAgreeWithTheKubelets() throws Exception {
    TenantSite s = TenantSite.create(operator, "portal");
    JsonObject example = node.templateExample("minimal-landing");
    var deployed =
        s.webmaster()
            .post(
                s.path("/deployments"),
                new JsonObject().put("templateId", "minimal-landing").put("parameters", example));
    assertThat(deployed.status()).as(deployed.body()).isEqualTo(201);
    Pod pod = awaitServing(s);
    String uid = pod.getMetadata().getUid();
    String podName = pod.getMetadata().getName();

    Process agent = startAgent();
    AtomicBoolean loading = new AtomicBoolean(true);
    AtomicLong requests = new AtomicLong();
    Thread load = load(pod, loading, requests);
    try {
      // the agent's first report has a full interval behind it; give the load a moment to settle
      // too
      Eventually.holds(
          "the agent reports the site pod",
          () -> !samples(uid, Instant.EPOCH).isEmpty(),
          Duration.ofSeconds(60));
      Thread.sleep(INTERVAL_SECONDS * 1000L);
      // a kubelet reading carries cadvisor's time, up to 15 s before it is read: the window starts
      // at a reading after the agent's first sample, so the agent's samples cover all of it
      Instant agentFirst = samples(uid, Instant.EPOCH).get(0).at();

      // the kubelet's figures over a minute: cadvisor refreshes them every 10 to 15 s, so poll
      // often and keep each distinct reading until they span the minute
      List<KubeletReading> kubelet = new ArrayList<>();
      Instant giveUp = Instant.now().plus(WINDOW.multipliedBy(2));
      while (Instant.now().isBefore(giveUp)
          && (kubelet.size() < 2
              || Duration.between(kubelet.get(0).at(), kubelet.get(kubelet.size() - 1).at())
                      .compareTo(WINDOW)
                  < 0)) {
        KubeletReading r = kubeletReading(s.namespace(), podName);
        if (r != null
            && r.at().isAfter(agentFirst)
            && (kubelet.isEmpty() || r.at().isAfter(kubelet.get(kubelet.size() - 1).at()))) {
          kubelet.add(r);
        }
        Thread.sleep(1000);
      }
      KubeletReading first = kubelet.get(0);
      KubeletReading last = kubelet.get(kubelet.size() - 1);
      assertThat(Duration.between(first.at(), last.at()))
          .as("the kubelet's readings span the minute")
          .isGreaterThanOrEqualTo(WINDOW);
      // the agent's samples that cover the rest of the window, while the load still runs
      Eventually.holds(
          "the agent's sample after the window's end",
          () -> samples(uid, Instant.EPOCH).stream().anyMatch(a -> !a.at().isBefore(last.at())),
          Duration.ofSeconds(30));
      loading.set(false);
      load.join(10_000);

      // CPU: cumulative counters over the window, never an instantaneous rate
      double kubeletMillis =
          (last.cpuNanos() - first.cpuNanos())
              / 1e6
              / (Duration.between(first.at(), last.at()).toNanos() / 1e9);
      // each agent sample is the average rate since the one before: weight it by the part of its
      // interval that lies inside the kubelet's window (a report delayed on a busy machine makes
      // one longer interval, which still counts for the part inside)
      List<AgentSample> all = samples(uid, Instant.EPOCH);
      double cpuMillisSeconds = 0;
      double seconds = 0;
      List<AgentSample> inWindow = new ArrayList<>();
      for (int i = 1; i < all.size(); i++) {
        AgentSample before = all.get(i - 1);
        AgentSample a = all.get(i);
        Instant from = before.at().isBefore(first.at()) ? first.at() : before.at();
        Instant to = a.at().isAfter(last.at()) ? last.at() : a.at();
        if (to.isAfter(from)) {
          double dt = Duration.between(from, to).toNanos() / 1e9;
          cpuMillisSeconds += a.cpuMillis() * dt;
          seconds += dt;
        }
        if (!a.at().isBefore(first.at()) && !a.at().isAfter(last.at())) {
          inWindow.add(a);
        }
      }
      assertThat(seconds)
          .as("agent samples covering the kubelet's window")
          .isGreaterThanOrEqualTo(WINDOW.toSeconds() - INTERVAL_SECONDS);
      double agentMillis = cpuMillisSeconds / seconds;

      // memory: the working set, averaged over each side's readings in the window
      double kubeletMemory =
          kubelet.stream().mapToLong(KubeletReading::workingSetBytes).average().orElseThrow();
      double agentMemory =
          inWindow.stream().mapToLong(AgentSample::memoryBytes).average().orElseThrow();

      System.out.printf(
          "AgentOnRealNodeIT: %d requests; CPU agent %.1f m vs kubelet %.1f m (%+.2f %%) over %.0f s / %.0f s;"
              + " memory agent %.0f B vs kubelet %.0f B (%+.2f %%), %d agent samples, %d kubelet readings%n",
          requests.get(),
          agentMillis,
          kubeletMillis,
          100 * (agentMillis - kubeletMillis) / kubeletMillis,
          seconds,
          Duration.between(first.at(), last.at()).toMillis() / 1e3,
          agentMemory,
          kubeletMemory,
          100 * (agentMemory - kubeletMemory) / kubeletMemory,
          inWindow.size(),
          kubelet.size());
      assertThat(kubeletMillis).as("the load made the pod busy").isGreaterThan(20);
      assertThat(agentMillis)
          .as("agent CPU (millicores) vs kubelet")
          .isCloseTo(kubeletMillis, within(kubeletMillis * 0.10));
      assertThat(agentMemory)
          .as("agent working set vs kubelet")
          .isCloseTo(kubeletMemory, within(kubeletMemory * 0.10));
      assertThat(all)
          .as("every sample names the site's pod in its institution's namespace, on this node")
          .allSatisfy(
              a -> {
                assertThat(a.namespace()).isEqualTo(s.namespace());
                assertThat(a.podName()).isEqualTo(podName);
                assertThat(a.nodeName()).isEqualTo(LocalCluster.NODE_NAME);
              });
    } finally {
      loading.set(false);
      agent.destroy();
      agent.waitFor();
    }
    assertThat(Files.readAllLines(agentLog))
        .as("the agent's log: every collection succeeded on the real node")
        .noneMatch(l -> l.contains("failed") || l.contains(" ERROR "))
        .anyMatch(l -> l.contains("reporting node"));

    // the control plane files it under the site's institution (rolled up every 2 s here)
    String institution = s.institution().getString("id");
    Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
    JsonObject[] usage = new JsonObject[1];
    Eventually.holds(
        "the institution's usage shows the pod",
        () -> {
          usage[0] =
              s.admin()
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
        Duration.ofSeconds(30));
    assertThat(usage[0].getString("namespace")).isEqualTo(s.namespace());
    // beside what the agent measured, what the pod reserves of the quota, as the cluster's quota
    // controller counts it
    JsonObject reserved = usage[0].getJsonObject("reserved");
    assertThat(reserved).as("the quota's counted use: %s", usage[0]).isNotNull();
    assertThat(reserved.getLong("pods")).isEqualTo(1);
    assertThat(reserved.getLong("cpuMillis"))
        .isPositive()
        .isLessThanOrEqualTo(usage[0].getJsonObject("quota").getLong("cpuMillis"));
    assertThat(reserved.getLong("memoryBytes")).isPositive();
    assertThat(
            operator.get("/api/v1/usage/nodes").json().getJsonArray("items").stream()
                .map(JsonObject.class::cast)
                .filter(n -> n.getString("nodeName").equals(LocalCluster.NODE_NAME)))
        .as("the node's own figures")
        .singleElement()
        .satisfies(n -> assertThat(n.getLong("memoryUsedBytes")).isPositive());
  }

  /** The site's one Ready pod once it answers its home page. */
  Pod awaitServing(TenantSite s) throws Exception {
    Instant end = Instant.now().plus(POD_WAIT);
    String last = "nothing yet";
    while (Instant.now().isBefore(end)) {
      List<Pod> ready =
          k
              .pods()
              .inNamespace(s.namespace())
              .withLabel("wingu.io/site", s.siteName())
              .list()
              .getItems()
              .stream()
              .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
              .filter(AgentOnRealNodeIT::ready)
              .toList();
      if (ready.size() == 1) {
        try {
          if (get(ready.get(0)).statusCode() == 200) {
            return ready.get(0);
          }
        } catch (IOException e) {
          last = e.toString();
        }
      } else {
        last = ready.size() + " ready pods";
      }
      Thread.sleep(250);
    }
    throw new AssertionError("the site did not serve within " + POD_WAIT + ": " + last);
  }

  static boolean ready(Pod p) {
    return p.getStatus() != null
        && p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  static HttpResponse<String> get(Pod pod) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(
                URI.create(
                    "http://" + pod.getStatus().getPodIP() + ":" + SiteDeployments.PORT + "/sw/"))
            .timeout(Duration.ofSeconds(3))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * One visitor after another with a millisecond between them, so the pod's CPU rate is about the
   * same over any part of the minute; bounded: stops when told, after four minutes at the latest.
   */
  static Thread load(Pod pod, AtomicBoolean running, AtomicLong requests) {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(4));
    Thread t =
        new Thread(
            () -> {
              while (running.get() && Instant.now().isBefore(deadline)) {
                try {
                  get(pod);
                  requests.incrementAndGet();
                  Thread.sleep(1);
                } catch (IOException e) {
                  // a refused connection under load is still load; the figures are compared, not
                  // the answers
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "site-load");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /**
   * The packaged agent, as its DaemonSet runs it: node name, the control plane's URL and an agent
   * token minted for the node, and a ServiceAccount token (list pods only) with the cluster's CA to
   * name the node's pods through the API server.
   */
  Process startAgent() throws IOException {
    Path launcher = Path.of("..", "agent", "bin", "wingu-agent").toAbsolutePath().normalize();
    Path jar = Path.of("..", "agent", "target", "wingu-agent.jar").toAbsolutePath().normalize();
    assertThat(jar).as("the agent module builds before the control plane").exists();
    String token =
        operator
            .post("/api/v1/agent/tokens", new JsonObject().put("nodeName", LocalCluster.NODE_NAME))
            .json()
            .getString("accessToken");

    Path dir = TempDirs.create("agent-real-node");
    Path kubeToken = dir.resolve("kube-token");
    Files.writeString(kubeToken, podListerToken());
    String ca = k.getConfiguration().getCaCertFile();
    assertThat(ca).as("the cluster's CA file").isNotBlank();
    ProcessBuilder pb =
        new ProcessBuilder(launcher.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("agent.log").toFile());
    agentLog = dir.resolve("agent.log");
    pb.environment()
        .putAll(
            Map.of(
                "WINGU_AGENT_JAR", jar.toString(),
                "WINGU_AGENT_URL", plane.url().toString(),
                "WINGU_AGENT_TOKEN", token,
                "WINGU_AGENT_NODE_NAME", LocalCluster.NODE_NAME,
                "WINGU_AGENT_INTERVAL", String.valueOf(INTERVAL_SECONDS),
                "WINGU_AGENT_BUFFER_DIR", Files.createDirectories(dir.resolve("buffer")).toString(),
                "WINGU_AGENT_KUBE_API", k.getMasterUrl().toString(),
                "WINGU_AGENT_KUBE_TOKEN_FILE", kubeToken.toString(),
                "WINGU_AGENT_KUBE_CA_FILE", ca,
                "JAVA_HOME", System.getProperty("java.home")));
    return pb.start();
  }

  /**
   * A token of a ServiceAccount that may list pods and nothing else, as the chart gives the agent.
   */
  static String podListerToken() {
    String ns = "wingu-agent-it";
    k.namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .serverSideApply();
    k.serviceAccounts()
        .inNamespace(ns)
        .resource(
            new ServiceAccountBuilder().withNewMetadata().withName("agent").endMetadata().build())
        .serverSideApply();
    k.rbac()
        .clusterRoles()
        .resource(
            new ClusterRoleBuilder()
                .withNewMetadata()
                .withName("wingu-agent-it")
                .endMetadata()
                .addNewRule()
                .withApiGroups("")
                .withResources("pods")
                .withVerbs("list")
                .endRule()
                .build())
        .serverSideApply();
    k.rbac()
        .clusterRoleBindings()
        .resource(
            new ClusterRoleBindingBuilder()
                .withNewMetadata()
                .withName("wingu-agent-it")
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "wingu-agent-it")
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName("agent")
                .withNamespace(ns)
                .endSubject()
                .build())
        .serverSideApply();
    return k.serviceAccounts()
        .inNamespace(ns)
        .withName("agent")
        .tokenRequest(
            new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
        .getStatus()
        .getToken();
  }

  record KubeletReading(Instant at, long cpuNanos, long workingSetBytes) {}

  /**
   * The pod's entry of the kubelet's summary, through the API server's node proxy; null while
   * absent.
   */
  static KubeletReading kubeletReading(String namespace, String name) {
    JsonObject summary =
        new JsonObject(k.raw("/api/v1/nodes/" + LocalCluster.NODE_NAME + "/proxy/stats/summary"));
    for (Object o : summary.getJsonArray("pods", new JsonArray())) {
      JsonObject p = (JsonObject) o;
      JsonObject ref = p.getJsonObject("podRef");
      if (ref.getString("namespace").equals(namespace) && ref.getString("name").equals(name)) {
        JsonObject cpu = p.getJsonObject("cpu");
        JsonObject memory = p.getJsonObject("memory");
        if (cpu == null || memory == null || cpu.getLong("usageCoreNanoSeconds") == null) {
          return null;
        }
        return new KubeletReading(
            Instant.parse(cpu.getString("time")),
            cpu.getLong("usageCoreNanoSeconds"),
            memory.getLong("workingSetBytes"));
      }
    }
    return null;
  }

  record AgentSample(
      Instant at,
      String nodeName,
      String namespace,
      String podName,
      long cpuMillis,
      long memoryBytes) {}

  /** The pod's samples the control plane kept, oldest first. */
  static List<AgentSample> samples(String uid, Instant from) throws Exception {
    try (var c =
            DriverManager.getConnection(
                env.get("WINGU_DB_URL"),
                env.get("WINGU_DB_MIGRATION_USER"),
                env.get("WINGU_DB_MIGRATION_PASSWORD"));
        var st =
            c.prepareStatement(
                "SELECT collected_at, node_name, namespace, pod_name, cpu_millis, memory_bytes FROM usage_sample"
                    + " WHERE pod_uid = ? AND collected_at >= ? ORDER BY collected_at")) {
      st.setString(1, uid);
      st.setTimestamp(2, Timestamp.from(from));
      List<AgentSample> out = new ArrayList<>();
      try (var rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(
              new AgentSample(
                  rs.getTimestamp(1).toInstant(),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getLong(5),
                  rs.getLong(6)));
        }
      }
      return out;
    }
  }
}
