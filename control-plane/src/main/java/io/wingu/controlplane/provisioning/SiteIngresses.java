package io.wingu.controlplane.provisioning;

import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressRuleValueBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRuleBuilder;
import io.wingu.controlplane.institutions.DnsNames;
import java.util.List;

/**
 * The public door of a site: only its approved hostnames, TLS by cert-manager. The hostnames are
 * checked again here against the institution's domains and everyone else's (defence in depth: a
 * domain may have moved, or legacy data may overlap).
 */
public final class SiteIngresses {

  /** The ingress controller and certificate issuer of the cluster. */
  public record Edge(String ingressClass, String clusterIssuer) {}

  private SiteIngresses() {}

  /**
   * Hostnames of the site that really belong to the institution (normalised): each falls under the
   * most specific delegated domain of all institutions, and that domain is this institution's.
   */
  public static List<String> allowedHostnames(Tenant t, Tenant.Site s) {
    return s.hostnames().stream()
        .map(DnsNames::normalise)
        .filter(
            h ->
                DnsNames.problem(h) == null
                    && DnsNames.holder(h, t.delegations())
                        .filter(t.institutionId()::equals)
                        .isPresent())
        .distinct()
        .sorted()
        .toList();
  }

  /** Hostnames of the site left out of its Ingress, as stored. */
  public static List<String> refusedHostnames(Tenant t, Tenant.Site s) {
    List<String> allowed = allowedHostnames(t, s);
    return s.hostnames().stream().filter(h -> !allowed.contains(DnsNames.normalise(h))).toList();
  }

  public static Ingress desired(Tenant t, Tenant.Site s, Edge edge) {
    List<String> hosts = allowedHostnames(t, s);
    List<IngressRule> rules =
        hosts.stream()
            .map(
                h ->
                    new IngressRuleBuilder()
                        .withHost(h)
                        .withHttp(
                            new HTTPIngressRuleValueBuilder()
                                .addNewPath()
                                .withPath("/")
                                .withPathType("Prefix")
                                .withNewBackend()
                                .withNewService()
                                .withName(s.name())
                                .withNewPort()
                                .withName("http")
                                .endPort()
                                .endService()
                                .endBackend()
                                .endPath()
                                .build())
                        .build())
            .toList();
    return new IngressBuilder()
        .withNewMetadata()
        .withName(s.name())
        .withNamespace(t.namespace())
        .withLabels(Labels.site(t, s))
        .addToAnnotations("cert-manager.io/cluster-issuer", edge.clusterIssuer())
        .endMetadata()
        .withNewSpec()
        .withIngressClassName(edge.ingressClass())
        .addNewTl()
        .withHosts(hosts)
        .withSecretName(s.name() + "-tls")
        .endTl()
        .withRules(rules)
        .endSpec()
        .build();
  }
}
