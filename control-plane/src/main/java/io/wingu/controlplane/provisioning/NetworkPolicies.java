package io.wingu.controlplane.provisioning;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import java.util.List;

/**
 * Default deny in both directions, then the three doors a site needs: the ingress controller in,
 * DNS out, and the shared database out.
 */
public final class NetworkPolicies {

  /** Where the doors lead. */
  public record Doors(String ingressNamespace, String databaseCidr, int databasePort) {
  }

  private NetworkPolicies() {
  }

  public static List<NetworkPolicy> desired(Tenant t, Doors doors) {
    return List.of(defaultDeny(t), allowIngressController(t, doors), allowDns(t), allowDatabase(t, doors));
  }

  private static NetworkPolicyBuilder base(Tenant t, String name) {
    return new NetworkPolicyBuilder().withNewMetadata().withName(name).withNamespace(t.namespace())
        .withLabels(Labels.tenant(t)).endMetadata();
  }

  static NetworkPolicy defaultDeny(Tenant t) {
    return base(t, "default-deny").withNewSpec().withNewPodSelector().endPodSelector()
        .withPolicyTypes("Ingress", "Egress").endSpec().build();
  }

  static NetworkPolicy allowIngressController(Tenant t, Doors doors) {
    return base(t, "allow-ingress-controller").withNewSpec().withNewPodSelector().endPodSelector()
        .withPolicyTypes("Ingress")
        .addNewIngress().addNewFrom().withNewNamespaceSelector()
        .addToMatchLabels("kubernetes.io/metadata.name", doors.ingressNamespace()).endNamespaceSelector().endFrom()
        .endIngress().endSpec().build();
  }

  static NetworkPolicy allowDns(Tenant t) {
    return base(t, "allow-dns").withNewSpec().withNewPodSelector().endPodSelector().withPolicyTypes("Egress")
        .addNewEgress().addNewTo().withNewNamespaceSelector()
        .addToMatchLabels("kubernetes.io/metadata.name", "kube-system").endNamespaceSelector()
        .withNewPodSelector().addToMatchLabels("k8s-app", "kube-dns").endPodSelector().endTo()
        .addNewPort().withProtocol("UDP").withPort(new IntOrString(53)).endPort()
        .addNewPort().withProtocol("TCP").withPort(new IntOrString(53)).endPort()
        .endEgress().endSpec().build();
  }

  static NetworkPolicy allowDatabase(Tenant t, Doors doors) {
    return base(t, "allow-shared-database").withNewSpec().withNewPodSelector().endPodSelector()
        .withPolicyTypes("Egress")
        .addNewEgress().addNewTo().withNewIpBlock().withCidr(doors.databaseCidr()).endIpBlock().endTo()
        .addNewPort().withProtocol("TCP").withPort(new IntOrString(doors.databasePort())).endPort()
        .endEgress().endSpec().build();
  }
}
