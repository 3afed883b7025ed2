package io.wingu.controlplane.bench;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.app.WinguConfig;
import io.wingu.controlplane.provisioning.BundleFetch;
import io.wingu.controlplane.provisioning.SiteDeployments;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.FreePort;
import io.wingu.controlplane.testing.TempDirs;
import io.wingu.controlplane.testing.TenantSite;
import io.wingu.controlplane.wiring.ControlPlane;
import io.wingu.dev.LocalCluster;
import io.wingu.dev.LocalPostgres;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * The one-node cluster benchmark: the start time of the real cluster (LocalCluster, binaries and
 * images already built), then sites approved at a steady rate through the API as operators and
 * webmasters work — the operator makes the institution and approves its request, the webmaster
 * deploys revision 1 at once — each timed from its approval to the first answer of its home page
 * from its own pod; then the roll of a deployment (revision 2 deployed → its content served).
 * {@code bench.sites} sites are measured (50 by default); as many serve at once as the node's
 * allocatable resources hold at the pods' requests (less one pod's room for rolls), so a measured
 * site is suspended to make room for the next. Run it with bench/cluster/run.sh (root).
 */
public final class ClusterBench {

  static final int SITES = Integer.getInteger("bench.sites", 50);
  static final long INTERVAL_MS = Long.getLong("bench.interval", 2000);
  static final int ROLLS = Integer.getInteger("bench.rolls", 5);
  static final Duration WAIT = Duration.ofMinutes(5);
  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(1))
          .build();

  static KubernetesClient k;
  static ApiClient operator;
  static JsonObject example;
  static SharedIndexInformer<GenericKubernetesResource> slices;

  /** One site's figures: approval (its answer), revision 1 deployed (the answer), first byte. */
  record Timing(TenantSite site, Instant approved, Instant deployed, Instant firstByte, Pod pod) {
    /** From the approval to a moment the serving pod's status records (whole seconds). */
    long toPodMs(String condition) {
      String at =
          condition == null
              ? pod.getMetadata().getCreationTimestamp()
              : pod.getStatus().getConditions().stream()
                  .filter(c -> c.getType().equals(condition))
                  .findFirst()
                  .orElseThrow()
                  .getLastTransitionTime();
      return Duration.between(approved, Instant.parse(at)).toMillis();
    }

    long toFirstByteMs() {
      return Duration.between(approved, firstByte).toMillis();
    }

    long toDeployedMs() {
      return Duration.between(approved, deployed).toMillis();
    }
  }

  public static void main(String[] args) throws Exception {
    Path siteImage = Path.of(System.getProperty("wingu.image.site-web"));
    Path controlPlaneImage = Path.of(System.getProperty("wingu.image.control-plane"));
    Path dir = TempDirs.create("wingu-cluster-bench");
    System.out.printf(
        "machine: %d cores, %.1f GiB memory; cluster, control plane, PostgreSQL and load generator on it%n",
        Runtime.getRuntime().availableProcessors(), memoryGiB());

    // another process's cluster holds the machine's lock: wait for it before the clock starts
    LocalCluster.idleHostState();
    Instant t0 = Instant.now();
    try (LocalCluster cluster = LocalCluster.start()) {
      long startMs = Duration.between(t0, Instant.now()).toMillis();
      System.out.printf(
          "cluster start: %,d ms (etcd, kube-apiserver, controller-manager, scheduler, containerd, kubelet;"
              + " bridge, certificates and kubeconfigs made; node Ready; binaries prebuilt)%n",
          startMs);
      Instant i0 = Instant.now();
      cluster.importImage(siteImage, SiteDeployments.DEFAULT_IMAGE);
      cluster.importImage(controlPlaneImage, BundleFetch.DEFAULT_IMAGE);
      System.out.printf(
          "images imported into the node (site web server, control plane / bundle fetch): %,d ms%n",
          Duration.between(i0, Instant.now()).toMillis());
      k = cluster.client();
      String clusterHome = System.getProperty("wingu.cluster.dir", "/var/tmp/wingu-cluster");

      try (LocalPostgres pg =
          LocalPostgres.start(dir.resolve("pg"), FreePort.find(), "bench-superuser-password")) {
        Map<String, String> env = BenchSetup.environment(pg, cluster.adminKubeconfig(), dir);
        // on the node's bridge address, where the pods' bundle fetch reaches it
        env.put("WINGU_HTTP_HOST", LocalCluster.NODE_IP);
        env.put(
            "WINGU_INTERNAL_URL",
            "http://" + LocalCluster.NODE_IP + ":" + env.get("WINGU_HTTP_PORT"));
        env.put("WINGU_LOGIN_RATE", "10000");
        try (ControlPlane plane = ControlPlane.start(WinguConfig.from(env))) {
          operator = ApiClient.signIn(plane.url(), "operator", BenchSetup.OPERATOR_PASSWORD);
          example =
              operator.get("/api/v1/templates").array().stream()
                  .map(JsonObject.class::cast)
                  .filter(t -> t.getString("id").equals("minimal-landing"))
                  .findFirst()
                  .orElseThrow()
                  .getJsonObject("example");
          slices =
              k.genericKubernetesResources("discovery.k8s.io/v1", "EndpointSlice")
                  .inAnyNamespace()
                  .inform(
                      new ResourceEventHandler<>() {
                        @Override
                        public void onAdd(GenericKubernetesResource r) {}

                        @Override
                        public void onUpdate(
                            GenericKubernetesResource o, GenericKubernetesResource r) {}

                        @Override
                        public void onDelete(GenericKubernetesResource r, boolean unknown) {}
                      },
                      0);
          run(clusterHome, dir.toString());
          slices.close();
        }
      }
    }
    TempDirs.delete(dir);
    System.exit(0);
  }

  static void run(String... folders) throws Exception {
    // one site first, not counted: JIT, the images' first start; its pod's requests size the node
    Timing warm = siteLife(0);
    System.out.printf(
        "first site (warm-up, not counted): approval to first byte %,d ms%n", warm.toFirstByteMs());
    Pod warmPod = servingPods(warm.site()).get(0);
    Map<String, BigDecimal> perSite = requests(warmPod);
    suspend(warm.site());
    awaitNoPod(warm.site());
    // One pod's room is kept free: a serving site's roll (maxSurge 1, maxUnavailable 0) runs its
    // old and new pods side by side, and on a full node the new one would stay Pending. The node
    // holds fewer small sites than are measured, so sites take turns: a site waits for room before
    // its institution is made (its clock starts only at its approval), and once its first byte is
    // measured it is suspended, its pod goes and its room is the next site's. The last sites stay
    // serving for the rolls measured after them.
    int fit = fit(perSite);
    int slots = Math.max(1, fit - 1);
    int n = SITES;
    int keep = Math.min(Math.min(ROLLS, slots), n);
    System.out.printf(
        "node free at the pods' requests (allocatable minus running pods): %s; a small site's pod"
            + " requests %s: %d pods fit, one pod's room is kept for the rolls, so at most %d sites serve at"
            + " once; %d sites are measured, each suspended once measured to make room for the next (the last %d"
            + " stay serving for the rolls)%n",
        free(), perSite, fit, slots, n, keep);

    ClusterCpu cpuBefore = ClusterCpu.now(folders);
    Instant phase = Instant.now();
    List<Timing> timings = new ArrayList<>();
    List<Long> waited = Collections.synchronizedList(new ArrayList<>());
    Semaphore room = new Semaphore(slots, true);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Timing>> running = new ArrayList<>();
      for (int i = 1; i <= n; i++) {
        long due = phase.toEpochMilli() + (i - 1) * INTERVAL_MS;
        Thread.sleep(Math.max(0, due - System.currentTimeMillis()));
        int index = i;
        boolean stays = i > n - keep;
        Instant arrived = Instant.now();
        running.add(
            pool.submit(
                () -> {
                  room.acquire();
                  try {
                    waited.add(Duration.between(arrived, Instant.now()).toMillis());
                    Timing t = siteLife(index);
                    if (!stays) {
                      suspend(t.site());
                      awaitNoPod(t.site());
                    }
                    return t;
                  } finally {
                    if (!stays) {
                      room.release(); // also after a failure: the sites behind it go on
                    }
                  }
                }));
      }
      for (Future<Timing> f : running) {
        timings.add(f.get());
      }
    }
    double phaseSeconds = Duration.between(phase, Instant.now()).toMillis() / 1000.0;
    Map<String, Double> cpu = ClusterCpu.now(folders).since(cpuBefore);

    System.out.printf(
        "%d sites, one arriving every %,d ms (each, once the node has room: the operator creates the"
            + " institution, its admin and webmaster; the admin requests a site on plan small; the operator approves; the"
            + " webmaster deploys revision 1 at once; measured, it is suspended)%n",
        n, INTERVAL_MS);
    System.out.println(line("arrival to room on the node (not timed below)", waited));
    System.out.println(
        "approval = the operator's approval answered (the institution, its users and the request made"
            + " before it, once the node had room for the site); first byte = the first 200"
            + " answer to GET /sw/ from the site's pod (its address from the Service's EndpointSlice, ready) holding"
            + " revision 1's text. It includes the webmaster's deployment, the reconciler's namespace and objects, the"
            + " site's first pod (a site runs none before its first revision), scheduling,"
            + " sandbox and network, the init container's bundle fetch from the control plane, nginx starting and the"
            + " readiness probe (every 10 s); polled every 50 ms");
    System.out.println(
        line(
            "approval to revision 1 deployed (API answer)",
            timings.stream().map(Timing::toDeployedMs).toList()));
    System.out.println(
        line(
            "approval to first byte of the home page",
            timings.stream().map(Timing::toFirstByteMs).toList()));
    System.out.println(
        "where the time goes, from the approval to the serving pod's status (times in whole seconds):");
    System.out.println(
        line("  revision 1's pod created", timings.stream().map(t -> t.toPodMs(null)).toList()));
    System.out.println(
        line("  scheduled", timings.stream().map(t -> t.toPodMs("PodScheduled")).toList()));
    System.out.println(
        line(
            "  init container done (bundle fetched)",
            timings.stream().map(t -> t.toPodMs("Initialized")).toList()));
    System.out.println(
        line(
            "  Ready (readiness probe passed)",
            timings.stream().map(t -> t.toPodMs("Ready")).toList()));
    System.out.printf(
        "CPU during the %d sites (%.1f s): %s%n", n, phaseSeconds, cpuLine(cpu, n, "site"));

    // the sites left serving: the last ones
    List<Timing> serving = timings.subList(n - keep, n);
    int rolls = keep;
    List<Long> served = new ArrayList<>();
    List<Long> complete = new ArrayList<>();
    ClusterCpu rollCpuBefore = ClusterCpu.now(folders);
    for (int i = 0; i < rolls; i++) {
      TenantSite s = serving.get(i).site();
      String text = "Toleo la pili la " + s.code();
      Instant deployed = Instant.now();
      deploy(s, text + ": mafunzo ya bure kwa wajasiriamali");
      awaitServing(s, text, false);
      served.add(Duration.between(deployed, Instant.now()).toMillis());
      awaitServing(s, text, true);
      complete.add(Duration.between(deployed, Instant.now()).toMillis());
    }
    System.out.println(
        "roll = the webmaster deploys revision 2 of a serving site → the new pod (init container"
            + " fetch, nginx, readiness) → a ready address serves revision 2's text; complete = the old pod out of the"
            + " endpoints. One site at a time.");
    System.out.println(line("roll: revision 2 deployed to its content served", served));
    System.out.println(line("roll: revision 2 deployed to the roll complete", complete));
    System.out.printf(
        "CPU during the %d rolls: %s%n",
        rolls, cpuLine(ClusterCpu.now(folders).since(rollCpuBefore), rolls, "roll"));
  }

  /** One institution's way from nothing to its home page served, as its people would go. */
  static Timing siteLife(int index) throws Exception {
    TenantSite s = TenantSite.create(operator, "portal");
    Instant approved = Instant.now();
    String text = "Toleo la kwanza la " + s.code();
    deploy(s, text + ": mikopo nafuu kwa vikundi vya vijana");
    Instant deployed = Instant.now();
    awaitServing(s, text, false);
    Instant firstByte = Instant.now();
    Pod pod =
        servingPods(s).stream()
            .filter(p -> p.getSpec().getInitContainers().size() == 1)
            .filter(
                p ->
                    p.getStatus().getConditions().stream()
                        .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True")))
            .findFirst()
            .orElseThrow();
    return new Timing(s, approved, deployed, firstByte, pod);
  }

  static void deploy(TenantSite s, String tagline) {
    JsonObject parameters = example.copy();
    parameters.getJsonObject("institution").getJsonObject("tagline").put("sw", tagline);
    var r =
        s.webmaster()
            .post(
                s.path("/deployments"),
                new JsonObject()
                    .put("templateId", "minimal-landing")
                    .put("parameters", parameters));
    if (r.status() != 201) {
      throw new IllegalStateException("deployment refused: " + r.status() + " " + r.body());
    }
  }

  static void suspend(TenantSite s) {
    var r =
        operator.post(
            s.path("/suspend"), new JsonObject().put("reason", "benchmark: room on the node"));
    if (r.status() != 200) {
      throw new IllegalStateException("suspension refused: " + r.body());
    }
  }

  /**
   * Until a ready address of the site's Service answers its home page with {@code text}; with
   * {@code only}, until it is the one address and serves it (the roll complete).
   */
  static void awaitServing(TenantSite s, String text, boolean only) throws Exception {
    Instant end = Instant.now().plus(WAIT);
    String last = "no ready address yet";
    while (Instant.now().isBefore(end)) {
      List<String> addresses = readyAddresses(s);
      int serving = 0;
      for (String address : addresses) {
        try {
          HttpResponse<String> r =
              HTTP.send(
                  HttpRequest.newBuilder(
                          URI.create("http://" + address + ":" + SiteDeployments.PORT + "/sw/"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200 && r.body().contains(text)) {
            serving++;
          } else {
            last = address + ": " + r.statusCode();
          }
        } catch (IOException e) {
          last = address + ": " + e;
        }
      }
      if (only ? serving == 1 && addresses.size() == 1 : serving > 0) {
        return;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(
        s.code() + " did not serve \"" + text + "\" within " + WAIT + ": " + last);
  }

  /** The ready addresses of the site's Service (headless) from the informer's EndpointSlices. */
  static List<String> readyAddresses(TenantSite s) {
    List<String> ready = new ArrayList<>();
    for (GenericKubernetesResource slice : slices.getStore().list()) {
      if (!s.namespace().equals(slice.getMetadata().getNamespace())
          || slice.getMetadata().getLabels() == null
          || !s.siteName()
              .equals(slice.getMetadata().getLabels().get("kubernetes.io/service-name"))) {
        continue;
      }
      var endpoints = JsonObject.mapFrom(slice).getJsonArray("endpoints");
      for (Object e : endpoints == null ? List.of() : endpoints) {
        JsonObject endpoint = (JsonObject) e;
        JsonObject conditions = endpoint.getJsonObject("conditions");
        if (conditions != null && Boolean.TRUE.equals(conditions.getBoolean("ready"))) {
          endpoint.getJsonArray("addresses").forEach(a -> ready.add((String) a));
        }
      }
    }
    return ready;
  }

  static List<Pod> servingPods(TenantSite s) {
    return k
        .pods()
        .inNamespace(s.namespace())
        .withLabel("wingu.io/site", s.siteName())
        .list()
        .getItems()
        .stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  static void awaitNoPod(TenantSite s) throws InterruptedException {
    Instant end = Instant.now().plus(WAIT);
    while (!k.pods()
        .inNamespace(s.namespace())
        .withLabel("wingu.io/site", s.siteName())
        .list()
        .getItems()
        .isEmpty()) {
      if (Instant.now().isAfter(end)) {
        throw new IllegalStateException("the suspended site's pod did not go");
      }
      Thread.sleep(200);
    }
  }

  // ---- room on the node, at the pods' requests (what the scheduler counts) -------------------

  /**
   * A pod's requests as the scheduler sees them: the larger of its containers' sum and any init
   * container.
   */
  static Map<String, BigDecimal> requests(Pod pod) {
    Map<String, BigDecimal> sum = new java.util.TreeMap<>();
    for (Container c : pod.getSpec().getContainers()) {
      add(sum, c);
    }
    for (Container c : pod.getSpec().getInitContainers()) {
      Map<String, BigDecimal> init = new java.util.TreeMap<>();
      add(init, c);
      init.forEach((r, q) -> sum.merge(r, q, BigDecimal::max));
    }
    sum.put("pods", BigDecimal.ONE);
    return sum;
  }

  private static void add(Map<String, BigDecimal> into, Container c) {
    if (c.getResources() != null && c.getResources().getRequests() != null) {
      c.getResources()
          .getRequests()
          .forEach((r, q) -> into.merge(r, Quantity.getAmountInBytes(q), BigDecimal::add));
    }
  }

  /** Allocatable minus what the node's running pods request, per resource. */
  static Map<String, BigDecimal> free() {
    Node node = k.nodes().withName(LocalCluster.NODE_NAME).get();
    Map<String, BigDecimal> free = new java.util.TreeMap<>();
    node.getStatus().getAllocatable().forEach((r, q) -> free.put(r, Quantity.getAmountInBytes(q)));
    for (Pod p :
        k.pods()
            .inAnyNamespace()
            .withField("spec.nodeName", LocalCluster.NODE_NAME)
            .list()
            .getItems()) {
      String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
      if (!"Succeeded".equals(phase) && !"Failed".equals(phase)) {
        requests(p).forEach((r, q) -> free.computeIfPresent(r, (x, f) -> f.subtract(q)));
      }
    }
    return free;
  }

  static int fit(Map<String, BigDecimal> perSite) {
    Map<String, BigDecimal> free = free();
    int fit = Integer.MAX_VALUE;
    for (Map.Entry<String, BigDecimal> r : perSite.entrySet()) {
      if (r.getValue().signum() > 0 && free.containsKey(r.getKey())) {
        fit =
            Math.min(
                fit, free.get(r.getKey()).divide(r.getValue(), 0, RoundingMode.FLOOR).intValue());
      }
    }
    return fit;
  }

  // ---- printing -----------------------------------------------------------------------------

  static String line(String what, List<Long> ms) {
    List<Long> sorted = new ArrayList<>(ms);
    Collections.sort(sorted);
    return String.format(
        "%-48s n=%d  p50 %,d ms  p99 %,d ms  max %,d ms  min %,d ms",
        what,
        sorted.size(),
        pct(sorted, 0.50),
        pct(sorted, 0.99),
        sorted.get(sorted.size() - 1),
        sorted.get(0));
  }

  static long pct(List<Long> sorted, double q) {
    return sorted.get(Math.max(0, (int) Math.ceil(q * sorted.size()) - 1));
  }

  static String cpuLine(Map<String, Double> cpu, int units, String unit) {
    StringBuilder out = new StringBuilder();
    cpu.forEach(
        (part, s) ->
            out.append(
                String.format("%n  %-80s %7.1f s  (%.2f s a %s)", part, s, s / units, unit)));
    return out.toString();
  }

  static double memoryGiB() {
    try {
      return Long.parseLong(
              java.nio.file.Files.readAllLines(Path.of("/proc/meminfo"))
                  .get(0)
                  .replaceAll("\\D", ""))
          / 1024.0
          / 1024.0;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}
