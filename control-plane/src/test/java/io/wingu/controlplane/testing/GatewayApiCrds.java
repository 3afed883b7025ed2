package io.wingu.controlplane.testing;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Installs into the suite's API server the CRDs of the pinned Gateway API release (its own files,
 * which scripts/gateway-api-crds.sh fetches from the release's Go module; ./wingu test exports
 * their folder as WINGU_GATEWAY_API_CRDS) and a stand-in for cert-manager's Certificate CRD.
 */
public final class GatewayApiCrds {

  public static final String VERSION = "v1.6.3"; // keep in step with scripts/gateway-api-crds.sh

  private static boolean installed;

  private GatewayApiCrds() {}

  /** Into the suite's API server, once per test JVM. */
  public static synchronized void install() {
    if (installed) {
      return;
    }
    try (KubernetesClient admin = TestCluster.adminClient()) {
      install(admin);
    }
    installed = true;
  }

  /** Into the API server {@code admin} (cluster-admin) talks to; ready to list when it returns. */
  public static void install(KubernetesClient admin) {
    try {
      List<GenericKubernetesResource> crds = new ArrayList<>();
      try (Stream<Path> files = Files.list(folder())) {
        for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
          try (InputStream in = Files.newInputStream(f)) {
            crds.add(
                admin.getKubernetesSerialization().unmarshal(in, GenericKubernetesResource.class));
          }
        }
      }
      try (InputStream in =
          GatewayApiCrds.class.getResourceAsStream(
              "/stand-ins/cert-manager-certificate-crd.yaml")) {
        crds.add(admin.getKubernetesSerialization().unmarshal(in, GenericKubernetesResource.class));
      }
      var definitions =
          admin.genericKubernetesResources("apiextensions.k8s.io/v1", "CustomResourceDefinition");
      for (GenericKubernetesResource crd : crds) {
        definitions.resource(crd).fieldManager("wingu-tests").forceConflicts().serverSideApply();
      }
      for (GenericKubernetesResource crd : crds) {
        definitions
            .withName(crd.getMetadata().getName())
            .waitUntilCondition(GatewayApiCrds::established, 60, TimeUnit.SECONDS);
      }
      // an established CRD's storage may still be starting (429 "storage is (re)initializing")
      for (GenericKubernetesResource crd : crds) {
        Map<?, ?> spec = (Map<?, ?>) crd.getAdditionalProperties().get("spec");
        Map<?, ?> names = (Map<?, ?>) spec.get("names");
        String group = (String) spec.get("group");
        String version = (String) ((Map<?, ?>) ((List<?>) spec.get("versions")).get(0)).get("name");
        Eventually.holds(
            "the API server lists " + names.get("plural") + "." + group,
            () -> {
              try {
                admin
                    .genericKubernetesResources(group + "/" + version, (String) names.get("kind"))
                    .inAnyNamespace()
                    .list();
                return true;
              } catch (KubernetesClientException e) {
                return false;
              }
            },
            Duration.ofSeconds(60));
      }
    } catch (Exception e) {
      throw new IllegalStateException("the Gateway API CRDs could not be installed", e);
    }
  }

  @SuppressWarnings("unchecked")
  private static boolean established(GenericKubernetesResource crd) {
    if (crd == null || !(crd.getAdditionalProperties().get("status") instanceof Map<?, ?> status)) {
      return false;
    }
    Object conditions = status.get("conditions");
    return conditions instanceof List<?> list
        && list.stream()
            .map(c -> (Map<String, Object>) c)
            .anyMatch(c -> "Established".equals(c.get("type")) && "True".equals(c.get("status")));
  }

  /** The release's CRD folder: WINGU_GATEWAY_API_CRDS, else what the script prints. */
  static Path folder() throws IOException {
    String set = System.getenv("WINGU_GATEWAY_API_CRDS");
    if (set != null && !set.isBlank()) {
      return Path.of(set);
    }
    Path script = Path.of("..", "scripts", "gateway-api-crds.sh").toAbsolutePath().normalize();
    Process p =
        new ProcessBuilder("bash", script.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    }
    try {
      if (p.waitFor() != 0) {
        throw new IllegalStateException(script + " failed: see its message above");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return Path.of(out);
  }
}
