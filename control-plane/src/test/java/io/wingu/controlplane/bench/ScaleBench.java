package io.wingu.controlplane.bench;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.app.WinguConfig;
import io.wingu.controlplane.provisioning.SiteRoutes;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.FreePort;
import io.wingu.controlplane.testing.GatewayApiCrds;
import io.wingu.controlplane.testing.TempDirs;
import io.wingu.controlplane.wiring.ControlPlane;
import io.wingu.dev.LocalKubernetes;
import io.wingu.dev.LocalPostgres;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scale benchmark (issue 24): a real kube-apiserver and etcd with kube-controller-manager,
 * kube-scheduler and kwok simulating {@code bench.nodes} nodes (kwok's own Stage definitions make
 * the nodes and pods Ready), the control plane on its own PostgreSQL; {@code bench.institutions}
 * institutions made through the API, their requests approved by the operator at a steady rate and
 * revision 1 deployed by the institution's admin at once, each timed from its approval to its
 * site's Available condition. Then the control plane's heap after a full GC, what its informers
 * hold, a full resync with its writes counted by the API server, and agents' usage reports from
 * every simulated node. Run it with bench/scale/run.sh.
 */
public final class ScaleBench {

  static final int NODES = Integer.getInteger("bench.nodes", 1000);
  static final int INSTITUTIONS = Integer.getInteger("bench.institutions", 2000);
  static final int RATE = Integer.getInteger("bench.rate", 3);
  static final int PODS_PER_NODE = Integer.getInteger("bench.podsPerNode", 30);
  static final int REPORT_SECONDS = Integer.getInteger("bench.reportSeconds", 15);
  static final int USAGE_WINDOWS = Integer.getInteger("bench.usageWindows", 2);
  static final int WINDOW_SECONDS = 60;
  static final Duration WAIT = Duration.ofMinutes(Integer.getInteger("bench.waitMinutes", 20));

  /** The kinds the reconciler's informers watch (label app.kubernetes.io/managed-by=wingu). */
  static final List<String> WINGU_RESOURCES =
      List.of(
          "namespaces",
          "resourcequotas",
          "limitranges",
          "networkpolicies",
          "serviceaccounts",
          "services",
          "deployments",
          "configmaps",
          "ingresses",
          "rolebindings",
          "secrets",
          SiteRoutes.KINDS.get(0).plural(),
          SiteRoutes.KINDS.get(1).plural(),
          SiteRoutes.KINDS.get(2).plural());

  private ScaleBench() {}

  /** A request made by an institution's admin, waiting for the operator. */
  record Pending(String code, ApiClient admin, String requestId) {}

  /** One site's way from the approval to Available. */
  record Provisioned(String siteId, Instant approved) {}

