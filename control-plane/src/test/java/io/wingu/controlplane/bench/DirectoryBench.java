package io.wingu.controlplane.bench;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressRuleValueBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRuleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.app.WinguConfig;
import io.wingu.controlplane.directory.DirectorySearch;
import io.wingu.controlplane.directory.DirectorySql;
import io.wingu.controlplane.provisioning.Labels;
import io.wingu.controlplane.scorecard.EvidenceSql;
import io.wingu.controlplane.scorecard.TlsEvidence;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.FreePort;
import io.wingu.controlplane.testing.TempDirs;
import io.wingu.controlplane.wiring.ControlPlane;
import io.wingu.dev.LocalKubernetes;
import io.wingu.dev.LocalPostgres;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The directory and scorecard benchmark: 5,000 institutions with 50,000 bilingual service entries,
 * a live site each (revision, accessibility check, content, Ingress with TLS on the API server),
 * ICT systems, quota alerts and rejected requests; then GET /api/v1/public/directory from 100
 * closed-loop clients, once with questions from a fixed pool (repeats hit the server's answer
 * cache) and once with every question distinct (the cache never hits); then the time to compute the
 * month's scorecard draft and to publish it. Run it with bench/directory/run.sh.
 */
public final class DirectoryBench {

  static final double SEARCH_P99_TARGET_MS = 50;
  static final double SCORECARD_TARGET_S = 30;
  static final String[] NAMESPACES = {
    "wingu-sites-a", "wingu-sites-b", "wingu-sites-c", "wingu-sites-d", "wingu-sites-e"
  };

  public static void main(String[] args) throws Exception {
    int institutions = Integer.getInteger("bench.institutions", 5_000);
    int services = Integer.getInteger("bench.services", 50_000);
    int clients = Integer.getInteger("bench.clients", 100);
    int seconds = Integer.getInteger("bench.seconds", 30);
    int poolQuestions = Integer.getInteger("bench.questions", 2_000);
    String poolSize = System.getProperty("bench.pool", "16");
    boolean explain = Boolean.parseBoolean(System.getProperty("bench.explain", "true"));
    Path dir = TempDirs.create("wingu-directory-bench");
    try (LocalPostgres pg =
            LocalPostgres.start(dir.resolve("pg"), FreePort.find(), "bench-superuser-password");
        LocalKubernetes kube = LocalKubernetes.start()) {
      Map<String, String> env =
          BenchSetup.environment(pg, kube.writeKubeconfig(dir.resolve("kubeconfig")), dir);
      // the reconciler runs on another replica (it holds the Lease): the loaded sites stay as
      // loaded
      BenchSetup.holdReconcilerLease(kube);
      env.put("WINGU_LEADER_ELECTION", "true");
      env.put("WINGU_DB_POOL_SIZE", poolSize);
      try (ControlPlane plane = ControlPlane.start(WinguConfig.from(env));
          KubernetesClient admin =
              new KubernetesClientBuilder()
                  .withConfig(Config.fromKubeconfig(kube.kubeconfigYaml()))
                  .build()) {
        System.out.printf(
            "machine: %d cores; load generator, control plane (WINGU_DB_POOL_SIZE=%s), PostgreSQL and"
                + " kube-apiserver on this machine%n",
            Runtime.getRuntime().availableProcessors(), poolSize);
        ApiClient operator =
            ApiClient.signIn(plane.url(), "operator", BenchSetup.OPERATOR_PASSWORD);
        Map<String, String> templates = new LinkedHashMap<>();
        for (Object o : operator.get("/api/v1/templates").array()) {
          JsonObject t = (JsonObject) o;
          templates.put(t.getString("id"), t.getString("version"));
        }

        Random rnd = new Random(42);
        List<DirectoryBenchData.Institution> insts = DirectoryBenchData.institutions(institutions);
        List<Site> sites;
        long t0 = System.nanoTime();
        try (Connection c = superuser(pg)) {
          sites = load(c, rnd, insts, services, templates);
        }
        double sqlSeconds = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        createIngresses(admin, sites);
        double kubeSeconds = (System.nanoTime() - t1) / 1e9;
        System.out.printf(
            "loaded %,d institutions, %,d directory entries, %,d live sites with revisions, checks and"
                + " content, ICT systems, alerts and rejected requests in %.1f s (SQL batches, then VACUUM ANALYZE);"
                + " %,d Ingresses over %d namespaces in %.1f s%n",
            insts.size(),
            services,
            sites.size(),
            sqlSeconds,
            sites.size(),
            NAMESPACES.length,
            kubeSeconds);

        int hold = Integer.getInteger("bench.holdSeconds", 0);
        if (hold > 0) {
          // for looking at the loaded data by hand (EXPLAIN, new indexes) before the load runs
          System.out.printf(
              "holding %d s: psql postgresql://%s:%s@127.0.0.1:%d/wingu%n",
              hold, LocalPostgres.SUPERUSER, pg.superuserPassword(), pg.port());
          Thread.sleep(hold * 1000L);
        }
        directory(plane.url(), clients, seconds, poolQuestions);
        if (explain) {
          explainSearches(pg);
        }
        scorecard(plane.url(), operator.token(), pg, admin, templates);
      }
    }
    TempDirs.delete(dir);
    System.exit(0);
  }

