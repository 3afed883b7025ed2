package io.wingu.controlplane.sites;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.ControllerAccount;
import io.wingu.controlplane.testing.SamplePdf;
import io.wingu.controlplane.testing.TenantDatabaseServer;
import io.wingu.controlplane.testing.TenantSite;
import io.wingu.controlplane.testing.TestCluster;
import io.wingu.controlplane.testing.TestControlPlane;
import io.wingu.controlplane.wiring.ControlPlane;
import io.wingu.templates.render.Bundle;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * From deployment to the files a site's pod serves, with the reconciler running as the chart's
 * ServiceAccount on the real API server: the Deployment's init container follows the current
 * revision, the bundle endpoint opens only to the site's own token, and the init container's own
 * command, run here as a process, unpacks what was deployed.
 */
class BundleDeliveryIT {

  static final String INTERNAL_URL = "http://wingu.wingu-system.svc:8080";
  static ControlPlane plane;
  static ApiClient operator;
  static KubernetesClient admin;
  static JsonObject example;

  @BeforeAll
  static void start() {
    Map<String, String> env = new HashMap<>(TestControlPlane.env("bundles"));
    env.putAll(TenantDatabaseServer.env());
    env.put("WINGU_KUBECONFIG", ControllerAccount.kubeconfig().toString());
    env.put("WINGU_CONTROLLER_SERVICE_ACCOUNT", ControllerAccount.reference());
    env.put("WINGU_LOGIN_RATE", "10000");
    env.put("WINGU_INTERNAL_URL", INTERNAL_URL);
    env.put("WINGU_FETCH_IMAGE", "registry.go.tz/wingu/control-plane:9.9.9");
    plane = TestControlPlane.start(env);
    operator =
        ApiClient.signIn(
            plane.url(), TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD);
    admin = TestCluster.adminClient();
    example =
        operator.get("/api/v1/templates").array().stream()
            .map(JsonObject.class::cast)
            .filter(t -> t.getString("id").equals("regional-office"))
            .findFirst()
            .orElseThrow()
            .getJsonObject("example");
  }

  @AfterAll
  static void stop() {
    plane.close();
    admin.close();
  }

  static String deploy(TenantSite s, String englishName) {
    JsonObject parameters = example.copy();
    parameters.getJsonObject("institution").getJsonObject("name").put("en", englishName);
    var r =
        s.webmaster()
            .post(
                s.path("/deployments"),
                new JsonObject()
                    .put("templateId", "regional-office")
                    .put("parameters", parameters));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().getString("digest");
  }