  public static void main(String[] args) throws Exception {
    String kwok = System.getProperty("bench.kwok");
    Path stages = Path.of(System.getProperty("bench.kwokStages"));
    String base = System.getProperty("bench.dir", "");
    Path dir =
        base.isBlank()
            ? TempDirs.create("wingu-scale-bench")
            : TempDirs.createIn(Path.of(base), "wingu-scale-bench");
    System.out.printf(
        "scale: %,d simulated nodes (kwok), %,d institutions with one site each, approvals at %d/s;"
            + " %d cores, everything on this machine (files in %s)%n",
        NODES, INSTITUTIONS, RATE, Runtime.getRuntime().availableProcessors(), dir);
    List<Process> spawned = new ArrayList<>();
    try (LocalPostgres pg =
            LocalPostgres.start(dir.resolve("pg"), FreePort.find(), "bench-superuser-password");
        LocalKubernetes kube = LocalKubernetes.start()) {
      Path kubeconfig = kube.writeKubeconfig(dir.resolve("kubeconfig"));
      Path bin = LocalKubernetes.binaryFolder();
      spawned.add(
          spawn(
              dir,
              "kube-controller-manager",
              List.of(
                  bin.resolve("kube-controller-manager").toString(),
                  "--kubeconfig",
                  kubeconfig.toString(),
                  "--leader-elect=false",
                  "--secure-port=0",
                  "--profiling=false",
                  // no service-account signing key in this cluster, and no node IPAM (no real pods)
                  "--controllers=*,-serviceaccount-token,-nodeipam",
                  // kwok's heartbeats of 1,000 nodes lag behind on a loaded 2-core machine; with
                  // the default 50 s grace nodes went NotReady and their pods unready
                  "--node-monitor-grace-period=10m",
                  "--kube-api-qps=200",
                  "--kube-api-burst=400")));
      spawned.add(
          spawn(
              dir,
              "kube-scheduler",
              List.of(
                  bin.resolve("kube-scheduler").toString(),
                  "--kubeconfig",
                  kubeconfig.toString(),
                  "--leader-elect=false",
                  "--secure-port=0",
                  "--profiling=false")));
      spawned.add(
          spawn(
              dir,
              "kwok",
              List.of(
                  kwok,
                  "--kubeconfig",
                  kubeconfig.toString(),
                  "--config",
                  kwokConfig(dir, stages).toString(),
                  "--manage-all-nodes=false",
                  "--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake",
                  "--node-lease-duration-seconds=40",
                  "--cidr=10.0.0.1/16",
                  "--node-ip=10.255.0.1")));
      Config config = Config.fromKubeconfig(kube.kubeconfigYaml());
      config.setMaxConcurrentRequests(64);
      config.setMaxConcurrentRequestsPerHost(64);
      try (KubernetesClient admin = new KubernetesClientBuilder().withConfig(config).build()) {
        makeNodes(admin);
        // sites are routed as the platform's default (WINGU_ROUTING=gateway): the Gateway API
        // release's CRDs and the Certificate stand-in, before the control plane checks its kinds
        GatewayApiCrds.install(admin);
        Map<String, String> env = BenchSetup.environment(pg, kubeconfig, dir);
        env.put("WINGU_RESYNC_SECONDS", "86400"); // the benchmark starts the full resync itself
        env.put("WINGU_LOGIN_RATE", "10000");
        // the operator and the admins sign in while the institutions are prepared (ten minutes at
        // 2,000) and act during provisioning after it: 15-minute tokens would expire in between
        env.put("WINGU_JWT_TTL", "86400");
        env.put("WINGU_DB_POOL_SIZE", "16");
        try (ControlPlane plane = ControlPlane.start(WinguConfig.from(env))) {
          run(plane, admin, pg, dir);
        }
      }
    } finally {
      for (Process p : spawned) {
        p.destroy();
      }
    }
    TempDirs.delete(dir);
    System.exit(0);
  }

  static void run(ControlPlane plane, KubernetesClient admin, LocalPostgres pg, Path dir)
      throws Exception {
    ApiClient operator = ApiClient.signIn(plane.url(), "operator", BenchSetup.OPERATOR_PASSWORD);
    JsonObject example =
        operator.get("/api/v1/templates").array().stream()
            .map(JsonObject.class::cast)
            .filter(t -> t.getString("id").equals("minimal-landing"))
            .findFirst()
            .orElseThrow()
            .getJsonObject("example");
    Instant t0 = Instant.now();
    List<Pending> pending = prepare(operator);
    System.out.printf(
        "prepared %,d institutions with an admin each and a pending request (operator creates the"
            + " institution and its admin; the admin signs in and requests a site on plan small): %.1f s%n",
        pending.size(), secondsSince(t0));

    // ---- provisioning: approvals at a steady rate, revision 1 deployed at once ----------------
    Map<String, String> writesBefore = apiWrites(admin);
    ApiProbe probe = new ApiProbe(operator);
    Thread probing = Thread.ofPlatform().daemon().start(probe);
    CpuUse cpu = CpuUse.now();
    List<Provisioned> provisioned = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger failed = new AtomicInteger();
    Instant start = Instant.now();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      long intervalNanos = 1_000_000_000L / RATE;
      long begin = System.nanoTime();
      for (int i = 0; i < pending.size(); i++) {
        long wait = begin + i * intervalNanos - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        Pending p = pending.get(i);
        pool.submit(
            () -> {
              try {
                approveAndDeploy(operator, example, p, provisioned, failed);
              } catch (RuntimeException e) {
                // a timeout or a refused connection counts as a failure; the first five are printed
                if (failed.incrementAndGet() <= 5) {
                  System.out.println("approval or deployment failed: " + e);
                }
              }
            });
      }
    }
    Instant approvalsDone = Instant.now();
    Map<String, Instant> available = awaitAvailable(pg, provisioned, admin, dir);
    probe.stop.set(true);
    probing.join();
    double provisioningSeconds =
        Duration.between(start, Collections.max(available.values())).toMillis() / 1e3;
    String provisioningCpu = cpuParts(CpuUse.now(), cpu, INSTITUTIONS, "tenant");
    List<Long> toAvailable = new ArrayList<>();
    for (Provisioned p : provisioned) {
      toAvailable.add(
          Math.max(0, Duration.between(p.approved(), available.get(p.siteId())).toMillis()));
    }
    Collections.sort(toAvailable);
    System.out.println();
    System.out.println("figure                                       value");
    System.out.printf(
        "nodes (kwok, Ready) / institutions / sites    %,d / %,d / %,d (failed approvals or deployments: %d)%n",
        readyNodes(admin), INSTITUTIONS, available.size(), failed.get());
    System.out.printf(
        "provisioning throughput                      %.1f tenants/s (approvals at %d/s over %.1f s;"
            + " last Available %.1f s after the first approval)%n",
        INSTITUTIONS / provisioningSeconds,
        RATE,
        Duration.between(start, approvalsDone).toMillis() / 1e3,
        provisioningSeconds);
    System.out.printf(
        "approval to Available                        p50 %,d ms  p99 %,d ms  max %,d ms"
            + " (approval answered → revision 1 deployed → namespace, objects, pod scheduled on a"
            + " simulated node and Ready → Available)%n",
        pct(toAvailable, 0.50), pct(toAvailable, 0.99), toAvailable.get(toAvailable.size() - 1));
    probe.print();
    System.out.println("CPU during provisioning, per tenant:" + provisioningCpu);
    Map<String, String> writesAfterProvisioning = apiWrites(admin);
    System.out.printf(
        "API server writes to Wingu's kinds during provisioning: %,d (%.1f a tenant)%n",
        writeDelta(writesBefore, writesAfterProvisioning),
        writeDelta(writesBefore, writesAfterProvisioning) / (double) INSTITUTIONS);

