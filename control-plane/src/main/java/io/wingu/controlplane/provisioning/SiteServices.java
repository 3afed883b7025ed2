package io.wingu.controlplane.provisioning;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;

/**
 * The Service in front of a site's pods: headless, because the ingress controller routes to the
 * pods' endpoints anyway and a platform of thousands of sites must not exhaust the cluster's
 * Service IP range; never a NodePort or LoadBalancer.
 */
public final class SiteServices {

  private SiteServices() {}

  public static Service desired(Tenant t, Tenant.Site s) {
    return new ServiceBuilder()
        .withMetadata(Labels.siteObject(t, s, s.name()))
        .withNewSpec()
        .withType("ClusterIP")
        .withClusterIP("None")
        .withSelector(Labels.siteSelector(t, s))
        .addNewPort()
        .withName("http")
        .withPort(80)
        .withTargetPort(new IntOrString("http"))
        .withProtocol("TCP")
        .endPort()
        .endSpec()
        .build();
  }
}
