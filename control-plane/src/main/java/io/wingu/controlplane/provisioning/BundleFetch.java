package io.wingu.controlplane.provisioning;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;

/**
 * How a site's pod gets its content: an init container, from the control plane's own image, runs
 * {@code io.wingu.templates.FetchBundle} against the bundle endpoint with the site's bundle token
 * and unpacks the current revision into the web server's {@code html} volume.
 *
 * @param image the image holding the templates library (the control plane's)
 * @param controlPlaneUrl the control plane as pods reach it, e.g. {@code
 *     http://wingu.wingu-system.svc:8080}
 */
public record BundleFetch(String image, String controlPlaneUrl) {

  /**
   * The name `mvn -Pimages` gives the control plane's image (Jib: artifactId:version), as the chart
   * runs it.
   */
  public static final String DEFAULT_IMAGE = "wingu-control-plane:0.1.0";

  public static final String DEFAULT_CONTROL_PLANE_URL = "http://wingu.wingu-system.svc:8080";
  public static final BundleFetch DEFAULT =
      new BundleFetch(DEFAULT_IMAGE, DEFAULT_CONTROL_PLANE_URL);

  public static final String CONTAINER = "fetch-bundle";
  static final String TOKEN_VOLUME = "bundle-token";
  static final String TOKEN_DIR = "/var/run/wingu";
  static final String TOKEN_FILE = TOKEN_DIR + "/" + BundleTokens.KEY;
  static final String HTML_DIR = "/usr/share/nginx/html";

  /** The image is built by Jib: its classpath is listed in this file. */
  static final List<String> COMMAND =
      List.of("java", "-cp", "@/app/jib-classpath-file", "io.wingu.templates.FetchBundle");

  /** Where the bundle with {@code digest} is served. */
  public String bundleUrl(String digest) {
    String base =
        controlPlaneUrl.endsWith("/")
            ? controlPlaneUrl.substring(0, controlPlaneUrl.length() - 1)
            : controlPlaneUrl;
    return base + "/api/v1/bundles/" + digest;
  }

  /** The init container unpacking the bundle {@code digest}; restricted like the web server. */
  Container initContainer(String digest, ResourceRequirements resources) {
    return new ContainerBuilder()
        .withName(CONTAINER)
        .withImage(image)
        .withImagePullPolicy(SiteDeployments.PULL_POLICY)
        .withCommand(COMMAND)
        .withArgs(bundleUrl(digest), TOKEN_FILE, HTML_DIR)
        .withResources(resources)
        .withSecurityContext(SiteDeployments.restricted())
        .addNewVolumeMount()
        .withName(TOKEN_VOLUME)
        .withMountPath(TOKEN_DIR)
        .withReadOnly(true)
        .endVolumeMount()
        .addNewVolumeMount()
        .withName("html")
        .withMountPath(HTML_DIR)
        .endVolumeMount()
        .addNewVolumeMount()
        .withName("tmp")
        .withMountPath("/tmp")
        .endVolumeMount()
        .build();
  }
}
