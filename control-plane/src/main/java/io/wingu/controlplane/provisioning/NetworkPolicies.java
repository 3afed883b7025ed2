package io.wingu.controlplane.provisioning;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import java.util.List;

/**
 * Default deny in both directions, then the four doors a site needs: the ingress controller in, DNS
 * out, the shared database out, and the control plane out (init containers fetch bundles).
 */
public final class NetworkPolicies {

  /** Where the doors lead; the control plane is reached in its namespace on its pods' HTTP port. */
  public record Doors(
      String ingressNamespace,
      String databaseCidr,
      int databasePort,
      String controlPlaneNamespace,
      int controlPlanePort) {

    public static final String DEFAULT_CONTROL_PLANE_NAMESPACE = "wingu-system";
    public static final int DEFAULT_CONTROL_PLANE_PORT = 8080;

    /** Doors with the control plane where the chart installs it by default. */
    public Doors(String ingressNamespace, String databaseCidr, int databasePort) {
      this(
          ingressNamespace,
          databaseCidr,
          databasePort,
          DEFAULT_CONTROL_PLANE_NAMESPACE,
          DEFAULT_CONTROL_PLANE_PORT);
    }
  }

  private NetworkPolicies() {}

  public static List<NetworkPolicy> desired(Tenant t, Doors doors) {
    return List.of(
        defaultDeny(t),
        allowIngressController(t, doors),
        allowDns(t),
        allowDatabase(t, doors),
        allowControlPlane(t, doors));
  }

  private static NetworkPolicyBuilder base(Tenant t, String name) {
    return new NetworkPolicyBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(t.namespace())
        .withLabels(Labels.tenant(t))
        .endMetadata();
  }

  static NetworkPolicy defaultDeny(Tenant t) {
    return base(t, "default-deny")
        .withNewSpec()
        .withNewPodSelector()
        .endPodSelector()
        .withPolicyTypes("Ingress", "Egress")
        .endSpec()
        .build();
  }

  static NetworkPolicy allowIngressController(Tenant t, Doors doors) {
    return base(t, "allow-ingress-controller")
        .withNewSpec()
        .withNewPodSelector()
        .endPodSelector()
        .withPolicyTypes("Ingress")
        .addNewIngress()
        .withFrom(namespace(doors.ingressNamespace()))
        .endIngress()
        .endSpec()
        .build();
  }

  static NetworkPolicy allowDns(Tenant t) {
    NetworkPolicyPeer kubeDns =
        new NetworkPolicyPeerBuilder(namespace("kube-system"))
            .withNewPodSelector()
            .addToMatchLabels("k8s-app", "kube-dns")
            .endPodSelector()
            .build();
    return egress(t, "allow-dns", kubeDns, port("UDP", 53), port("TCP", 53));
  }

  static NetworkPolicy allowDatabase(Tenant t, Doors doors) {
    NetworkPolicyPeer database =
        new NetworkPolicyPeerBuilder()
            .withNewIpBlock()
            .withCidr(doors.databaseCidr())
            .endIpBlock()
            .build();
    return egress(t, "allow-shared-database", database, port("TCP", doors.databasePort()));
  }

  static NetworkPolicy allowControlPlane(Tenant t, Doors doors) {
    return egress(
        t,
        "allow-control-plane",
        namespace(doors.controlPlaneNamespace()),
        port("TCP", doors.controlPlanePort()));
  }

  /** Every pod of the tenant may send to {@code to} on these ports. */
  private static NetworkPolicy egress(
      Tenant t, String name, NetworkPolicyPeer to, NetworkPolicyPort... ports) {
    return base(t, name)
        .withNewSpec()
        .withNewPodSelector()
        .endPodSelector()
        .withPolicyTypes("Egress")
        .addNewEgress()
        .withTo(to)
        .withPorts(ports)
        .endEgress()
        .endSpec()
        .build();
  }

  /** Every pod of one namespace. */
  private static NetworkPolicyPeer namespace(String name) {
    return new NetworkPolicyPeerBuilder()
        .withNewNamespaceSelector()
        .addToMatchLabels("kubernetes.io/metadata.name", name)
        .endNamespaceSelector()
        .build();
  }

  private static NetworkPolicyPort port(String protocol, int port) {
    return new NetworkPolicyPortBuilder()
        .withProtocol(protocol)
        .withPort(new IntOrString(port))
        .build();
  }
}
