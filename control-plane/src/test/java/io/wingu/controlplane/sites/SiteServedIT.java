package io.wingu.controlplane.sites;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.provisioning.BundleFetch;
import io.wingu.controlplane.provisioning.SiteDeployments;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.Eventually;
import io.wingu.controlplane.testing.RealNode;
import io.wingu.controlplane.testing.TenantSite;
import io.wingu.controlplane.wiring.ControlPlane;
import io.wingu.dev.LocalCluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * A site served by real pods on a real node (LocalCluster): approval, deployment, rollback,
 * suspension and decommissioning through Wingu's API, each seen where a visitor sees it — the HTTP
 * answer of the site's pod, found through the endpoints of the site's Service. The images are the
 * ones this build made (-Pimages): the site web server and the control plane's (whose FetchBundle
 * the init container runs), imported into the node under the names Wingu's defaults give. The
 * control plane runs in this JVM on the node's bridge address, where the pods reach it.
 */
@ResourceLock(RealNode.CLUSTER)
class SiteServedIT {

  static final Duration POD_WAIT = Duration.ofSeconds(120);
  static RealNode node;
  static KubernetesClient k;
  static ControlPlane plane;
  static ApiClient operator;
  static JsonObject example;
  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  @BeforeAll
  static void start() throws Exception {
    node = RealNode.start("served", Map.of());
    k = node.client();
    plane = node.plane();
    operator = node.operator();
    example = node.templateExample("minimal-landing");
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void aSiteIsServedFromRealPodsThroughItsWholeLife() throws Exception {
    TenantSite s = TenantSite.create(operator, "portal");
    Instant approved = Instant.now();

    // revision 1: what the webmaster wrote, in Swahili on the home page
    String first = deploy(s, "Toleo la kwanza: mikopo nafuu kwa vikundi vya vijana");
    Pod pod = awaitServing(s, "Toleo la kwanza");
    System.out.printf(
        "SiteServedIT: approval to first byte of the home page %d ms%n",
        Duration.between(approved, Instant.now()).toMillis());
    Document home = Jsoup.parse(get(pod, "/sw/").body());
    assertThat(home.selectFirst("html").attr("lang")).isEqualTo("sw");
    assertThat(home.selectFirst("h1").text()).isEqualTo("Bodi ya Mfuko wa Maendeleo ya Vijana");
    assertThat(home.selectFirst("p.lead").text())
        .isEqualTo("Toleo la kwanza: mikopo nafuu kwa vikundi vya vijana");

    // admitted and running under Pod Security "restricted", as the image's unprivileged user
    assertThat(k.namespaces().withName(s.namespace()).get().getMetadata().getLabels())
        .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
    assertThat(pod.getSpec().getSecurityContext().getRunAsUser()).isEqualTo(SiteDeployments.USER);
    assertThat(pod.getSpec().getContainers())
        .allSatisfy(c -> assertThat(c.getImagePullPolicy()).isEqualTo("IfNotPresent"));
    // its init container fetched the current revision's bundle with the site's token, and exited 0
    assertThat(pod.getSpec().getInitContainers())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getArgs().get(0))
                  .isEqualTo(
                      "http://"
                          + LocalCluster.NODE_IP
                          + ":"
                          + plane.port()
                          + "/api/v1/bundles/"
                          + first);
              assertThat(c.getVolumeMounts())
                  .anyMatch(m -> m.getMountPath().equals("/var/run/wingu"));
            });
    ContainerStatus fetched = pod.getStatus().getInitContainerStatuses().get(0);
    assertThat(fetched.getState().getTerminated().getExitCode()).isZero();
    assertThat(
            k.pods()
                .inNamespace(s.namespace())
                .withName(pod.getMetadata().getName())
                .inContainer(BundleFetch.CONTAINER)
                .getLog())
        .contains("fetch-bundle: extracted");

    // Available comes from the Deployment's real status
    JsonObject site =
        awaitSite(s, v -> "ACTIVE".equals(v.getString("status")) && condition(v, "Available"));
    assertThat(site.getInteger("currentRevision")).isEqualTo(1);

    // revision 2: the pods roll, the new content is served
    Instant deployed = Instant.now();
    deploy(s, "Toleo la pili: mafunzo ya bure kwa wajasiriamali");
    Pod second = awaitServing(s, "Toleo la pili");
    System.out.printf(
        "SiteServedIT: deployment to new content served (a roll) %d ms%n",
        Duration.between(deployed, Instant.now()).toMillis());
    assertThat(second.getMetadata().getName()).isNotEqualTo(pod.getMetadata().getName());
    Eventually.holds(
        "the old pod gone",
        () ->
            k.pods().inNamespace(s.namespace()).withName(pod.getMetadata().getName()).get() == null,
        POD_WAIT);
    awaitSite(s, v -> v.getInteger("currentRevision") == 2 && condition(v, "Available"));

    // rollback: the old content is served again, from new pods
    assertThat(
            s.webmaster().post(s.path("/rollback"), new JsonObject().put("revision", 1)).status())
        .isEqualTo(200);
    Pod back = awaitServing(s, "Toleo la kwanza");
    assertThat(back.getMetadata().getName())
        .isNotIn(pod.getMetadata().getName(), second.getMetadata().getName());

    // suspended: no pod, nothing served
    var suspended =
        operator.post(s.path("/suspend"), new JsonObject().put("reason", "unpaid hosting fee"));
    assertThat(suspended.status()).as(suspended.body()).isEqualTo(200);
    Eventually.holds(
        "no pod of the suspended site, not even a terminating one",
        () ->
            k.pods()
                    .inNamespace(s.namespace())
                    .withLabel("wingu.io/site", s.siteName())
                    .list()
                    .getItems()
                    .isEmpty()
                && endpoints(s).isEmpty(),
        POD_WAIT);
    assertThatThrownBy(() -> get(back, "/sw/"))
        .as("the former pod's address answers nothing")
        .isInstanceOf(IOException.class);
    site =
        awaitSite(s, v -> "SUSPENDED".equals(v.getString("status")) && !condition(v, "Available"));

    // resumed: served again
    assertThat(operator.post(s.path("/resume"), null).status()).isEqualTo(200);
    awaitServing(s, "Toleo la kwanza");
    awaitSite(s, v -> "ACTIVE".equals(v.getString("status")) && condition(v, "Available"));

    // decommissioned, the institution's only site: its namespace is gone, not left Terminating
    assertThat(operator.send(s.path(""))).isEqualTo(202);
    awaitSite(s, v -> "DECOMMISSIONED".equals(v.getString("status")));
    Eventually.holds(
        "the namespace gone", () -> k.namespaces().withName(s.namespace()).get() == null, POD_WAIT);
  }

  String deploy(TenantSite s, String tagline) {
    JsonObject parameters = example.copy();
    parameters.getJsonObject("institution").getJsonObject("tagline").put("sw", tagline);
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

  /**
   * The site's one Ready pod once the address its Service lists serves a Swahili home page holding
   * {@code text}. The Service is headless (SiteServices): its endpoints are the pods' addresses.
   */
  Pod awaitServing(TenantSite s, String text) throws Exception {
    Instant end = Instant.now().plus(POD_WAIT);
    String last = "nothing yet";
    while (Instant.now().isBefore(end)) {
      List<Pod> ready = sitePods(s).stream().filter(SiteServedIT::ready).toList();
      List<String> addresses = endpoints(s);
      if (ready.size() == 1 && addresses.equals(List.of(ready.get(0).getStatus().getPodIP()))) {
        try {
          HttpResponse<String> r = get(ready.get(0), "/sw/");
          if (r.statusCode() == 200 && r.body().contains(text)) {
            return ready.get(0);
          }
          last = r.statusCode() + " " + r.body();
        } catch (IOException e) {
          last = e.toString();
        }
      } else {
        last = ready.size() + " ready pod(s), endpoints " + addresses;
      }
      Thread.sleep(250);
    }
    throw new AssertionError(
        "the site did not serve \""
            + text
            + "\" within "
            + POD_WAIT
            + ": "
            + last
            + "; pods: "
            + sitePods(s).stream()
                .map(p -> p.getMetadata().getName() + " " + p.getStatus())
                .toList());
  }

  List<Pod> sitePods(TenantSite s) {
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

  /** The ready addresses of the site's Service, as the endpoint slice controller wrote them. */
  List<String> endpoints(TenantSite s) {
    // read generically: the discovery model classes are not a declared dependency
    List<String> ready = new java.util.ArrayList<>();
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
    return ready;
  }

  static boolean ready(Pod p) {
    return p.getStatus() != null
        && p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  static HttpResponse<String> get(Pod pod, String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(
                URI.create(
                    "http://" + pod.getStatus().getPodIP() + ":" + SiteDeployments.PORT + path))
            .timeout(Duration.ofSeconds(3))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  JsonObject awaitSite(TenantSite s, java.util.function.Predicate<JsonObject> done)
      throws Exception {
    JsonObject[] seen = new JsonObject[1];
    Callable<Boolean> check =
        () -> {
          seen[0] = operator.get(s.path("")).json();
          return done.test(seen[0]);
        };
    Eventually.holds("the site's state", check, POD_WAIT);
    return seen[0];
  }

  static boolean condition(JsonObject site, String type) {
    return site.getJsonArray("conditions").stream()
        .map(JsonObject.class::cast)
        .anyMatch(c -> c.getString("type").equals(type) && c.getString("status").equals("True"));
  }
}
