package io.wingu.controlplane.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.wingu.controlplane.provisioning.DatabaseSecrets;
import io.wingu.controlplane.provisioning.LimitRanges;
import io.wingu.controlplane.provisioning.LiveObjects;
import io.wingu.controlplane.provisioning.Namespaces;
import io.wingu.controlplane.provisioning.NetworkPolicies;
import io.wingu.controlplane.provisioning.ReconcileQueue;
import io.wingu.controlplane.provisioning.ResourceQuotas;
import io.wingu.controlplane.provisioning.ServerSideApply;
import io.wingu.controlplane.provisioning.ServiceAccounts;
import io.wingu.controlplane.provisioning.SiteDeployments;
import io.wingu.controlplane.provisioning.SiteIngresses;
import io.wingu.controlplane.provisioning.SiteRoutes;
import io.wingu.controlplane.provisioning.SiteServices;
import io.wingu.controlplane.provisioning.Tenant;
import io.wingu.controlplane.provisioning.TenantDatabases;
import io.wingu.controlplane.provisioning.TenantReconciler;
import io.wingu.controlplane.provisioning.TenantStore;
import io.wingu.controlplane.testing.FreePort;
import io.wingu.controlplane.testing.GatewayApiCrds;
import io.wingu.controlplane.testing.TempDirs;
import io.wingu.dev.LocalKubernetes;
import io.wingu.dev.LocalPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The provisioning benchmark: N tenants (one site and one database each) from approval to
 * NamespaceReady, QuotaApplied, DatabaseReady and Deployed on the real API server, next to the same
 * objects applied by kubectl apply --server-side; then a resync of every unchanged tenant, with the
 * writes counted by an interceptor on the Kubernetes client (not by the reconciler) and every
 * object's resourceVersion compared. Run it with bench/provisioning/run.sh.
 */
public final class ProvisioningBench {

  /** As many as the Provisioner runs by default (WINGU_RECONCILE_WORKERS). */
  static final int WORKERS = Integer.getInteger("bench.workers", 8);

  static final int KUBECTL_PROCESSES = Integer.getInteger("bench.kubectl", 8);
  static final int RATE = Integer.getInteger("bench.rate", 25);

  /**
   * The routing modes provisioned, each in the same run (WINGU_ROUTING): Ingress, and Gateway API
   * (HTTPRoute, ListenerSet and Certificate; the release's CRDs and a cert-manager stand-in are
   * installed into the benchmark's API server).
   */
  static final List<String> ROUTINGS =
      List.of(System.getProperty("bench.routing", "ingress,gateway").split(","));

  /**
   * Tenants provisioned first and not counted: a control plane in service has long been warm (JIT).
   */
  static final int WARM_UP = Integer.getInteger("bench.warmup", 100);

  static volatile ReconcileQueue CURRENT_QUEUE;

  /** The time-to-ready of each tenant of the last runReconciler, in ms. */
  static volatile long[] LAST_LATENCIES = new long[0];

  /** The same, per reconciler of the last interleaved runReconciler. */
  static volatile List<long[]> LAST_BY_RECONCILER = List.of();

