package io.wingu.controlplane.provisioning;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Default deny in both directions, then the four doors a site needs: the ingress controller in, DNS
 * out, the shared database out, and the control plane out (init containers fetch bundles).
 */
public final class NetworkPolicies {

  /**
   * Where the doors lead; the control plane is reached in its namespace on its pods' HTTP port and,
   * when {@code controlPlaneUrl} (WINGU_INTERNAL_URL, where init containers fetch bundles) names an
   * IP address rather than a Service, at that address and port too. DNS is kube-system's kube-dns
   * pods and, when {@code dnsCidr} is given, that address block (a DNS cache on the node).
   */
  public record Doors(
      String ingressNamespace,
      String databaseCidr,
      int databasePort,
      String controlPlaneNamespace,
      int controlPlanePort,
      String controlPlaneUrl,
      String dnsCidr) {

    public static final String DEFAULT_CONTROL_PLANE_NAMESPACE = "wingu-system";
    public static final int DEFAULT_CONTROL_PLANE_PORT = 8080;

    /** Doors with the control plane reached through its namespace only. */
    public Doors(
        String ingressNamespace,
        String databaseCidr,
        int databasePort,
        String controlPlaneNamespace,
        int controlPlanePort) {
      this(
          ingressNamespace,
          databaseCidr,
          databasePort,
          controlPlaneNamespace,
          controlPlanePort,
          null,
          null);
    }

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
        allowDns(t, doors),
        allowDatabase(t, doors),
        allowControlPlane(t, doors));
  }

  private static NetworkPolicyBuilder base(Tenant t, String name) {
    return new NetworkPolicyBuilder().withMetadata(Labels.tenantObject(t, name));
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

  static NetworkPolicy allowDns(Tenant t, Doors doors) {
    List<NetworkPolicyPeer> dns = new ArrayList<>();
    dns.add(
        new NetworkPolicyPeerBuilder(namespace("kube-system"))
            .withNewPodSelector()
            .addToMatchLabels("k8s-app", "kube-dns")
            .endPodSelector()
            .build());
    if (doors.dnsCidr() != null) {
      dns.add(
          new NetworkPolicyPeerBuilder()
              .withNewIpBlock()
              .withCidr(doors.dnsCidr())
              .endIpBlock()
              .build());
    }
    return base(t, "allow-dns")
        .withNewSpec()
        .withNewPodSelector()
        .endPodSelector()
        .withPolicyTypes("Egress")
        .addNewEgress()
        .withTo(dns)
        .withPorts(port("UDP", 53), port("TCP", 53))
        .endEgress()
        .endSpec()
        .build();
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

  static NetworkPolicy allowControlPlane(Tenant t, Doors doors) {
    NetworkPolicy policy =
        egress(
            t,
            "allow-control-plane",
            namespace(doors.controlPlaneNamespace()),
            port("TCP", doors.controlPlanePort()));
    // A control plane outside the cluster's pods (dev mode and the real-node tests: a process on
    // the node, WINGU_INTERNAL_URL=http://10.244.0.1:<port>) is no pod of any namespace: with the
    // namespace door alone an enforcing node drops every bundle fetch and no site pod starts.
    URI url = doors.controlPlaneUrl() == null ? null : URI.create(doors.controlPlaneUrl());
    if (url != null && url.getHost() != null && isAddress(url.getHost())) {
      String host = url.getHost().replace("[", "").replace("]", "");
      int port = url.getPort() > 0 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
      NetworkPolicyPeer address =
          new NetworkPolicyPeerBuilder()
              .withNewIpBlock()
              .withCidr(host + (host.contains(":") ? "/128" : "/32"))
              .endIpBlock()
              .build();
      policy
          .getSpec()
          .getEgress()
          .add(
              new NetworkPolicyEgressRuleBuilder()
                  .withTo(address)
                  .withPorts(port("TCP", port))
                  .build());
    }
    return policy;
  }

  /** An IPv4 literal or a bracketed IPv6 one, as a URL's host holds them; not a DNS name. */
  private static boolean isAddress(String host) {
    return host.matches("\\d{1,3}(\\.\\d{1,3}){3}") || host.startsWith("[");
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