  /** A site as loaded: what its Ingress names. */
  record Site(String code, String name, List<String> hostnames, int tls) {}

  private static Connection superuser(LocalPostgres pg) throws Exception {
    Properties p = new Properties();
    p.setProperty("user", LocalPostgres.SUPERUSER);
    p.setProperty("password", pg.superuserPassword());
    // multi-row INSERTs: far fewer statements (and fewer runs of the directory_version trigger)
    p.setProperty("reWriteBatchedInserts", "true");
    return DriverManager.getConnection(pg.jdbcUrl("wingu"), p);
  }

  // ---------------------------------------------------------------------------------------------
  // Loading

  private static List<Site> load(
      Connection c,
      Random rnd,
      List<DirectoryBenchData.Institution> insts,
      int services,
      Map<String, String> templates)
      throws Exception {
    c.setAutoCommit(false);
    UUID small = UUID.fromString("00000000-0000-4000-8000-000000000001");
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    OffsetDateTime monthStart =
        YearMonth.now(ZoneOffset.UTC).atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC);
    long sinceMonthStart = Duration.between(monthStart.toInstant(), now).getSeconds();
    LocalDate today = now.atOffset(ZoneOffset.UTC).toLocalDate();
    List<String> templateIds = List.copyOf(templates.keySet());
    List<String> systemCategories = io.wingu.controlplane.systems.SystemEntry.CATEGORIES;
    List<String> hostings = io.wingu.controlplane.systems.SystemEntry.HOSTINGS;