  static final Map<String, UUID> INSTITUTIONS_BY_CODE =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Counts the requests that would change something in the cluster. */
  static final class WriteCounter implements Interceptor {
    final AtomicLong writes = new AtomicLong();
    final AtomicLong reads = new AtomicLong();

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
      switch (request.method()) {
        case "POST", "PUT", "PATCH", "DELETE" -> writes.incrementAndGet();
        default -> reads.incrementAndGet();
      }
    }
  }

  public static void main(String[] args) throws Exception {
    int[] sizes =
        Arrays.stream(System.getProperty("bench.sizes", "200,1000").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    // bench/provisioning/run.sh gives the folder (and says how fast files are made there)
    String base = System.getProperty("bench.dir", "");
    Path dir =
        base.isBlank()
            ? TempDirs.create("wingu-provisioning-bench")
            : TempDirs.createIn(Path.of(base), "wingu-provisioning-bench");
    System.out.println("PostgreSQL data (control plane and tenant databases) in " + dir);
    try (LocalPostgres control =
            LocalPostgres.start(dir.resolve("control"), FreePort.find(), "control-password");
        LocalPostgres tenants =
            LocalPostgres.start(dir.resolve("tenants"), FreePort.find(), "tenant-password");
        LocalKubernetes kube = LocalKubernetes.start()) {
      control.ensureDatabase("wingu", LocalPostgres.SUPERUSER);
      migrate(control);
      Path kubeconfig = kube.writeKubeconfig(dir.resolve("kubeconfig"));
      WriteCounter counter = new WriteCounter();
      Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
      config.setMaxConcurrentRequests(256);
      config.setMaxConcurrentRequestsPerHost(256);
      try (KubernetesClient client =
              new KubernetesClientBuilder()
                  .withConfig(config)
                  .withHttpClientBuilderConsumer(
                      b -> b.addOrReplaceInterceptor("bench-write-counter", counter))
                  .build();
          HikariDataSource db =
              pool(control.jdbcUrl("wingu"), control.superuserPassword(), WORKERS + 4);
          HikariDataSource tenantAdmin =
              pool(tenants.jdbcUrl("postgres"), tenants.superuserPassword(), WORKERS + 2)) {
        printEnvironment(client, control);
        TenantDatabases databases =
            new TenantDatabases(tenantAdmin, client, "127.0.0.1", tenants.port());
        databases.lockDownServer();
        // as in the Provisioner: an informer event about a tenant's object wakes that tenant
        boolean gateway = ROUTINGS.contains("gateway");
        if (gateway) {
          GatewayApiCrds.install(client);
        }
        try (LiveObjects live =
            new LiveObjects(
                client,
                code -> {
                  ReconcileQueue q = CURRENT_QUEUE;
                  UUID id = INSTITUTIONS_BY_CODE.get(code);
                  if (q != null && id != null) {
                    q.enqueue(id);
                  }
                },
                0,
                gateway ? SiteRoutes.KINDS : List.of())) {
          ServerSideApply apply = new ServerSideApply(client, live);
          java.util.function.Function<TenantReconciler.Settings, TenantReconciler> reconcilerFor =
              settings ->
                  new TenantReconciler(
                      db,
                      new TenantStore(),
                      client,
                      apply,
                      live,
                      databases,
                      settings,
                      Clock.systemUTC());
          TenantReconciler reconciler = reconcilerFor.apply(settings());
          TenantReconciler routedByGateway =
              reconcilerFor.apply(
                  settings()
                      .routedBy(
                          new SiteRoutes.Gateway("wingu", "wingu-gateway", "letsencrypt"),
                          List.of()));
          List<UUID> last = List.of();
          // the tenants provisioned last are resynced by the reconciler that made them
          TenantReconciler lastReconciler = reconciler;
          if (WARM_UP > 0) {
            for (String routing : ROUTINGS) {
              runReconciler(
                  "warm-up " + routing + ", not counted",
                  WARM_UP,
                  true,
                  db,
                  routing.equals("gateway") ? routedByGateway : reconciler);
            }
          }
          for (int n : sizes) {
            // each phase starts with both servers' earlier writes on disk, not left to its
            // checkpoints
            Map<String, long[]> byRouting = new java.util.LinkedHashMap<>();
            for (String routing : ROUTINGS) {
              checkpoint(db, tenantAdmin);
              lastReconciler = routing.equals("gateway") ? routedByGateway : reconciler;
              last =
                  runReconciler(
                      "wingu " + routing + ", with databases", n, true, db, lastReconciler);
              byRouting.put(routing, LAST_LATENCIES);
            }
            if (byRouting.size() == 2) {
              long ingress = median(byRouting.get("ingress"));
              long viaGateway = median(byRouting.get("gateway"));
              System.out.printf(
                  "routing N=%d, one mode after the other: time-to-ready p50 ingress %d ms,"
                      + " gateway %d ms: gateway %+.1f %%%n",
                  n, ingress, viaGateway, 100.0 * (viaGateway - ingress) / ingress);
              // the fairer figure on a shared machine: both modes in the same period
              checkpoint(db, tenantAdmin);
              runReconciler(
                  "wingu ingress+gateway in turns",
                  2 * n,
                  true,
                  db,
                  List.of(reconciler, routedByGateway));
              long[] i = LAST_BY_RECONCILER.get(0);
              long[] g = LAST_BY_RECONCILER.get(1);
              System.out.printf(
                  "routing N=%d each, in turns: time-to-ready ingress %s, gateway %s:"
                      + " gateway p50 %+.1f %%%n",
                  n, p50p99(i), p50p99(g), 100.0 * (median(g) - median(i)) / median(i));
            }
            checkpoint(db, tenantAdmin);
            runReconciler("wingu, without databases", n, false, db, reconciler);
            checkpoint(db, tenantAdmin);
            runDatabasesOnly(n, databases);
            checkpoint(db, tenantAdmin);
            if (KUBECTL_PROCESSES > 0) {
              runKubectl(n, kubeconfig, dir);
            }
          }
          resync(last, client, counter, apply, lastReconciler);
        }
      }
    }
    TempDirs.delete(dir);
    System.exit(0);
  }

  static TenantReconciler.Settings settings() {
    return new TenantReconciler.Settings(
        SiteDeployments.DEFAULT_IMAGE,
        new SiteIngresses.Edge("nginx", "letsencrypt"),
        new NetworkPolicies.Doors("ingress-nginx", "127.0.0.1/32", 5432),
        Optional.empty(),
        Duration.ofDays(30));
  }

  /**
   * Approves N tenants (one site each) at a steady rate, as operators' approvals would arrive, each
   * waking the reconciler; time-to-ready counts from each tenant's own approval.
   */
  static List<UUID> runReconciler(
      String label, int n, boolean withDatabase, HikariDataSource db, TenantReconciler reconciler)
      throws Exception {
    return runReconciler(label, n, withDatabase, db, List.of(reconciler));
  }

  /**
   * As above, the tenants taking turns between {@code reconcilers} (tenant i is reconciled by
   * reconciler i mod k) on one queue: each reconciler's tenants arrive in the same period and meet
   * the same machine, so their times compare even on a busy machine. {@link #LAST_BY_RECONCILER}
   * holds each one's time-to-ready.
   */
  static List<UUID> runReconciler(
      String label,
      int n,
      boolean withDatabase,
      HikariDataSource db,
      List<TenantReconciler> reconcilers)
      throws Exception {
    String run = Long.toString(System.nanoTime() % 1_000_000, 36);
    List<UUID> institutions = new ArrayList<>();
    Map<UUID, Instant> approvedAt = new java.util.concurrent.ConcurrentHashMap<>();
    Map<UUID, Integer> turnOfInstitution = new java.util.concurrent.ConcurrentHashMap<>();
    Map<UUID, Integer> turnOfSite = new java.util.concurrent.ConcurrentHashMap<>();
    ReconcileQueue queue =
        new ReconcileQueue(
            id -> reconcilers.get(turnOfInstitution.getOrDefault(id, 0)).reconcile(id), WORKERS);
    CURRENT_QUEUE = queue;
    long intervalNanos = (long) (1e9 / RATE);
    CpuUse cpu = CpuUse.now();
    long start = System.nanoTime();
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      for (int i = 0; i < n; i++) {
        long due = start + i * intervalNanos;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        UUID inst = UUID.randomUUID();
        UUID site = UUID.randomUUID();
        String code = "b" + run + (withDatabase ? "d" : "n") + i;
        INSTITUTIONS_BY_CODE.put(code, inst);
        turnOfInstitution.put(inst, i % reconcilers.size());
        turnOfSite.put(site, i % reconcilers.size());
        insertApprovedTenant(c, inst, code, site, withDatabase);
        c.commit();
        approvedAt.put(site, Instant.now());
        institutions.add(inst);
        queue.enqueue(inst);
      }
    }
    Map<UUID, Instant> ready =
        awaitReady(db, new ArrayList<>(approvedAt.keySet()), withDatabase, Duration.ofMinutes(15));
    Instant first = approvedAt.values().stream().min(Instant::compareTo).orElseThrow();
    Instant last = ready.values().stream().max(Instant::compareTo).orElseThrow();
    double seconds = Duration.between(first, last).toMillis() / 1e3;
    long[] latencies =
        ready.entrySet().stream()
            .mapToLong(
                e ->
                    Math.max(
                        0, Duration.between(approvedAt.get(e.getKey()), e.getValue()).toMillis()))
            .toArray();
    queue.close();
    LAST_LATENCIES = latencies;
    List<long[]> byReconciler = new ArrayList<>();
    for (int k = 0; k < reconcilers.size(); k++) {
      int turn = k;
      byReconciler.add(
          ready.entrySet().stream()
              .filter(e -> turnOfSite.get(e.getKey()) == turn)
              .mapToLong(
                  e ->
                      Math.max(
                          0, Duration.between(approvedAt.get(e.getKey()), e.getValue()).toMillis()))
              .toArray());
    }
    LAST_BY_RECONCILER = byReconciler;
    System.out.printf(
        "%-28s N=%5d  %7.1f tenants/s  time-to-ready %s  (approvals at %d/s, %d workers)%n",
        label, n, n / seconds, p50p99(latencies), RATE, WORKERS);
    System.out.println(CpuUse.now().since(cpu, n, "tenant"));
    return institutions;
  }

  static void insertApprovedTenant(
      Connection c, UUID inst, String code, UUID site, boolean withDatabase) throws Exception {
    UUID request = UUID.randomUUID();
    Timestamp now = Timestamp.from(Instant.now());
    try (PreparedStatement st =
        c.prepareStatement(
            "INSERT INTO institution (id, code, name, contact_email) VALUES (?, ?, ?, ?)")) {
      st.setObject(1, inst);
      st.setString(2, code);
      st.setString(3, code);
      st.setString(4, "ict@" + code + ".go.tz");
      st.executeUpdate();
    }
    try (PreparedStatement st =
        c.prepareStatement(
            "INSERT INTO institution_domain (domain, institution_id) VALUES (?, ?)")) {
      st.setString(1, code + ".go.tz");
      st.setObject(2, inst);
      st.executeUpdate();
    }
    UUID small = UUID.fromString("00000000-0000-4000-8000-000000000001");
    try (PreparedStatement st =
        c.prepareStatement(
            "INSERT INTO hosting_request (id, institution_id, site_name, hostnames,"
                + " plan_id, justification, status, cpu_millis, memory_bytes, storage_bytes, site_id, created_by, created_at,"
                + " updated_at) VALUES (?, ?, 'portal', ?, ?, 'bench', 'APPROVED', 500, 536870912, 5368709120, ?, 'bench', ?, ?)")) {
      st.setObject(1, request);
      st.setObject(2, inst);
      st.setArray(3, c.createArrayOf("text", new Object[] {"www." + code + ".go.tz"}));
      st.setObject(4, small);
      st.setObject(5, site);
      st.setTimestamp(6, now);
      st.setTimestamp(7, now);
      st.executeUpdate();
    }
    try (PreparedStatement st =
        c.prepareStatement(
            "INSERT INTO site (id, institution_id, request_id, name, hostnames,"
                + " plan_id, cpu_millis, memory_bytes, storage_bytes, database_engine, database_plan_id, status, created_at,"
                + " updated_at) VALUES (?, ?, ?, 'portal', ?, ?, 500, 536870912, 5368709120, ?, ?, 'PROVISIONING', ?, ?)")) {
      st.setObject(1, site);
      st.setObject(2, inst);
      st.setObject(3, request);
      st.setArray(4, c.createArrayOf("text", new Object[] {"www." + code + ".go.tz"}));
      st.setObject(5, small);
      st.setString(6, withDatabase ? "postgresql" : null);
      st.setObject(7, withDatabase ? small : null);
      st.setTimestamp(8, now);
      st.setTimestamp(9, now);
      st.executeUpdate();
    }
    try (PreparedStatement st =
        c.prepareStatement("INSERT INTO site_hostname (hostname, site_id) VALUES (?, ?)")) {
      st.setString(1, "www." + code + ".go.tz");
      st.setObject(2, site);
      st.executeUpdate();
    }
  }

  /** When each site's conditions became all true (from the reconciler's own transition times). */
  static Map<UUID, Instant> awaitReady(
      HikariDataSource db, List<UUID> sites, boolean withDatabase, Duration timeout)
      throws Exception {
    Map<UUID, Instant> ready = new HashMap<>();
    Instant end = Instant.now().plus(timeout);
    String needed =
        "conditions @> '[{\"type\":\"NamespaceReady\",\"status\":\"True\"},"
            + "{\"type\":\"QuotaApplied\",\"status\":\"True\"},{\"type\":\"Deployed\",\"status\":\"True\"}"
            + (withDatabase ? ",{\"type\":\"DatabaseReady\",\"status\":\"True\"}" : "")
            + "]'";
    while (ready.size() < sites.size() && Instant.now().isBefore(end)) {
      // only the sites not ready yet, four times a second: the poll takes little from the machine
      Object[] pending = sites.stream().filter(id -> !ready.containsKey(id)).toArray();
      try (Connection c = db.getConnection();
          PreparedStatement st =
              c.prepareStatement(
                  "SELECT id, (SELECT max((e->>'lastTransitionTime')::timestamptz) FROM jsonb_array_elements(conditions) e"
                      + " WHERE e->>'type' <> 'Available') FROM site WHERE id = ANY (?) AND "
                      + needed)) {
        st.setArray(1, c.createArrayOf("uuid", pending));
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            ready.putIfAbsent(rs.getObject(1, UUID.class), rs.getTimestamp(2).toInstant());
          }
        }
      }
      Thread.sleep(250);
    }
    if (ready.size() < sites.size()) {
      throw new IllegalStateException(
          (sites.size() - ready.size()) + " tenants not ready in " + timeout);
    }
    return ready;
  }

  /**
   * The database part alone: N roles and databases made on the tenant server as the reconciler
   * makes them (TenantDatabases.ensureOnServer), as many at a time as there are workers.
   */
  static void runDatabasesOnly(int n, TenantDatabases databases) throws Exception {
    String run = Long.toString(System.nanoTime() % 1_000_000, 36);
    ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
    CpuUse cpu = CpuUse.now();
    Instant start = Instant.now();
    List<Future<Long>> done = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String name = "bench_db_" + run + "_" + i;
      done.add(
          pool.submit(
              () -> {
                long began = System.nanoTime();
                databases.ensureOnServer(name, 10, true);
                return (System.nanoTime() - began) / 1_000_000;
              }));
    }
    long[] latencies = new long[n];
    for (int i = 0; i < n; i++) {
      latencies[i] = done.get(i).get();
    }
    double seconds = Duration.between(start, Instant.now()).toMillis() / 1e3;
    pool.shutdown();
    System.out.printf(
        "%-28s N=%5d  %7.1f databases/s  per database %s  (%d at a time, no Kubernetes)%n",
        "database part alone", n, n / seconds, p50p99(latencies), WORKERS);
    System.out.println(CpuUse.now().since(cpu, n, "database"));
  }

  /**
   * The same objects, pre-rendered, applied by kubectl --server-side, a few processes at a time.
   */
  static void runKubectl(int n, Path kubeconfig, Path dir) throws Exception {
    String run = Long.toString(System.nanoTime() % 1_000_000, 36);
    List<Path> manifests = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String code = "k" + run + "x" + i;
      Tenant.Site site =
          new Tenant.Site(
              UUID.randomUUID(),
              "portal",
              List.of("www." + code + ".go.tz"),
              500,
              536870912L,
              5368709120L,
              "PROVISIONING",
              new Tenant.Database(1L << 30, 10),
              null);
      Tenant t = new Tenant(UUID.randomUUID(), code, List.of(code + ".go.tz"), List.of(site));
      List<HasMetadata> objects = new ArrayList<>();
      objects.add(Namespaces.desired(t));
      objects.add(ServiceAccounts.desired(t));
      objects.add(ResourceQuotas.desired(t));
      objects.add(LimitRanges.desired(t));
      objects.addAll(NetworkPolicies.desired(t, settings().doors()));
      objects.add(SiteDeployments.desired(t, site, settings().siteImage()));
      objects.add(SiteServices.desired(t, site));
      objects.add(SiteIngresses.desired(t, site, settings().edge()));
      objects.add(
          DatabaseSecrets.desired(
              t, site, new DatabaseSecrets.Credentials("127.0.0.1", 5432, "db", "db", "x")));
      StringBuilder yaml = new StringBuilder();
      for (HasMetadata o : objects) {
        yaml.append("---\n")
            .append(
                io.fabric8.kubernetes.client.utils.Serialization.asYaml(o)
                    .replaceFirst("^---\n", ""));
      }
      Path file = dir.resolve("kubectl-" + code + ".yaml");
      Files.writeString(file, yaml);
      manifests.add(file);
    }
    String kubectl = LocalKubernetes.binaryFolder().resolve("kubectl").toString();
    ExecutorService pool = Executors.newFixedThreadPool(KUBECTL_PROCESSES);
    CpuUse cpu = CpuUse.now();
    Instant start = Instant.now();
    List<Future<Long>> done = new ArrayList<>();
    for (Path m : manifests) {
      done.add(
          pool.submit(
              () -> {
                Process p =
                    new ProcessBuilder(
                            kubectl,
                            "--kubeconfig",
                            kubeconfig.toString(),
                            "apply",
                            "--server-side",
                            "--field-manager",
                            "kubectl-bench",
                            "-f",
                            m.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
                if (p.waitFor() != 0) {
                  throw new IllegalStateException("kubectl apply failed for " + m);
                }
                return Duration.between(start, Instant.now()).toMillis();
              }));
    }
    long[] latencies = new long[done.size()];
    for (int i = 0; i < done.size(); i++) {
      latencies[i] = done.get(i).get();
    }
    double seconds = Duration.between(start, Instant.now()).toMillis() / 1e3;
    pool.shutdown();
    System.out.printf(
        "%-28s N=%5d  %7.1f tenants/s  time-to-applied %s  (%d kubectl processes at a time, no databases)%n",
        "kubectl apply --server-side", n, n / seconds, p50p99(latencies), KUBECTL_PROCESSES);
    System.out.println(
        CpuUse.now().since(cpu, n, "tenant") + " (kubectl processes that ended are not counted)");
  }

  /** Reconciles every tenant again with nothing changed: no write may reach the API server. */
  static void resync(
      List<UUID> institutions,
      KubernetesClient client,
      WriteCounter counter,
      ServerSideApply apply,
      TenantReconciler reconciler)
      throws Exception {
    Map<String, String> before = resourceVersions(client);
    long writes = counter.writes.get();
    long reads = counter.reads.get();
    Instant start = Instant.now();
    ReconcileQueue queue = new ReconcileQueue(reconciler::reconcile, WORKERS);
    CURRENT_QUEUE = queue;
    institutions.forEach(queue::enqueue);
    while (queue.busy()) {
      Thread.sleep(20);
    }
    queue.close();
    double seconds = Duration.between(start, Instant.now()).toMillis() / 1e3;
    Map<String, String> after = resourceVersions(client);
    long changed =
        before.entrySet().stream().filter(e -> !e.getValue().equals(after.get(e.getKey()))).count();
    System.out.printf(
        "resync of %d unchanged tenants: %.1f s, %d writes (POST/PUT/PATCH/DELETE) counted by the client"
            + " interceptor, %d reads, %d of %d objects with a changed resourceVersion%n",
        institutions.size(),
        seconds,
        counter.writes.get() - writes,
        counter.reads.get() - reads,
        changed,
        before.size());
  }

  static Map<String, String> resourceVersions(KubernetesClient client) {
    Map<String, String> out = new HashMap<>();
    String label = "app.kubernetes.io/managed-by";
    client.namespaces().withLabel(label, "wingu").list().getItems().forEach(o -> put(out, o));
    client
        .resourceQuotas()
        .inAnyNamespace()
        .withLabel(label, "wingu")
        .list()
        .getItems()
        .forEach(o -> put(out, o));
    client
        .limitRanges()
        .inAnyNamespace()
        .withLabel(label, "wingu")
        .list()
        .getItems()
        .forEach(o -> put(out, o));
    client
        .network()
        .v1()
        .networkPolicies()
        .inAnyNamespace()
        .withLabel(label, "wingu")
        .list()
        .getItems()
        .forEach(o -> put(out, o));
    client
        .serviceAccounts()
        .inAnyNamespace()
        .withLabel(label, "wingu")
        .list()
        .getItems()
        .forEach(o -> put(out, o));
    client
        .services()
        .inAnyNamespace()
        .withLabel(label, "wingu")
        .list()
        .getItems()
        .forEach(o -> put(out, o));
    client
        .apps()
        .deployments()
        .inAnyNamespace()
        .withLabel(label, "wingu")
        .list()
        .getItems()
        .forEach(o -> put(out, o));
    client
        .network()
        .v1()
        .ingresses()
        .inAnyNamespace()
        .withLabel(label, "wingu")
        .list()
        .getItems()
        .forEach(o -> put(out, o));
    client
        .secrets()
        .inAnyNamespace()
        .withLabel(label, "wingu")
        .list()
        .getItems()
        .forEach(o -> put(out, o));
    return out;
  }

  private static void put(Map<String, String> out, HasMetadata o) {
    out.put(
        o.getKind() + "/" + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName(),
        o.getMetadata().getResourceVersion());
  }

  /** "p50 … ms p99 … ms" of latencies in milliseconds, as every phase prints them. */
  static String p50p99(long[] millis) {
    long[] sorted = millis.clone();
    Arrays.sort(sorted);
    return String.format(
        "p50 %6d ms  p99 %6d ms",
        median(millis), sorted[(int) Math.ceil(sorted.length * 0.99) - 1]);
  }

  static long median(long[] millis) {
    long[] sorted = millis.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  static void checkpoint(HikariDataSource... servers) throws Exception {
    for (HikariDataSource server : servers) {
      try (Connection c = server.getConnection();
          var st = c.createStatement()) {
        st.execute("CHECKPOINT");
      }
    }
  }

  static HikariDataSource pool(String url, String password, int size) {
    HikariConfig h = new HikariConfig();
    h.setJdbcUrl(url);
    h.setUsername(LocalPostgres.SUPERUSER);
    h.setPassword(password);
    h.setMaximumPoolSize(size);
    return new HikariDataSource(h);
  }

  static void migrate(LocalPostgres control) {
    org.flywaydb.core.Flyway.configure()
        .dataSource(control.jdbcUrl("wingu"), LocalPostgres.SUPERUSER, control.superuserPassword())
        .load()
        .migrate();
  }

  static void printEnvironment(KubernetesClient client, LocalPostgres control) throws Exception {
    System.out.printf(
        "kube-apiserver %s + etcd (kube-api-test) on this machine, %d cores; PostgreSQL for state and"
            + " a second one for tenant databases%n",
        client.getKubernetesVersion().getGitVersion(), Runtime.getRuntime().availableProcessors());
  }
}