    // ---- memory and informers ---------------------------------------------------------------
    printMemory("after provisioning");
    printInformerObjects(admin);

    // ---- full resync --------------------------------------------------------------------------
    resync(plane, admin);

    // ---- usage reports from every simulated node ---------------------------------------------
    usage(plane, admin, operator, pg);
    printMemory("at the end");
  }

  /** One approval by the operator and revision 1 deployed by the institution's admin at once. */
  static void approveAndDeploy(
      ApiClient operator,
      JsonObject example,
      Pending p,
      List<Provisioned> provisioned,
      AtomicInteger failed) {
    var approved =
        operator.post("/api/v1/requests/" + p.requestId() + "/approve", new JsonObject());
    Instant at = Instant.now();
    if (approved.status() != 200) {
      failed.incrementAndGet();
      System.out.println("approval refused: " + approved.status() + approved.body());
      return;
    }
    String siteId = approved.json().getString("siteId");
    var deployed =
        p.admin()
            .post(
                "/api/v1/sites/" + siteId + "/deployments",
                new JsonObject().put("templateId", "minimal-landing").put("parameters", example));
    if (deployed.status() != 201) {
      failed.incrementAndGet();
      System.out.println("deployment refused: " + deployed.status() + deployed.body());
      return;
    }
    provisioned.add(new Provisioned(siteId, at));
  }

  // ---- cluster --------------------------------------------------------------------------------

  static Process spawn(Path dir, String name, List<String> command) throws Exception {
    Path log = dir.resolve(name + ".log");
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  /** kwok's configuration: its own Stage definitions, read from its module (kustomize/stage). */
  static Path kwokConfig(Path dir, Path stages) throws Exception {
    StringBuilder yaml = new StringBuilder();
    for (String file :
        List.of(
            "node/fast/node-initialize.yaml",
            "node/heartbeat-with-lease/node-heartbeat-with-lease.yaml",
            "pod/fast/pod-ready.yaml",
            "pod/fast/pod-complete.yaml",
            "pod/fast/pod-delete.yaml")) {
      yaml.append("---\n").append(Files.readString(stages.resolve(file)));
    }
    Path config = dir.resolve("kwok.yaml");
    Files.writeString(config, yaml);
    return config;
  }

  /** N simulated nodes (kwok manages the annotated ones), until kwok reports them all Ready. */
  static void makeNodes(KubernetesClient admin) throws Exception {
    Instant t0 = Instant.now();
    try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < NODES; i++) {
        Node node =
            new NodeBuilder()
                .withNewMetadata()
                .withName(nodeName(i))
                .addToAnnotations("kwok.x-k8s.io/node", "fake")
                .addToLabels("type", "kwok")
                .addToLabels("kubernetes.io/hostname", nodeName(i))
                .endMetadata()
                .withNewStatus()
                .addToCapacity("cpu", new Quantity("32"))
                .addToCapacity("memory", new Quantity("256Gi"))
                .addToCapacity("pods", new Quantity("110"))
                // site pods ask for ephemeral storage: a node without it fits none of them
                .addToCapacity("ephemeral-storage", new Quantity("500Gi"))
                .addToAllocatable("cpu", new Quantity("32"))
                .addToAllocatable("memory", new Quantity("256Gi"))
                .addToAllocatable("pods", new Quantity("110"))
                .addToAllocatable("ephemeral-storage", new Quantity("500Gi"))
                .endStatus()
                .build();
        done.add(pool.submit(() -> admin.nodes().resource(node).create()));
      }
      for (Future<?> f : done) {
        f.get();
      }
    }
    Instant end = Instant.now().plus(WAIT);
    int ready = 0;
    while ((ready = readyNodes(admin)) < NODES) {
      if (Instant.now().isAfter(end)) {
        throw new IllegalStateException("only " + ready + " of " + NODES + " nodes Ready");
      }
      Thread.sleep(1000);
    }
    System.out.printf(
        "%,d simulated nodes created and Ready (kwok): %.1f s%n", NODES, secondsSince(t0));
  }

  static String nodeName(int i) {
    return "kwok-node-" + i;
  }

  static int readyNodes(KubernetesClient admin) {
    return (int)
        admin.nodes().withLabel("type", "kwok").list().getItems().stream()
            .filter(
                n ->
                    n.getStatus() != null
                        && n.getStatus().getConditions() != null
                        && n.getStatus().getConditions().stream()
                            .anyMatch(
                                c -> c.getType().equals("Ready") && c.getStatus().equals("True")))
            .count();
  }

  // ---- the institutions ----------------------------------------------------------------------

  /** Institutions, their admins and their requests, made through the API before the clock runs. */
  static List<Pending> prepare(ApiClient operator) throws Exception {
    String run = Long.toString(System.nanoTime() % 1_000_000, 36);
    List<Future<Pending>> done = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
      for (int i = 0; i < INSTITUTIONS; i++) {
        String code = "s" + run + "i" + i;
        done.add(pool.submit(() -> institution(operator, code)));
      }
      List<Pending> out = new ArrayList<>();
      for (Future<Pending> f : done) {
        out.add(f.get());
      }
      return out;
    }
  }

  static Pending institution(ApiClient operator, String code) {
    var created =
        operator.post(
            "/api/v1/institutions",
            new JsonObject()
                .put("code", code)
                .put("name", "Institution " + code)
                .put("nameSw", "Taasisi " + code)
                .put("domains", new JsonArray().add(code + ".go.tz"))
                .put("contactEmail", "ict@" + code + ".go.tz"));
    if (created.status() != 201) {
      throw new IllegalStateException("institution not created: " + created.body());
    }
    String id = created.json().getString("id");
    String username = code + "-admin";
    String password = "nenosiri-refu-la-" + username;
    var user =
        operator.post(
            "/api/v1/institutions/" + id + "/users",
            new JsonObject()
                .put("username", username)
                .put("password", password)
                .put("role", "institution-admin"));
    if (user.status() != 201) {
      throw new IllegalStateException("admin not created: " + user.body());
    }
    ApiClient adminApi = ApiClient.signIn(operator.base(), username, password);
    var request =
        adminApi.post(
            "/api/v1/requests",
            new JsonObject()
                .put("siteName", "portal")
                .put("hostnames", new JsonArray().add("www." + code + ".go.tz"))
                .put("plan", "small")
                .put("justification", "The institution's portal"));
    if (request.status() != 201) {
      throw new IllegalStateException("request not created: " + request.body());
    }
    return new Pending(code, adminApi, request.json().getString("id"));
  }

  /** When each site's Available condition turned True (the reconciler's own transition time). */
  static Map<String, Instant> awaitAvailable(
      LocalPostgres pg, List<Provisioned> sites, KubernetesClient admin, Path dir)
      throws Exception {
    Map<String, Instant> available = new HashMap<>();
    Instant end = Instant.now().plus(WAIT);
    try (Connection c = pg.connect("wingu")) {
      while (available.size() < sites.size()) {
        if (Instant.now().isAfter(end)) {
          diagnose(admin, dir, c);
          throw new IllegalStateException(
              (sites.size() - available.size()) + " sites not Available within " + WAIT);
        }
        Object[] waiting =
            sites.stream()
                .map(Provisioned::siteId)
                .filter(id -> !available.containsKey(id))
                .map(UUID::fromString)
                .toArray();
        try (PreparedStatement st =
            c.prepareStatement(
                "SELECT id, (SELECT (e->>'lastTransitionTime')::timestamptz FROM jsonb_array_elements(conditions) e"
                    + " WHERE e->>'type' = 'Available') FROM site WHERE id = ANY (?)"
                    + " AND conditions @> '[{\"type\":\"Available\",\"status\":\"True\"}]'")) {
          st.setArray(1, c.createArrayOf("uuid", waiting));
          try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
              available.put(rs.getString(1), rs.getTimestamp(2).toInstant());
            }
          }
        }
        Thread.sleep(500);
      }
    }
    return available;
  }

  /**
   * Why sites are not Available: the cluster's warning events by reason, the pods by phase and
   * node, and the end of each spawned program's log.
   */
  static void diagnose(KubernetesClient admin, Path dir, Connection c) throws Exception {
    System.out.println("---- diagnosis: sites did not become Available ----");
    try (var st = c.createStatement();
        var rs =
            st.executeQuery(
                "SELECT e->>'type', e->>'status', e->>'reason', left(e->>'message', 240), count(*)"
                    + " FROM site, jsonb_array_elements(conditions) e"
                    + " WHERE e->>'status' <> 'True' GROUP BY 1, 2, 3, 4 ORDER BY 5 DESC")) {
      while (rs.next()) {
        System.out.printf(
            "site condition x%d %s=%s %s: %s%n",
            rs.getLong(5), rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4));
      }
    }
    Map<String, Integer> events = new TreeMap<>();
    for (var e : admin.v1().events().inAnyNamespace().list().getItems()) {
      String message = e.getMessage() == null ? "" : e.getMessage();
      String key =
          e.getType()
              + " "
              + e.getInvolvedObject().getKind()
              + " "
              + e.getReason()
              + ": "
              + message
                  .replaceAll("inst-[a-z0-9-]+", "inst-…")
                  .replaceAll("[0-9a-f]{8,10}-[a-z0-9]{5}", "…");
      events.merge(
          key.length() > 300 ? key.substring(0, 300) : key,
          e.getCount() == null ? 1 : e.getCount(),
          Integer::sum);
    }
    events.forEach((k, n) -> System.out.println("event x" + n + " " + k));
    Map<String, Integer> pods = new TreeMap<>();
    for (var p : admin.pods().inAnyNamespace().list().getItems()) {
      String node = p.getSpec().getNodeName() == null ? "unscheduled" : "scheduled";
      pods.merge(p.getStatus().getPhase() + " " + node, 1, Integer::sum);
    }
    System.out.println("pods by phase: " + pods);
    Map<String, Integer> deployments = new TreeMap<>();
    for (var d : admin.apps().deployments().inAnyNamespace().list().getItems()) {
      var st = d.getStatus();
      deployments.merge(
          "replicas="
              + (st == null ? null : st.getReplicas())
              + " available="
              + (st == null ? null : st.getAvailableReplicas())
              + " observedGeneration="
              + (st == null ? null : st.getObservedGeneration())
              + "/"
              + d.getMetadata().getGeneration(),
          1,
          Integer::sum);
    }
    System.out.println("deployments by status: " + deployments);
    for (String name : List.of("kube-controller-manager", "kube-scheduler", "kwok")) {
      List<String> lines = Files.readAllLines(dir.resolve(name + ".log"));
      System.out.println("---- last lines of " + name + ".log ----");
      lines.subList(Math.max(0, lines.size() - 15), lines.size()).forEach(System.out::println);
    }
  }

  // ---- the console's lists while provisioning runs --------------------------------------------

  /** GETs of the lists the console shows, one after the other, while the approvals arrive. */
  static final class ApiProbe implements Runnable {
    final ApiClient operator;
    final AtomicBoolean stop = new AtomicBoolean();
    final Map<String, List<Long>> micros = new LinkedHashMap<>();

    ApiProbe(ApiClient operator) {
      this.operator = operator;
      micros.put("GET /api/v1/sites (site list, first page)", new ArrayList<>());
      micros.put("GET /api/v1/requests?status=PENDING (queue)", new ArrayList<>());
      micros.put("GET /api/v1/institutions (directory)", new ArrayList<>());
      micros.put("GET /api/v1/public/directory?lang=sw", new ArrayList<>());
    }

    @Override
    public void run() {
      List<String> paths =
          List.of(
              "/api/v1/sites",
              "/api/v1/requests?status=PENDING",
              "/api/v1/institutions",
              "/api/v1/public/directory?lang=sw");
      List<List<Long>> lists = new ArrayList<>(micros.values());
      while (!stop.get()) {
        for (int i = 0; i < paths.size(); i++) {
          long t = System.nanoTime();
          var r = operator.get(paths.get(i));
          long us = (System.nanoTime() - t) / 1000;
          if (r.status() == 200) {
            synchronized (this) {
              lists.get(i).add(us);
            }
          }
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }

    synchronized void print() {
      micros.forEach(
          (what, list) -> {
            List<Long> sorted = new ArrayList<>(list);
            Collections.sort(sorted);
            if (sorted.isEmpty()) {
              System.out.printf("API p99 %-44s no answer%n", what);
              return;
            }
            System.out.printf(
                "API p99 %-44s %.1f ms  (p50 %.1f ms, max %.1f ms, n=%d, during provisioning)%n",
                what,
                pct(sorted, 0.99) / 1000.0,
                pct(sorted, 0.50) / 1000.0,
                sorted.get(sorted.size() - 1) / 1000.0,
                sorted.size());
          });
    }
  }

  // ---- memory, informers, resync --------------------------------------------------------------

  static void printMemory(String when) throws Exception {
    System.gc();
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    long rss = 0;
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        rss = Long.parseLong(line.replaceAll("\\D", "")) * 1024;
      }
    }
    System.out.printf(
        "control-plane heap after a full GC (%s)    %.0f MiB (%.1f KiB a tenant); RSS %.0f MiB"
            + " (one JVM: control plane and load generator)%n",
        when, heap / 1048576.0, heap / 1024.0 / INSTITUTIONS, rss / 1048576.0);
  }

  /** What the control plane's informers hold: the objects their selectors take in. */
  static void printInformerObjects(KubernetesClient admin) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    String label = "app.kubernetes.io/managed-by";
    counts.put("namespaces", admin.namespaces().withLabel(label, "wingu").list().getItems().size());
    counts.put(
        "resourcequotas",
        admin.resourceQuotas().inAnyNamespace().withLabel(label, "wingu").list().getItems().size());
    counts.put(
        "limitranges",
        admin.limitRanges().inAnyNamespace().withLabel(label, "wingu").list().getItems().size());
    counts.put(
        "networkpolicies",
        admin
            .network()
            .v1()
            .networkPolicies()
            .inAnyNamespace()
            .withLabel(label, "wingu")
            .list()
            .getItems()
            .size());
    counts.put(
        "serviceaccounts",
        admin
            .serviceAccounts()
            .inAnyNamespace()
            .withLabel(label, "wingu")
            .list()
            .getItems()
            .size());
    counts.put(
        "services",
        admin.services().inAnyNamespace().withLabel(label, "wingu").list().getItems().size());
    counts.put(
        "deployments",
        admin
            .apps()
            .deployments()
            .inAnyNamespace()
            .withLabel(label, "wingu")
            .list()
            .getItems()
            .size());
    counts.put(
        "configmaps",
        admin.configMaps().inAnyNamespace().withLabel(label, "wingu").list().getItems().size());
    counts.put(
        "ingresses",
        admin
            .network()
            .v1()
            .ingresses()
            .inAnyNamespace()
            .withLabel(label, "wingu")
            .list()
            .getItems()
            .size());
    counts.put(
        "rolebindings",
        admin
            .rbac()
            .roleBindings()
            .inAnyNamespace()
            .withLabel(label, "wingu")
            .list()
            .getItems()
            .size());
    for (SiteRoutes.Kind kind : SiteRoutes.KINDS) {
      counts.put(
          kind.plural(),
          admin
              .genericKubernetesResources(kind.apiVersion(), kind.kind())
              .inAnyNamespace()
              .withLabel(label, "wingu")
              .list()
              .getItems()
              .size());
    }
    counts.put("pods (all, usage)", admin.pods().inAnyNamespace().list().getItems().size());
    counts.put("nodes (all, usage)", admin.nodes().list().getItems().size());
    int total = counts.values().stream().mapToInt(Integer::intValue).sum();
    System.out.printf("objects held in its informers               %,d: %s%n", total, counts);
  }

  /**
   * Every tenant reconciled again with nothing changed, as the periodic resync does; the writes
   * counted by the API server itself (apiserver_request_total, Wingu's kinds, not status).
   */
  static void resync(ControlPlane plane, KubernetesClient admin) throws Exception {
    List<UUID> tenants = plane.provisioner().tenants();
    Map<String, String> before = apiWrites(admin);
    CpuUse cpu = CpuUse.now();
    Instant t0 = Instant.now();
    tenants.forEach(plane.provisioner()::enqueue);
    while (plane.provisioner().busy()) {
      Thread.sleep(20);
    }
    double seconds = secondsSince(t0);
    Map<String, String> after = apiWrites(admin);
    System.out.printf(
        "full resync of %,d unchanged tenants            %.1f s, %d writes to the API server"
            + " (POST/PUT/PATCH/APPLY/DELETE on Wingu's kinds, from apiserver_request_total)%n",
        tenants.size(), seconds, writeDelta(before, after));
    System.out.println(
        "CPU during the resync, per tenant:"
            + cpuParts(CpuUse.now(), cpu, tenants.size(), "tenant"));
  }

  private static final Pattern REQUEST_TOTAL =
      Pattern.compile("^apiserver_request_total\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE);

  /**
   * apiserver_request_total of the writing verbs on Wingu's kinds (not subresources), by series.
   */
  static Map<String, String> apiWrites(KubernetesClient admin) {
    String metrics = admin.raw("/metrics");
    Map<String, String> out = new HashMap<>();
    Matcher m = REQUEST_TOTAL.matcher(metrics);
    while (m.find()) {
      String labels = m.group(1);
      String verb = label(labels, "verb");
      String resource = label(labels, "resource");
      String subresource = label(labels, "subresource");
      if (List.of("POST", "PUT", "PATCH", "APPLY", "DELETE", "CREATE", "UPDATE").contains(verb)
          && WINGU_RESOURCES.contains(resource)
          && subresource.isEmpty()) {
        out.put(labels, m.group(2));
      }
    }
    return out;
  }

  static String label(String labels, String name) {
    Matcher m = Pattern.compile("(?:^|,)" + name + "=\"([^\"]*)\"").matcher(labels);
    return m.find() ? m.group(1) : "";
  }

  static long writeDelta(Map<String, String> before, Map<String, String> after) {
    long delta = 0;
    for (Map.Entry<String, String> e : after.entrySet()) {
      delta +=
          (long) Double.parseDouble(e.getValue())
              - (long) Double.parseDouble(before.getOrDefault(e.getKey(), "0"));
    }
    return delta;
  }

  // ---- usage ----------------------------------------------------------------------------------

  /**
   * Agents' reports from every simulated node: each node gets {@code bench.podsPerNode} pods bound
   * to it (kwok runs them), its own agent token, and reports every {@code bench.reportSeconds}.
   */
  static void usage(
      ControlPlane plane, KubernetesClient admin, ApiClient operator, LocalPostgres pg)
      throws Exception {
    Instant t0 = Instant.now();
    int namespaces = 50;
    for (int n = 0; n < namespaces; n++) {
      admin
          .namespaces()
          .resource(
              new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                  .withNewMetadata()
                  .withName("inst-usage" + n)
                  .endMetadata()
                  .build())
          .serverSideApply();
    }
    String[][] uids = new String[NODES][PODS_PER_NODE];
    try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
      List<Future<?>> done = new ArrayList<>();
      for (int node = 0; node < NODES; node++) {
        for (int p = 0; p < PODS_PER_NODE; p++) {
          int nodeIndex = node;
          int podIndex = p;
          done.add(
              pool.submit(
                  () ->
                      uids[nodeIndex][podIndex] =
                          admin
                              .pods()
                              .inNamespace(usageNamespace(nodeIndex, podIndex))
                              .resource(
                                  new io.fabric8.kubernetes.api.model.PodBuilder()
                                      .withNewMetadata()
                                      .withName(usagePod(nodeIndex, podIndex))
                                      .endMetadata()
                                      .withNewSpec()
                                      .withNodeName(nodeName(nodeIndex))
                                      .addNewContainer()
                                      .withName("web")
                                      .withImage("nginx")
                                      .endContainer()
                                      .endSpec()
                                      .build())
                              .create()
                              .getMetadata()
                              .getUid()));
        }
      }
      for (Future<?> f : done) {
        f.get();
      }
    }
    String[] tokens = new String[NODES];
    for (int node = 0; node < NODES; node++) {
      var r =
          operator.post("/api/v1/agent/tokens", new JsonObject().put("nodeName", nodeName(node)));
      if (r.status() != 201) {
        throw new IllegalStateException("agent token refused: " + r.body());
      }
      tokens[node] = r.json().getString("accessToken");
    }
    // the control plane keeps only samples of pods its cache places on the reporting node
    Instant end = Instant.now().plus(WAIT);
    while (plane
        .usage()
        .cluster()
        .pod(usageNamespace(NODES - 1, PODS_PER_NODE - 1), usagePod(NODES - 1, PODS_PER_NODE - 1))
        .isEmpty()) {
      if (Instant.now().isAfter(end)) {
        throw new IllegalStateException("the control plane's pod cache never saw the usage pods");
      }
      Thread.sleep(200);
    }
    System.out.printf(
        "usage: %,d pods bound to the %,d simulated nodes (%d each), one agent token a node: %.1f s%n",
        NODES * PODS_PER_NODE, NODES, PODS_PER_NODE, secondsSince(t0));
    printMemory("with the usage pods cached");

    int rate = Math.max(1, Math.round(NODES / (float) REPORT_SECONDS));
    System.out.printf(
        "ingestion: %,d agents, one report of %d pods every %d s each = %d reports/s target,"
            + " open loop, %d windows of %d s (latency from each report's scheduled start)%n",
        NODES, PODS_PER_NODE, REPORT_SECONDS, rate, USAGE_WINDOWS, WINDOW_SECONDS);
    System.out.println(OpenLoopLoad.Result.header() + "   samples/s");
    long[] seq = new long[NODES];
    CpuUse cpu = CpuUse.now();
    long reports = 0;
    try (OpenLoopLoad load = new OpenLoopLoad(plane.url(), 64, "")) {
      for (int w = 0; w < USAGE_WINDOWS; w++) {
        var r =
            load.run(
                "POST agent/reports",
                rate,
                WINDOW_SECONDS,
                i -> {
                  int node = i % NODES;
                  long s;
                  synchronized (seq) {
                    s = ++seq[node];
                  }
                  return new OpenLoopLoad.Call(
                      HttpMethod.POST,
                      "/api/v1/agent/reports",
                      report(node, s, uids[node]),
                      202,
                      tokens[node]);
                });
        reports += r.ok();
        System.out.println(r.row() + String.format("   %9.0f", r.achievedRate() * PODS_PER_NODE));
      }
    }
    System.out.println(
        "CPU during ingestion, per 1,000 reports:"
            + cpuParts(CpuUse.now(), cpu, (int) Math.max(1, reports / 1000), "1,000 reports"));
    Instant r0 = Instant.now();
    int rolled = plane.usage().rollUp().toCompletionStage().toCompletableFuture().get();
    System.out.printf(
        "roll-up of the samples into hourly buckets: %.1f s (%,d dirty hours rolled up)%n",
        secondsSince(r0), rolled);
    try (Connection c = pg.connect("wingu");
        var st = c.createStatement();
        var rs =
            st.executeQuery(
                "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c"
                    + " WHERE c.relname LIKE 'usage%' AND c.relkind IN ('r', 'p')"
                    + " ORDER BY pg_total_relation_size(c.oid) DESC LIMIT 8")) {
      StringBuilder sizes = new StringBuilder();
      while (rs.next()) {
        sizes.append(String.format(" %s %.1f MiB;", rs.getString(1), rs.getLong(2) / 1048576.0));
      }
      System.out.println("usage tables on disk:" + sizes);
    }
  }

  static String usageNamespace(int node, int pod) {
    return "inst-usage" + ((node * PODS_PER_NODE + pod) % 50);
  }

  static String usagePod(int node, int pod) {
    return "web-" + node + "-" + pod;
  }

  static String report(int node, long seq, String[] uids) {
    JsonArray list = new JsonArray();
    for (int p = 0; p < uids.length; p++) {
      list.add(
          new JsonObject()
              .put("namespace", usageNamespace(node, p))
              .put("name", usagePod(node, p))
              .put("uid", uids[p])
              .put("cpuMillis", 100 + p)
              .put("memoryBytes", 134217728L + p)
              .put("netRxBytes", seq * 1000)
              .put("netTxBytes", seq * 500));
    }
    return new JsonObject()
        .put("nodeName", nodeName(node))
        .put("seq", seq)
        .put("collectedAt", Instant.now().toString())
        .put(
            "node",
            new JsonObject()
                .put("cpuCapacityMillis", 32000)
                .put("cpuUsedMillis", 12000)
                .put("memoryCapacityBytes", 256L << 30)
                .put("memoryUsedBytes", 24L << 30)
                .put("fsCapacityBytes", 250L << 30)
                .put("fsUsedBytes", 120L << 30))
        .put("pods", list)
        .encode();
  }

  // ---- printing -------------------------------------------------------------------------------

  /** CPU per unit since {@code before} for each part of the system, by program. */
  static String cpuParts(CpuUse now, CpuUse before, int units, String unit) {
    return now.byProgram(before, units, unit);
  }

  static long pct(List<Long> sorted, double q) {
    return sorted.get(Math.max(0, (int) Math.ceil(q * sorted.size()) - 1));
  }

  static double secondsSince(Instant t0) {
    return Duration.between(t0, Instant.now()).toMillis() / 1e3;
  }
}
