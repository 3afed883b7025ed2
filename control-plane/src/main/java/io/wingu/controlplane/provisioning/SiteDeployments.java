package io.wingu.controlplane.provisioning;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.wingu.controlplane.plans.Quantities;

/**
 * A site's web server: an unprivileged image with a read-only root and nothing it does not need, so
 * every pod passes Pod Security "restricted". Its limits are the site's approved quota. Once the
 * site has a current revision, an init container fetches that revision's bundle first, so a new
 * revision (or a rollback) changes the pod template and rolls the pods. nginx serves with Wingu's
 * server block (SiteWebConfigs), whose checksum in the template rolls the pods when it changes.
 */
public final class SiteDeployments {

  public static final int PORT = 8080;

  /**
   * The image scripts/site-image.sh builds on this machine (Debian's nginx; its user is {@link
   * #USER}).
   */
  public static final String DEFAULT_IMAGE = "wingu/site-web:local";

  /**
   * The web server's UID and GID: the site image's user, 10000 or more so no host account shares
   * it.
   */
  public static final long USER = 10101;

  static final String WEB_CONFIG_VOLUME = "web-config";

  /** Ephemeral storage each container of a site requests (its limit is the plan's storage). */
  static final long EPHEMERAL_REQUEST_BYTES = 64L << 20;

  /**
   * Images are pulled once per node and kept: a registry's tag is not re-fetched on every pod
   * start, and a node whose images were imported (no registry, as in dev mode and the tests) runs
   * them.
   */
  static final String PULL_POLICY = "IfNotPresent";

  private SiteDeployments() {}

  /** The site's Deployment with the default bundle fetch settings. */
  public static Deployment desired(Tenant t, Tenant.Site s, String image) {
    return desired(t, s, image, BundleFetch.DEFAULT);
  }

  public static Deployment desired(Tenant t, Tenant.Site s, String image, BundleFetch fetch) {
    return new DeploymentBuilder()
        .withMetadata(Labels.siteObject(t, s, s.name()))
        .withNewSpec()
        // One replica: the approved plan is the site's whole quota (ResourceQuotas), and a second
        // replica with a PodDisruptionBudget would double what each institution is charged for a
        // static site that restarts in seconds; a drain or a node loss costs a short outage, which
        // the plan accepts. A plan for more replicas needs a quota of its own first.
        // No pod before the first revision: it would serve nothing and never be Ready, and the
        // first
        // roll would then need a second pod's room beside it (on a full node it never finished).
        .withReplicas(s.suspended() || s.bundleDigest() == null ? 0 : 1)
        .withRevisionHistoryLimit(3)
        .withNewSelector()
        .withMatchLabels(Labels.siteSelector(t, s))
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(Labels.site(t, s))
        .addToAnnotations(SiteWebConfigs.CHECKSUM_ANNOTATION, SiteWebConfigs.checksum())
        .endMetadata()
        .withSpec(podSpec(s, image, fetch))
        .endTemplate()
        .endSpec()
        .build();
  }

  /** The pod of a site; also what the Pod Security dry run admits. */
  public static PodSpec podSpec(Tenant.Site s, String image, BundleFetch fetch) {
    PodSpecBuilder pod =
        new PodSpecBuilder()
            .withAutomountServiceAccountToken(false)
            .withEnableServiceLinks(false)
            .withNewSecurityContext()
            .withRunAsNonRoot(true)
            .withRunAsUser(USER)
            .withRunAsGroup(USER)
            .withFsGroup(USER)
            .withNewSeccompProfile()
            .withType("RuntimeDefault")
            .endSeccompProfile()
            .endSecurityContext()
            .withContainers(webServer(s, image))
            .addNewVolume()
            .withName("html")
            .withNewEmptyDir()
            .endEmptyDir()
            .endVolume()
            .addNewVolume()
            .withName("tmp")
            .withNewEmptyDir()
            .endEmptyDir()
            .endVolume()
            .addNewVolume()
            .withName("cache")
            .withNewEmptyDir()
            .endEmptyDir()
            .endVolume()
            .addNewVolume()
            .withName(WEB_CONFIG_VOLUME)
            .withNewConfigMap()
            .withName(SiteWebConfigs.name(s))
            .endConfigMap()
            .endVolume();
    if (s.bundleDigest() != null) {
      pod.addToInitContainers(fetch.initContainer(s.bundleDigest(), resources(s)))
          .addNewVolume()
          .withName(BundleFetch.TOKEN_VOLUME)
          .withNewSecret()
          .withSecretName(BundleTokens.name(s))
          .withDefaultMode(0440)
          .endSecret()
          .endVolume();
    }
    return pod.build();
  }

  /**
   * Half the plan requested, the whole plan as the limit. The site's files (the unpacked bundle in
   * the html emptyDir), nginx's temporary files and the log are the pod's ephemeral storage:
   * limited to the plan's storage, and a small request so a node is not reserved for the largest
   * site.
   */
  private static ResourceRequirements resources(Tenant.Site s) {
    long storage = Math.max(EPHEMERAL_REQUEST_BYTES, s.storageBytes());
    return new ResourceRequirementsBuilder()
        .addToRequests("cpu", new Quantity(Quantities.cpu(Math.max(1, s.cpuMillis() / 2))))
        .addToRequests("memory", new Quantity(Quantities.bytes(s.memoryBytes() / 2)))
        .addToRequests("ephemeral-storage", new Quantity(Quantities.bytes(EPHEMERAL_REQUEST_BYTES)))
        .addToLimits("cpu", new Quantity(Quantities.cpu(s.cpuMillis())))
        .addToLimits("memory", new Quantity(Quantities.bytes(s.memoryBytes())))
        .addToLimits("ephemeral-storage", new Quantity(Quantities.bytes(storage)))
        .build();
  }

  private static Container webServer(Tenant.Site s, String image) {
    return new ContainerBuilder()
        .withName("web")
        .withImage(image)
        .withImagePullPolicy(PULL_POLICY)
        .addNewPort()
        .withName("http")
        .withContainerPort(PORT)
        .withProtocol("TCP")
        .endPort()
        .withResources(resources(s))
        .withSecurityContext(restricted())
        .addNewVolumeMount()
        .withName("html")
        .withMountPath(SiteWebConfigs.ROOT)
        .withReadOnly(true)
        .endVolumeMount()
        .addNewVolumeMount()
        .withName(WEB_CONFIG_VOLUME)
        .withMountPath(SiteWebConfigs.MOUNT_PATH)
        .withReadOnly(true)
        .endVolumeMount()
        .addNewVolumeMount()
        .withName("tmp")
        .withMountPath("/tmp")
        .endVolumeMount()
        .addNewVolumeMount()
        .withName("cache")
        .withMountPath("/var/cache/nginx")
        .endVolumeMount()
        .withNewReadinessProbe()
        .withNewHttpGet()
        .withPath("/")
        .withNewPort("http")
        .endHttpGet()
        .withPeriodSeconds(10)
        .endReadinessProbe()
        // nginx accepting connections at all: whatever the site's pages say, only a hung or dead
        // server is restarted (an HTTP check of "/" would restart a site that has no index page)
        .withNewLivenessProbe()
        .withNewTcpSocket()
        .withNewPort("http")
        .endTcpSocket()
        .withPeriodSeconds(20)
        .withTimeoutSeconds(5)
        .withFailureThreshold(3)
        .endLivenessProbe()
        .build();
  }

  static io.fabric8.kubernetes.api.model.SecurityContext restricted() {
    return new SecurityContextBuilder()
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withRunAsNonRoot(true)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .build();
  }
}