    // one bundle shared by every revision
    byte[] bundle = "benchmark bundle".getBytes(StandardCharsets.UTF_8);
    String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bundle));
    try (var st =
        c.prepareStatement(
            "INSERT INTO content_blob (digest, bytes, size, created_at) VALUES (?, ?, ?, ?)")) {
      st.setString(1, digest);
      st.setBytes(2, bundle);
      st.setLong(3, bundle.length);
      st.setTimestamp(4, Timestamp.from(now));
      st.executeUpdate();
    }

    UUID[] ids = new UUID[insts.size()];
    List<Site> sites = new ArrayList<>();
    try (PreparedStatement inst =
            c.prepareStatement(
                "INSERT INTO institution (id, code, name, name_sw, contact_email, created_at) VALUES (?, ?, ?, ?, ?, ?)");
        PreparedStatement dom =
            c.prepareStatement(
                "INSERT INTO institution_domain (domain, institution_id) VALUES (?, ?)");
        PreparedStatement req =
            c.prepareStatement(
                "INSERT INTO hosting_request (id, institution_id, site_name,"
                    + " hostnames, plan_id, template_id, justification, status, rejection_kind,"
                    + " cpu_millis, memory_bytes, storage_bytes,"
                    + " site_id, created_by, created_at, updated_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, 'benchmark', ?, ?, 500, 536870912, 5368709120, ?, 'bench', ?, ?)");
        PreparedStatement site =
            c.prepareStatement(
                "INSERT INTO site (id, institution_id, request_id, name, hostnames,"
                    + " plan_id, template_id, cpu_millis, memory_bytes, storage_bytes, status, conditions,"
                    + " created_at, updated_at)"
                    + " VALUES (?, ?, ?, 'portal', ?, ?, ?, 500, 536870912, 5368709120, 'ACTIVE',"
                    // served, as the public directory lists only served sites
                    + " '[{\"type\": \"Available\", \"status\": \"True\", \"reason\": \"MinimumReplicasAvailable\","
                    + " \"message\": \"1 replica(s) available\", \"lastTransitionTime\": \"2026-01-01T00:00:00Z\"}]'::jsonb,"
                    + " ?, ?)");
        PreparedStatement host =
            c.prepareStatement("INSERT INTO site_hostname (hostname, site_id) VALUES (?, ?)");
        PreparedStatement rev =
            c.prepareStatement(
                "INSERT INTO site_revision (site_id, revision, digest, template_id,"
                    + " template_version, parameters, content, created_at, created_by) VALUES (?, 1, ?, ?, ?, '{}'::jsonb,"
                    + " '{}'::jsonb, ?, 'bench')");
        PreparedStatement chk =
            c.prepareStatement(
                "INSERT INTO site_revision_check (site_id, revision, passed,"
                    + " findings, checked_at) VALUES (?, 1, ?, ?::jsonb, ?)");
        PreparedStatement content =
            c.prepareStatement(
                "INSERT INTO site_content (site_id, kind, slug, title, body,"
                    + " published_at, updated_at, updated_by) VALUES (?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, 'bench')");
        PreparedStatement sys =
            c.prepareStatement(
                "INSERT INTO ict_system (id, institution_id, name, purpose,"
                    + " category, hosting, built_by, users, reviewed_at, created_at, updated_at, updated_by)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'bench')");
        PreparedStatement alert =
            c.prepareStatement(
                "INSERT INTO usage_alert (institution_id, resource, threshold,"
                    + " day, used, quota, raised_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      for (int i = 0; i < insts.size(); i++) {
        DirectoryBenchData.Institution in = insts.get(i);
        UUID id = UUID.randomUUID();
        ids[i] = id;
        Instant created = now.minus(400 + rnd.nextInt(400), ChronoUnit.DAYS);
        inst.setObject(1, id);
        inst.setString(2, in.code());
        inst.setString(3, in.name());
        inst.setString(4, in.nameSw());
        inst.setString(5, "ict@" + in.domain());
        inst.setTimestamp(6, Timestamp.from(created));
        inst.addBatch();
        dom.setString(1, in.domain());
        dom.setObject(2, id);
        dom.addBatch();

        // one live site: its approved request, hostnames, current revision, accessibility check,
        // content
        UUID requestId = UUID.randomUUID();
        UUID siteId = UUID.randomUUID();
        List<String> hostnames = List.of("www." + in.domain(), in.domain());
        Instant siteCreated = created.plus(1 + rnd.nextInt(300), ChronoUnit.DAYS);
        String templateId = DirectoryBenchData.pick(rnd, templateIds);
        String version = rnd.nextInt(10) < 7 ? templates.get(templateId) : "0.9.0";
        request(
            req,
            c,
            requestId,
            id,
            "portal",
            hostnames,
            small,
            templateId,
            "APPROVED",
            null,
            siteId,
            siteCreated.minus(1, ChronoUnit.DAYS),
            siteCreated);
        site.setObject(1, siteId);
        site.setObject(2, id);
        site.setObject(3, requestId);
        site.setArray(4, c.createArrayOf("text", hostnames.toArray()));
        site.setObject(5, small);
        site.setString(6, templateId);
        site.setTimestamp(7, Timestamp.from(siteCreated));
        site.setTimestamp(8, Timestamp.from(siteCreated));
        site.addBatch();
        for (String h : hostnames) {
          host.setString(1, h);
          host.setObject(2, siteId);
          host.addBatch();
        }
        Instant deployed = now.minus(rnd.nextInt(200 * 24), ChronoUnit.HOURS);
        if (deployed.isBefore(siteCreated)) {
          deployed = siteCreated.plus(1, ChronoUnit.HOURS);
        }
        rev.setObject(1, siteId);
        rev.setString(2, digest);
        rev.setString(3, templateId);
        rev.setString(4, version);
        rev.setTimestamp(5, Timestamp.from(deployed));
        rev.addBatch();
        boolean passed = rnd.nextInt(10) < 8;
        chk.setObject(1, siteId);
        chk.setBoolean(2, passed);
        chk.setString(
            3, passed ? "[]" : "[{\"rule\":\"image-alt\",\"page\":\"index.html\",\"count\":2}]");
        chk.setTimestamp(4, Timestamp.from(deployed));
        chk.addBatch();
        int items = rnd.nextInt(5);
        for (int k = 0; k < items; k++) {
          boolean news = k % 2 == 1;
          Instant updated = now.minus(rnd.nextInt(200 * 24), ChronoUnit.HOURS);
          content.setObject(1, siteId);
          content.setString(2, news ? "news" : "pages");
          content.setString(3, (news ? "habari-" : "ukurasa-") + k);
          content.setString(
              4,
              new JsonObject()
                  .put("sw", news ? "Habari " + k : "Kuhusu sisi")
                  .put("en", news ? "News " + k : "About us")
                  .encode());
          content.setString(
              5,
              new JsonObject()
                  .put("sw", "Maelezo ya taasisi.")
                  .put("en", "About the institution.")
                  .encode());
          content.setObject(6, news ? updated.atOffset(ZoneOffset.UTC).toLocalDate() : null);
          content.setTimestamp(7, Timestamp.from(updated));
          content.addBatch();
        }
        int tls = rnd.nextInt(20);
        sites.add(new Site(in.code(), "portal", hostnames, tls < 18 ? 2 : tls < 19 ? 1 : 0));

        // the ICT systems register: reviews recent and overdue
        int systems = rnd.nextInt(5);
        for (int k = 0; k < systems; k++) {
          sys.setObject(1, UUID.randomUUID());
          sys.setObject(2, id);
          sys.setString(
              3,
              DirectoryBenchData.pick(
                      rnd,
                      List.of(
                          "Mfumo wa Malipo",
                          "HR Portal",
                          "Records System",
                          "e-Mrejesho",
                          "Maktaba ya Nyaraka",
                          "Revenue Collection",
                          "Patient Records"))
                  + " "
                  + (k + 1));
          sys.setString(4, "Benchmark system");
          sys.setString(5, DirectoryBenchData.pick(rnd, systemCategories));
          sys.setString(6, DirectoryBenchData.pick(rnd, hostings));
          sys.setString(7, rnd.nextBoolean() ? "in-house" : "a supplier");
          sys.setInt(8, rnd.nextInt(5000));
          sys.setObject(9, today.minusDays(rnd.nextInt(730)));
          sys.setTimestamp(10, Timestamp.from(created.plus(1, ChronoUnit.DAYS)));
          sys.setTimestamp(11, Timestamp.from(created.plus(1, ChronoUnit.DAYS)));
          sys.addBatch();
        }
        // quota alerts this month, at 80 % and 100 %
        if (rnd.nextInt(100) < 15) {
          String resource = DirectoryBenchData.pick(rnd, List.of("cpu", "memory", "storage"));
          for (int threshold : rnd.nextBoolean() ? new int[] {80, 100} : new int[] {80}) {
            LocalDate day = monthStart.toLocalDate().plusDays(rnd.nextInt(today.getDayOfMonth()));
            alert.setObject(1, id);
            alert.setString(2, resource);
            alert.setInt(3, threshold);
            alert.setObject(4, day);
            alert.setDouble(5, threshold * 1.01);
            alert.setDouble(6, 100);
            alert.setTimestamp(7, Timestamp.from(day.atStartOfDay().toInstant(ZoneOffset.UTC)));
            alert.addBatch();
          }
        }
        // requests rejected this month: "incomplete" counts against the institution
        if (rnd.nextInt(100) < 12) {
          Instant at = now.minusSeconds(rnd.nextLong(Math.max(1, sinceMonthStart)));
          request(
              req,
              c,
              UUID.randomUUID(),
              id,
              "extra",
              List.of("extra." + in.domain()),
              small,
              null,
              "REJECTED",
              rnd.nextInt(3) < 2 ? "incomplete" : "not-eligible",
              null,
              at.minus(1, ChronoUnit.DAYS),
              at);
        }
        if (i % 500 == 499 || i == insts.size() - 1) {
          for (PreparedStatement st :
              new PreparedStatement[] {inst, dom, req, site, host, rev, chk, content, sys, alert}) {
            st.executeBatch();
          }
        }
      }
    }
    try (var st = c.createStatement()) {
      st.executeUpdate("UPDATE site SET current_revision = 1");
    }
    try (PreparedStatement svc =
        c.prepareStatement(
            "INSERT INTO directory_service (id, institution_id, name_sw,"
                + " name_en, description_sw, description_en, url, category, region, created_at, updated_at, updated_by)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'bench')")) {
      for (int k = 0; k < services; k++) {
        int i = rnd.nextInt(insts.size());
        DirectoryBenchData.Service s = DirectoryBenchData.service(rnd, i);
        Instant at = now.minus(rnd.nextInt(300 * 24), ChronoUnit.HOURS);
        svc.setObject(1, UUID.randomUUID());
        svc.setObject(2, ids[i]);
        svc.setString(3, s.nameSw());
        svc.setString(4, s.nameEn());
        svc.setString(5, s.descriptionSw());
        svc.setString(6, s.descriptionEn());
        svc.setString(7, "https://huduma." + insts.get(i).domain() + "/" + k);
        svc.setString(8, s.category());
        svc.setString(9, s.region());
        svc.setTimestamp(10, Timestamp.from(at));
        svc.setTimestamp(11, Timestamp.from(at));
        svc.addBatch();
        if (k % 1000 == 999) {
          svc.executeBatch();
        }
      }
      svc.executeBatch();
    }
    c.commit();
    c.setAutoCommit(true);
    try (var st = c.createStatement()) {
      st.execute("VACUUM ANALYZE");
    }
    return sites;
  }

  private static void request(
      PreparedStatement req,
      Connection c,
      UUID id,
      UUID institution,
      String siteName,
      List<String> hostnames,
      UUID plan,
      String templateId,
      String status,
      String rejectionKind,
      UUID siteId,
      Instant created,
      Instant updated)
      throws Exception {
    req.setObject(1, id);
    req.setObject(2, institution);
    req.setString(3, siteName);
    req.setArray(4, c.createArrayOf("text", hostnames.toArray()));
    req.setObject(5, plan);
    req.setString(6, templateId);
    req.setString(7, status);
    req.setString(8, rejectionKind);
    req.setObject(9, siteId);
    req.setTimestamp(10, Timestamp.from(created));
    req.setTimestamp(11, Timestamp.from(updated));
    req.addBatch();
  }

  /**
   * Each site's Ingress as the provisioner writes it: most with TLS on every host, some partly,
   * some not.
   */
  private static void createIngresses(KubernetesClient admin, List<Site> sites) throws Exception {
    for (String ns : NAMESPACES) {
      admin
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < sites.size(); i++) {
        Site s = sites.get(i);
        String ns = NAMESPACES[i % NAMESPACES.length];
        done.add(
            pool.submit(
                () ->
                    admin
                        .network()
                        .v1()
                        .ingresses()
                        .inNamespace(ns)
                        .resource(ingress(s, ns))
                        .create()));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  private static Ingress ingress(Site s, String namespace) {
    List<IngressRule> rules =
        s.hostnames().stream()
            .map(
                h ->
                    new IngressRuleBuilder()
                        .withHost(h)
                        .withHttp(
                            new HTTPIngressRuleValueBuilder()
                                .addNewPath()
                                .withPath("/")
                                .withPathType("Prefix")
                                .withNewBackend()
                                .withNewService()
                                .withName(s.code() + "-" + s.name())
                                .withNewPort()
                                .withName("http")
                                .endPort()
                                .endService()
                                .endBackend()
                                .endPath()
                                .build())
                        .build())
            .toList();
    var b =
        new IngressBuilder()
            .withNewMetadata()
            .withName(s.code() + "-" + s.name())
            .withNamespace(namespace)
            .addToLabels(Labels.MANAGED_BY, Labels.WINGU)
            .addToLabels(Labels.INSTITUTION, s.code())
            .addToLabels(Labels.SITE, s.name())
            .endMetadata()
            .withNewSpec()
            .withIngressClassName("nginx")
            .withRules(rules);
    if (s.tls() > 0) {
      b.addNewTl()
          .withHosts(s.hostnames().subList(0, s.tls()))
          .withSecretName(s.name() + "-tls")
          .endTl();
    }
    return b.endSpec().build();
  }

  // ---------------------------------------------------------------------------------------------
  // The public directory

  private static void directory(URI base, int clients, int seconds, int poolQuestions)
      throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    System.out.println();
    for (String path :
        new String[] {
          "/api/v1/public/directory?lang=sw&q=afya",
          "/api/v1/public/directory?lang=en&q=birth%20certificate",
          "/api/v1/public/directory?lang=en",
          "/api/v1/public/directory?lang=sw&q=leseni&region=mwanza"
        }) {
      HttpResponse<byte[]> r =
          http.send(
              HttpRequest.newBuilder(base.resolve(path)).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      JsonObject page = new JsonObject(new String(r.body(), StandardCharsets.UTF_8));
      JsonArray items = page.getJsonArray("items");
      int entries = 0;
      for (Object o : items) {
        entries += ((JsonObject) o).getJsonArray("services").size();
      }
      System.out.printf(
          "answer to %s: %d, %,d bytes of JSON, %d institutions, %d services%n",
          path.substring(path.indexOf('?')),
          r.statusCode(),
          r.body().length,
          items.size(),
          entries);
    }

    Random rnd = new Random(7);
    List<String> pool = new ArrayList<>(poolQuestions);
    for (int i = 0; i < poolQuestions; i++) {
      pool.add(DirectoryBenchData.question(rnd));
    }
    Set<String> asked = new HashSet<>(pool);
    System.out.printf(
        "question vocabulary: %d words, %d word pairs (Swahili and English); realistic pool: %,d"
            + " questions (%,d distinct); the server keeps 2,000 answers%n",
        DirectoryBenchData.WORDS.size(),
        DirectoryBenchData.PAIRS.size(),
        pool.size(),
        new HashSet<>(pool).size());
    System.out.printf(
        "closed loop: %d clients, each sends its next request when its answer has arrived, %d s a run"
            + " (target p99 < %.0f ms)%n%n",
        clients, seconds, SEARCH_P99_TARGET_MS);
    System.out.println(ClosedLoopLoad.Result.header());
    try (ClosedLoopLoad load = new ClosedLoopLoad(base, clients)) {
      Random r = new Random(11);
      System.out.println(
          load.run(
                  "warm-up (distinct)",
                  Math.min(10, seconds),
                  () -> DirectoryBenchData.distinctQuestion(r, asked))
              .row());
      // first with the pool's answers not yet cached (as after any change to the directory, which
      // moves its version), then again with them all cached
      var filling =
          load.run("(a) realistic, cache filling", seconds, () -> DirectoryBenchData.pick(r, pool));
      System.out.println(filling.row());
      var realistic =
          load.run("(a) realistic, cache warm", seconds, () -> DirectoryBenchData.pick(r, pool));
      System.out.println(realistic.row());
      var distinct =
          load.run(
              "(b) all distinct: no cache",
              seconds,
              () -> DirectoryBenchData.distinctQuestion(r, asked));
      System.out.println(distinct.row());
      System.out.println();
      for (var res : List.of(filling, realistic, distinct)) {
        System.out.printf(
            "%s: p99 %.1f ms (target < %.0f ms: %s)%n",
            res.name(),
            res.p99Ms(),
            SEARCH_P99_TARGET_MS,
            res.errors() == 0 && res.p99Ms() < SEARCH_P99_TARGET_MS ? "met" : "MISSED");
      }
    }
  }

  /**
   * The search's own SQL for a few kinds of question, with EXPLAIN ANALYZE and its time alone (one
   * at a time, no HTTP), run through DirectoryStore.search itself.
   */
  private static void explainSearches(LocalPostgres pg) throws Exception {
    System.out.println();
    System.out.println(
        "DirectoryStore.search alone (its SQL over one direct connection, no HTTP, median of 20 runs):");
    DirectorySql store = new DirectorySql();
    List<DirectorySearch> searches =
        List.of(
            new DirectorySearch("afya", null, null, "sw", null, null),
            new DirectorySearch("birth certificate", null, null, "en", null, null),
            new DirectorySearch("mtandaoni", null, null, "sw", null, null),
            new DirectorySearch("huduma", null, null, "en", null, null),
            new DirectorySearch(null, null, null, "sw", null, null),
            new DirectorySearch(null, null, null, "en", null, null),
            new DirectorySearch("leseni", "business", null, "sw", null, null),
            new DirectorySearch(null, "health", "mwanza", "en", null, null));
    try (Connection c = superuser(pg)) {
      for (DirectorySearch s : searches) {
        long[] ms = new long[20];
        int rows = 0;
        for (int i = 0; i < ms.length; i++) {
          long t0 = System.nanoTime();
          rows = store.search(c, s, 51);
          ms[i] = (System.nanoTime() - t0) / 1000;
        }
        Arrays.sort(ms);
        System.out.printf(
            "  q=%s category=%s region=%s lang=%s: %d institutions, %.2f ms%n",
            s.q(), s.category(), s.region(), s.lang(), rows, ms[ms.length / 2] / 1000.0);
      }
      profile(store, c);
      System.out.println();
      System.out.println(
          "EXPLAIN (ANALYZE, BUFFERS) of the institutions query of DirectoryStore.search (the sites"
              + " and services of the page are read by institution id after it):");
      Connection explaining = explaining(c);
      for (DirectorySearch s : searches) {
        System.out.printf(
            "--- q=%s category=%s region=%s lang=%s%n", s.q(), s.category(), s.region(), s.lang());
        store.search(explaining, s, 51);
      }
    }
  }

  /** Words in (nearly) every entry's text, as the benchmark writes them. */
  private static final Set<String> COMMON =
      Set.of("huduma", "service", "taarifa", "information", "mtandaoni", "online");

  /**
   * DirectoryStore.search over 1,000 questions of the "all distinct" mix, one at a time, by kind of
   * question.
   */
  private static void profile(DirectorySql store, Connection c) throws Exception {
    Random rnd = new Random(99);
    Set<String> asked = new HashSet<>();
    Map<String, long[]> byKind = new java.util.TreeMap<>();
    long total = 0;
    for (int i = 0; i < 1_100; i++) {
      Map<String, String> p = new java.util.HashMap<>();
      String url = DirectoryBenchData.distinctQuestion(rnd, asked);
      for (String kv : url.substring(url.indexOf('?') + 1).split("&")) {
        int eq = kv.indexOf('=');
        p.put(
            kv.substring(0, eq),
            java.net.URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
      }
      DirectorySearch s =
          new DirectorySearch(
              p.get("q"), p.get("category"), p.get("region"), p.get("lang"), null, null);
      long t0 = System.nanoTime();
      store.search(c, s, Integer.parseInt(p.getOrDefault("limit", "50")) + 1);
      long t = System.nanoTime() - t0;
      if (i < 100) {
        continue; // warm-up: the statements reach their generic plans, as in the server's pool
      }
      String kind =
          (s.q() == null
                  ? "no q"
                  : s.q().contains(" ")
                      ? "q of two words"
                      : COMMON.contains(s.q().toLowerCase(java.util.Locale.ROOT))
                          ? "q of one common word"
                          : "q of one word")
              + (s.category() != null || s.region() != null ? ", with filters" : "");
      long[] k = byKind.computeIfAbsent(kind, x -> new long[2]);
      k[0]++;
      k[1] += t;
      total += t;
    }
    System.out.printf(
        "%nDirectoryStore.search over 1,000 questions of the all-distinct mix, one at a time:"
            + " %.2f ms each on average%n",
        total / 1e6 / 1000);
    for (var e : byKind.entrySet()) {
      System.out.printf(
          "  %-32s %4d questions, %6.2f ms each, %4.1f %% of the time%n",
          e.getKey(),
          e.getValue()[0],
          e.getValue()[1] / 1e6 / e.getValue()[0],
          100.0 * e.getValue()[1] / total);
    }
  }

  /** A connection whose prepared queries print their EXPLAIN (ANALYZE, BUFFERS) before running. */
  private static Connection explaining(Connection c) {
    return (Connection)
        Proxy.newProxyInstance(
            DirectoryBench.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, m, a) -> {
              Object out = invoke(c, m, a);
              if (m.getName().equals("prepareStatement") && a != null && a.length == 1) {
                String sql = (String) a[0];
                PreparedStatement real = (PreparedStatement) out;
                List<Object> params = new ArrayList<>();
                InvocationHandler h =
                    (p2, m2, a2) -> {
                      if (m2.getName().equals("setObject") && a2.length == 2) {
                        int i = (Integer) a2[0];
                        while (params.size() < i) {
                          params.add(null);
                        }
                        params.set(i - 1, a2[1]);
                      }
                      if (m2.getName().equals("setArray")) {
                        int i = (Integer) a2[0];
                        while (params.size() < i) {
                          params.add(null);
                        }
                        params.set(i - 1, a2[1]);
                      }
                      if (m2.getName().equals("executeQuery")
                          && (a2 == null || a2.length == 0)
                          && sql.startsWith("SELECT i.id")) {
                        try (PreparedStatement ex =
                            c.prepareStatement("EXPLAIN (ANALYZE, BUFFERS) " + sql)) {
                          for (int i = 0; i < params.size(); i++) {
                            ex.setObject(i + 1, params.get(i));
                          }

                          try (ResultSet rs = ex.executeQuery()) {
                            while (rs.next()) {
                              System.out.println("    " + rs.getString(1));
                            }
                          }
                        }
                      }
                      return invoke(real, m2, a2);
                    };
                return Proxy.newProxyInstance(
                    DirectoryBench.class.getClassLoader(),
                    new Class<?>[] {PreparedStatement.class},
                    h);
              }
              return out;
            });
  }

  private static Object invoke(Object target, java.lang.reflect.Method m, Object[] a)
      throws Throwable {
    try {
      return m.invoke(target, a);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The scorecard

  private static void scorecard(
      URI base,
      String token,
      LocalPostgres pg,
      KubernetesClient admin,
      Map<String, String> templates)
      throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String month = YearMonth.now(ZoneOffset.UTC).toString();
    System.out.println();
    long t0 = System.nanoTime();
    HttpResponse<String> draft =
        http.send(
            HttpRequest.newBuilder(base.resolve("/api/v1/scorecard?draft=true&month=" + month))
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofMinutes(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    double draftSeconds = (System.nanoTime() - t0) / 1e9;
    if (draft.statusCode() != 200) {
      throw new IllegalStateException(
          "scorecard draft: " + draft.statusCode() + " " + draft.body());
    }
    JsonObject d = new JsonObject(draft.body());
    System.out.printf(
        "scorecard draft of %s (GET /api/v1/scorecard?draft=true, computed): %.2f s for %,d"
            + " institutions, median %s (target < %.0f s: %s)%n",
        month,
        draftSeconds,
        d.getInteger("institutions"),
        d.getValue("median"),
        SCORECARD_TARGET_S,
        draftSeconds < SCORECARD_TARGET_S ? "met" : "MISSED");
    long t1 = System.nanoTime();
    HttpResponse<String> published =
        http.send(
            HttpRequest.newBuilder(base.resolve("/api/v1/scorecard/" + month + "/publish"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofMinutes(10))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    double publishSeconds = (System.nanoTime() - t1) / 1e9;
    if (published.statusCode() != 201) {
      throw new IllegalStateException(
          "scorecard publish: " + published.statusCode() + " " + published.body());
    }
    int stored;
    try (Connection c = superuser(pg);
        var st = c.createStatement();
        var rs = st.executeQuery("SELECT count(*) FROM scorecard_entry")) {
      rs.next();
      stored = rs.getInt(1);
    }
    System.out.printf(
        "scorecard publish of %s (POST /api/v1/scorecard/%s/publish, computed again and stored): %.2f s,"
            + " %,d entries stored (target < %.0f s: %s)%n",
        month,
        month,
        publishSeconds,
        stored,
        SCORECARD_TARGET_S,
        publishSeconds < SCORECARD_TARGET_S ? "met" : "MISSED");

    // where the time goes: the Ingress list and the evidence SQL alone
    long t2 = System.nanoTime();
    var hosts = new TlsEvidence(admin).hostsBySite();
    double tlsSeconds = (System.nanoTime() - t2) / 1e9;
    OffsetDateTime start =
        YearMonth.now(ZoneOffset.UTC).atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC);
    long t3 = System.nanoTime();
    int gathered;
    try (Connection c = superuser(pg)) {
      gathered =
          EvidenceSql.gather(c, start, OffsetDateTime.now(ZoneOffset.UTC), templates::get, hosts);
    }
    double sqlSeconds = (System.nanoTime() - t3) / 1e9;
    System.out.printf(
        "  of which: listing the Ingresses (TlsEvidence) %.2f s for %,d sites; the evidence SQL"
            + " (EvidenceStore.gather) %.2f s for %,d institutions%n",
        tlsSeconds, hosts.map(Map::size).orElse(0), sqlSeconds, gathered);
  }

  private DirectoryBench() {}
}
