package io.wingu.controlplane.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.app.WinguConfig;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.FreePort;
import io.wingu.controlplane.testing.TempDirs;
import io.wingu.controlplane.wiring.ControlPlane;
import io.wingu.dev.LocalKubernetes;
import io.wingu.dev.LocalPostgres;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The site build benchmark, through the real API on real PostgreSQL: the time of one
 * build-and-deploy (POST /sites/{id}/deployments: validate, render, tar.gz, SHA-256, store once,
 * record the revision) as p50/p99 over a series of distinct revisions of one site, and the time to
 * move 500 sites (50 institutions × 10 sites, each with its own content) to a new template.
 *
 * <p>Another holder keeps the reconciler's Lease, so this replica does not reconcile: the figures
 * are the API's, not the Kubernetes rollout's (the provisioning benchmark measures that). Run it
 * with bench/sites/run.sh.
 */
public final class SitesBench {

  static final int INSTITUTIONS = 50;
  static final int SITES_PER_INSTITUTION = 10;
  static final int CLIENTS = 4;

  public static void main(String[] args) throws Exception {
    int revisions = Integer.parseInt(System.getProperty("bench.revisions", "50"));
    Path dir = TempDirs.create("wingu-sites-bench");
    try (LocalPostgres pg =
            LocalPostgres.start(dir.resolve("pg"), FreePort.find(), "bench-superuser-password");
        LocalKubernetes kube = LocalKubernetes.start()) {
      BenchSetup.holdReconcilerLease(kube);
      Map<String, String> env =
          BenchSetup.environment(pg, kube.writeKubeconfig(dir.resolve("kubeconfig")), dir);
      env.put("WINGU_LOGIN_RATE", "10000");
      env.put("WINGU_LEADER_ELECTION", "true");
      try (ControlPlane plane = ControlPlane.start(WinguConfig.from(env))) {
        ApiClient operator =
            ApiClient.signIn(plane.url(), "operator", BenchSetup.OPERATOR_PASSWORD);
        JsonArray templates = operator.get("/api/v1/templates").array();
        JsonObject template = find(templates, "ministry-portal");
        JsonObject next = find(templates, "regional-office");
        System.out.printf(
            "machine: %d cores; load generator, control plane and PostgreSQL on this machine%n",
            Runtime.getRuntime().availableProcessors());
        System.out.printf(
            "reconciler leading on this replica: %s%n", plane.provisioner().leading());

        long t0 = System.nanoTime();
        List<Site> sites = seed(operator);
        System.out.printf(
            "seeded %d institutions, %d sites with 3 content entries each in %.1f s%n",
            INSTITUTIONS, sites.size(), (System.nanoTime() - t0) / 1e9);

        Site first = sites.get(0);
        for (int i = 0; i < 10; i++) { // JIT and pools warm up
          deploy(first, template, "warm-up " + i);
        }
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < revisions; i++) {
          long start = System.nanoTime();
          deploy(first, template, "Revision " + i);
          millis.add((System.nanoTime() - start) / 1e6);
        }
        Collections.sort(millis);
        System.out.println();
        System.out.printf(
            "build-and-deploy of one revision (%s, POST /deployments, %d distinct revisions, one client):"
                + " p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
            template.getString("id"),
            revisions,
            percentile(millis, 50),
            percentile(millis, 99),
            millis.get(millis.size() - 1));
        var latest =
            operator
                .get(first.path() + "/deployments?limit=1")
                .json()
                .getJsonArray("items")
                .getJsonObject(0);
        System.out.printf(
            "revisions of that site (warm-up included): %d%n", latest.getInteger("revision"));

        long moveStart = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> moves = new ArrayList<>();
        for (Site s : sites) {
          moves.add(pool.submit(() -> deploy(s, next, "Moved " + s.name())));
        }
        for (Future<?> f : moves) {
          f.get();
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - moveStart) / 1e9;
        System.out.printf(
            "move %d sites to template %s@%s (%d POST /deployments over %d clients): %.1f s,"
                + " %.1f deployments/s%n",
            sites.size(),
            next.getString("id"),
            next.getString("version"),
            sites.size(),
            CLIENTS,
            seconds,
            sites.size() / seconds);
        System.out.println(
            "audit chain after the run: " + operator.get("/api/v1/audit/verify").body());
      }
    }
    TempDirs.delete(dir);
    System.exit(0);
  }

  record Site(ApiClient webmaster, String id, String name) {
    String path() {
      return "/api/v1/sites/" + id;
    }
  }

  private static JsonObject find(JsonArray templates, String id) {
    return templates.stream()
        .map(JsonObject.class::cast)
        .filter(t -> t.getString("id").equals(id))
        .findFirst()
        .orElseThrow();
  }

  private static void deploy(Site s, JsonObject template, String englishName) {
    JsonObject parameters = template.getJsonObject("example").copy();
    parameters.getJsonObject("institution").getJsonObject("name").put("en", englishName);
    var r =
        s.webmaster()
            .post(
                s.path() + "/deployments",
                new JsonObject()
                    .put("templateId", template.getString("id"))
                    .put("parameters", parameters));
    if (r.status() != 201) {
      throw new IllegalStateException("deployment failed: " + r.status() + " " + r.body());
    }
  }

  /**
   * Institutions, a webmaster each, approved sites, and each site's pages and news, all through the
   * API.
   */
  private static List<Site> seed(ApiClient operator) {
    List<Site> sites = new ArrayList<>();
    for (int i = 0; i < INSTITUTIONS; i++) {
      String code = "bench" + i;
      String id =
          operator
              .post(
                  "/api/v1/institutions",
                  new JsonObject()
                      .put("code", code)
                      .put("name", "Institution " + i)
                      .put("domains", new JsonArray().add(code + ".go.tz"))
                      .put("contactEmail", "ict@" + code + ".go.tz"))
              .json()
              .getString("id");
      operator.post(
          "/api/v1/institutions/" + id + "/users",
          new JsonObject()
              .put("username", code + "-admin")
              .put("password", "admin-password-" + code)
              .put("role", "institution-admin"));
      ApiClient admin =
          ApiClient.signIn(operator.base(), code + "-admin", "admin-password-" + code);
      for (int j = 0; j < SITES_PER_INSTITUTION; j++) {
        String name = "site" + j;
        String request =
            admin
                .post(
                    "/api/v1/requests",
                    new JsonObject()
                        .put("siteName", name)
                        .put("hostnames", new JsonArray().add(name + "." + code + ".go.tz"))
                        .put("plan", "small")
                        .put("justification", "benchmark"))
                .json()
                .getString("id");
        String siteId =
            operator
                .post("/api/v1/requests/" + request + "/approve", new JsonObject())
                .json()
                .getString("siteId");
        Site site = new Site(admin, siteId, code + "/" + name);
        put(site, "pages/about", "About " + site.name(), "Who we are and what we do.");
        put(site, "news/launch", "Launch of " + site.name(), "The new site is **live**.");
        put(
            site,
            "news/services",
            "New services",
            "Apply online for:\n\n- permits\n- certificates");
        sites.add(site);
      }
    }
    return sites;
  }

  private static void put(Site s, String path, String title, String body) {
    var r =
        s.webmaster()
            .put(
                s.path() + "/content/" + path,
                new JsonObject()
                    .put("title", new JsonObject().put("sw", title).put("en", title))
                    .put("body", new JsonObject().put("sw", body).put("en", body))
                    .put("publishedAt", "2026-11-01"));
    if (r.status() != 201) {
      throw new IllegalStateException("content not stored: " + r.body());
    }
  }

  private static double percentile(List<Double> sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
  }
}
