package io.wingu.controlplane.provisioning;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;

/** A ClusterIP Service in front of a site's pods; never a NodePort or LoadBalancer. */
public final class SiteServices {

  private SiteServices() {
  }

  public static Service desired(Tenant t, Tenant.Site s) {
    return new ServiceBuilder().withNewMetadata().withName(s.name()).withNamespace(t.namespace())
        .withLabels(Labels.site(t, s)).endMetadata()
        .withNewSpec().withType("ClusterIP").withSelector(Labels.siteSelector(t, s))
        .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString("http")).withProtocol("TCP").endPort()
        .endSpec().build();
  }
}
