package io.wingu.controlplane.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.provisioning.BundleFetch;
import io.wingu.controlplane.provisioning.SiteDeployments;
import io.wingu.controlplane.wiring.ControlPlane;
import io.wingu.dev.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The real one-node cluster with the images this build made (-Pimages) imported under the names
 * Wingu's defaults give, and a control plane in this JVM on the node's bridge address, where the
 * pods (their init containers fetching bundles) reach it. One per test class: the machine runs one
 * cluster at a time.
 */
public final class RealNode implements AutoCloseable {

  /**
   * The lock of the test classes that use the machine's one cluster: with test classes run two at a
   * time, a class starting its own cluster would otherwise stop the shared one under another.
   */
  public static final String CLUSTER = "wingu-local-cluster";

  private final LocalCluster cluster;
  private final ControlPlane plane;
  private final Map<String, String> env;
  private final ApiClient operator;

  private RealNode(LocalCluster cluster, ControlPlane plane, Map<String, String> env) {
    this.cluster = cluster;
    this.plane = plane;
    this.env = env;
    this.operator =
        ApiClient.signIn(
            plane.url(), TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD);
  }

  /**
   * Starts the cluster and a control plane named {@code name} on it, with {@code settings} added;
   * stops the shared one first if it runs (SharedRealNode).
   */
  public static RealNode start(String name, Map<String, String> settings) throws Exception {
    SharedRealNode.release();
    Path siteImage = image("wingu.image.site-web");
    Path controlPlaneImage = image("wingu.image.control-plane");
    Instant t0 = Instant.now();
    LocalCluster cluster = LocalCluster.start();
    System.out.printf(
        "%s: cluster start %d ms%n", name, Duration.between(t0, Instant.now()).toMillis());
    try {
      // the names of the production defaults (the chart's for the control plane; Jib names its
      // tar artifactId:project version), as the kubelet looks them up
      cluster.importImage(siteImage, SiteDeployments.DEFAULT_IMAGE);
      cluster.importImage(controlPlaneImage, BundleFetch.DEFAULT_IMAGE);
      assertThat(cluster.images())
          .contains(
              "docker.io/" + SiteDeployments.DEFAULT_IMAGE,
              "docker.io/library/" + BundleFetch.DEFAULT_IMAGE);
      int port = FreePort.find();
      Map<String, String> env =
          new HashMap<>(TestControlPlane.env(name, cluster.adminKubeconfig()));
      env.put("WINGU_HTTP_HOST", LocalCluster.NODE_IP);
      env.put("WINGU_HTTP_PORT", String.valueOf(port));
      env.put("WINGU_INTERNAL_URL", "http://" + LocalCluster.NODE_IP + ":" + port);
      env.put("WINGU_CLUSTER_DNS_CIDR", LocalCluster.NODE_IP + "/32");
      env.put("WINGU_LOGIN_RATE", "10000");
      env.putAll(settings);
      return new RealNode(cluster, TestControlPlane.start(env), env);
    } catch (Exception | AssertionError e) {
      cluster.close();
      throw e;
    }
  }

  /** An image file the -Pimages build made, named by a system property of the images profile. */
  public static Path image(String property) {
    String path = System.getProperty(property);
    assertThat(path)
        .as("system property %s (mvn -Pimages -Djib.skip=false)", property)
        .isNotBlank();
    assertThat(Path.of(path)).as("the image this build made").exists();
    return Path.of(path);
  }

  public LocalCluster cluster() {
    return cluster;
  }

  public KubernetesClient client() {
    return cluster.client();
  }

  public ControlPlane plane() {
    return plane;
  }

  public Map<String, String> env() {
    return env;
  }

  public ApiClient operator() {
    return operator;
  }

  /** The example parameters of a template of the catalogue. */
  public JsonObject templateExample(String templateId) {
    return operator.get("/api/v1/templates").array().stream()
        .map(JsonObject.class::cast)
        .filter(t -> t.getString("id").equals(templateId))
        .findFirst()
        .orElseThrow()
        .getJsonObject("example");
  }

  @Override
  public void close() {
    try {
      plane.close();
    } finally {
      cluster.close();
    }
  }
}