  static <T> T await(String what, Supplier<T> probe) throws InterruptedException {
    Instant end = Instant.now().plus(Duration.ofSeconds(60));
    while (Instant.now().isBefore(end)) {
      T value = probe.get();
      if (value != null) {
        return value;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("never happened: " + what);
  }

  /** The fetch step of the site's Deployment once it names {@code digest}. */
  static Container awaitFetchOf(TenantSite s, String digest) throws InterruptedException {
    return await(
        "the Deployment fetches " + digest,
        () -> {
          var d =
              admin.apps().deployments().inNamespace(s.namespace()).withName(s.siteName()).get();
          if (d == null || d.getSpec().getTemplate().getSpec().getInitContainers().isEmpty()) {
            return null;
          }
          Container init = d.getSpec().getTemplate().getSpec().getInitContainers().get(0);
          return init.getArgs().get(0).endsWith("/" + digest) ? init : null;
        });
  }

  static String token(TenantSite s) throws InterruptedException {
    Secret secret =
        await(
            "the bundle token Secret",
            () ->
                admin
                    .secrets()
                    .inNamespace(s.namespace())
                    .withName("bundle-token-" + s.siteName())
                    .get());
    return new String(
        Base64.getDecoder().decode(secret.getData().get("token")), StandardCharsets.UTF_8);
  }

  static HttpResponse<byte[]> bundle(String digest, String token) {
    return ApiClient.anonymous(plane.url())
        .getBytes("/api/v1/bundles/" + digest, "Authorization", "Bearer " + token);
  }

  /** The bundle, once the reconciler has recorded the token's hash. */
  static byte[] awaitBundle(String digest, String token) throws InterruptedException {
    return await(
        "bundle " + digest + " served",
        () -> {
          var r = bundle(digest, token);
          return r.statusCode() == 200 ? r.body() : null;
        });
  }

  @Test
  void theDeploymentsBundleReferenceFollowsDeploysAndRollbacks() throws Exception {
    TenantSite s = TenantSite.create(operator, "portal");
    String first = deploy(s, "First Office");
    Container init = awaitFetchOf(s, first);
    assertThat(init.getImage()).isEqualTo("registry.go.tz/wingu/control-plane:9.9.9");
    assertThat(init.getArgs())
        .containsExactly(
            INTERNAL_URL + "/api/v1/bundles/" + first,
            "/var/run/wingu/token",
            "/usr/share/nginx/html");
    assertThat(init.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(init.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(init.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    var pod =
        admin
            .apps()
            .deployments()
            .inNamespace(s.namespace())
            .withName("portal")
            .get()
            .getSpec()
            .getTemplate()
            .getSpec();
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getSecret() != null)
        .singleElement()
        .satisfies(v -> assertThat(v.getSecret().getSecretName()).isEqualTo("bundle-token-portal"));

    String second = deploy(s, "Second Office");
    assertThat(second).isNotEqualTo(first);
    awaitFetchOf(s, second);
    var back = s.webmaster().post(s.path("/rollback"), new JsonObject().put("revision", 1));
    assertThat(back.json().getInteger("currentRevision")).isEqualTo(1);
    awaitFetchOf(s, first);
    // the pod template with its fetch step was admitted under Pod Security "restricted"
    JsonObject site =
        await(
            "Deployed",
            () -> {
              JsonObject v = s.webmaster().get(s.path("")).json();
              return v.getJsonArray("conditions").stream()
                      .map(JsonObject.class::cast)
                      .anyMatch(
                          c ->
                              c.getString("type").equals("Deployed")
                                  && c.getString("status").equals("True"))
                  ? v
                  : null;
            });
    assertThat(site.getInteger("currentRevision")).isEqualTo(1);
    assertThat(
            admin
                .network()
                .v1()
                .networkPolicies()
                .inNamespace(s.namespace())
                .withName("allow-control-plane")
                .get()
                .getSpec()
                .getEgress()
                .get(0)
                .getTo()
                .get(0)
                .getNamespaceSelector()
                .getMatchLabels())
        .containsEntry("kubernetes.io/metadata.name", "wingu-system");
  }

  @Test
  void theBundleEndpointServesEachDigestOnlyToItsOwnSitesToken() throws Exception {
    TenantSite a = TenantSite.create(operator, "portal");
    TenantSite b = TenantSite.create(operator, "portal");
    String a1 = deploy(a, "Office A one");
    String a2 = deploy(a, "Office A two");
    String b1 = deploy(b, "Office B");
    String tokenA = token(a);
    String tokenB = token(b);
    assertThat(Bundle.sha256Hex(awaitBundle(a1, tokenA))).isEqualTo(a1);
    assertThat(Bundle.sha256Hex(awaitBundle(a2, tokenA))).isEqualTo(a2);
    assertThat(Bundle.sha256Hex(awaitBundle(b1, tokenB))).isEqualTo(b1);
    var served = bundle(a2, tokenA);
    assertThat(served.headers().firstValue("Content-Type")).contains("application/gzip");

    assertThat(bundle(b1, tokenA).statusCode()).isEqualTo(404);
    assertThat(bundle(a1, tokenB).statusCode()).isEqualTo(404);
    assertThat(bundle(a1, tokenA + "x").statusCode()).isEqualTo(404);
    assertThat(bundle("0".repeat(64), tokenA).statusCode()).isEqualTo(404);
    assertThat(ApiClient.anonymous(plane.url()).getBytes("/api/v1/bundles/" + a1).statusCode())
        .isEqualTo(404);

    // a deleted token Secret comes back with a new token at the site's next reconcile (here: a
    // change of the site; else the periodic resync), and the old token stops opening anything
    admin.secrets().inNamespace(a.namespace()).withName("bundle-token-portal").delete();
    await(
        "the Secret gone",
        () ->
            admin.secrets().inNamespace(a.namespace()).withName("bundle-token-portal").get() == null
                ? true
                : null);
    assertThat(
            a.webmaster().post(a.path("/rollback"), new JsonObject().put("revision", 2)).status())
        .isEqualTo(200);
    String renewed =
        await(
            "a new token",
            () -> {
              Secret s =
                  admin.secrets().inNamespace(a.namespace()).withName("bundle-token-portal").get();
              if (s == null) {
                return null;
              }
              String t =
                  new String(
                      Base64.getDecoder().decode(s.getData().get("token")), StandardCharsets.UTF_8);
              return t.equals(tokenA) ? null : t;
            });
    assertThat(Bundle.sha256Hex(awaitBundle(a2, renewed))).isEqualTo(a2);
    assertThat(bundle(a2, tokenA).statusCode()).isEqualTo(404);
  }

  @Test
  void theInitContainersOwnCommandUnpacksTheCurrentRevision(@TempDir Path work) throws Exception {
    TenantSite s = TenantSite.create(operator, "portal");
    byte[] pdf = SamplePdf.withText("Budget 2026");
    var uploaded =
        s.webmaster()
            .postFile(
                s.path("/documents"),
                "file",
                "budget-2026.pdf",
                "application/pdf",
                pdf,
                Map.of("title", "Budget 2026"));
    assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(201);
    s.webmaster()
        .put(
            s.path("/content/pages/history"),
            new JsonObject()
                .put("title", new JsonObject().put("sw", "Historia").put("en", "History"))
                .put(
                    "body",
                    new JsonObject()
                        .put("sw", "Ofisi ilianzishwa 1961.")
                        .put("en", "The office was founded in 1961.")));
    String digest = deploy(s, "Fetched Office");
    Container init = awaitFetchOf(s, digest);
    Path tokenFile = work.resolve("token");
    Files.writeString(tokenFile, token(s));
    awaitBundle(digest, token(s));

    // the same arguments as in the pod, but the control plane as this machine reaches it
    String url = init.getArgs().get(0).replace(INTERNAL_URL, plane.url().toString());
    Path html = work.resolve("html");
    Process fetch = fetchBundle(url, tokenFile, html, work.resolve("fetch.log"));
    assertThat(fetch.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(fetch.exitValue()).as(Files.readString(work.resolve("fetch.log"))).isZero();
    for (String file :
        List.of(
            "index.html",
            "sw/index.html",
            "en/index.html",
            "en/pages/history.html",
            "en/publications.html",
            "assets/site.css")) {
      assertThat(html.resolve(file)).as(file).isRegularFile();
    }
    assertThat(Files.readString(html.resolve("en/index.html"))).contains("Fetched Office");
    assertThat(Files.readString(html.resolve("en/pages/history.html"))).contains("founded in 1961");
    Path document =
        html.resolve("documents/" + uploaded.json().getString("id") + "/budget-2026.pdf");
    assertThat(Files.readAllBytes(document)).isEqualTo(pdf);

    Path wrongToken = work.resolve("wrong-token");
    Files.writeString(wrongToken, "not-the-token");
    Path elsewhere = work.resolve("elsewhere");
    Process refused = fetchBundle(url, wrongToken, elsewhere, work.resolve("refused.log"));
    assertThat(refused.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(refused.exitValue()).isEqualTo(1);
    assertThat(Files.readString(work.resolve("refused.log"))).contains("404");
    assertThat(elsewhere).doesNotExist();
  }

  /**
   * {@code FetchBundle} in a JVM of its own, on this test JVM's classpath (which holds the
   * templates jar).
   */
  static Process fetchBundle(String url, Path tokenFile, Path dir, Path log) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            "io.wingu.templates.FetchBundle",
            url,
            tokenFile.toString(),
            dir.toString())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }
}
