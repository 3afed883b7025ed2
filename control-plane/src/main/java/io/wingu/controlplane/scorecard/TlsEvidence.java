package io.wingu.controlplane.scorecard;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.wingu.controlplane.provisioning.Condition;
import io.wingu.controlplane.provisioning.Labels;
import io.wingu.controlplane.provisioning.SiteRoutes;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which hostnames have TLS configured, read from the cluster: what it serves, not what the database
 * hopes. Under Ingress routing, the sites' Ingresses (a TLS entry naming the host and a certificate
 * Secret); under gateway routing, the sites' cert-manager Certificates whose Ready condition is
 * True (the evidence of the sites' TlsReady condition).
 */
public final class TlsEvidence {

  private final KubernetesClient kubernetes;
  private final boolean gatewayRouting;

  public TlsEvidence(KubernetesClient kubernetes) {
    this(kubernetes, false);
  }

  public TlsEvidence(KubernetesClient kubernetes, boolean gatewayRouting) {
    this.kubernetes = kubernetes;
    this.gatewayRouting = gatewayRouting;
  }

  /** Hosts with TLS by "institution-code/site-name"; empty when the cluster cannot be read. */
  public Optional<Map<String, Set<String>>> hostsBySite() {
    if (gatewayRouting) {
      return issuedCertificates();
    }
    try {
      Map<String, Set<String>> out = new HashMap<>();
      for (Ingress ingress :
          kubernetes
              .network()
              .v1()
              .ingresses()
              .inAnyNamespace()
              .withLabel(Labels.MANAGED_BY, Labels.WINGU)
              .list()
              .getItems()) {
        Map<String, String> labels = ingress.getMetadata().getLabels();
        String key = labels.get(Labels.INSTITUTION) + "/" + labels.get(Labels.SITE);
        Set<String> hosts = out.computeIfAbsent(key, k -> new HashSet<>());
        if (ingress.getSpec() != null && ingress.getSpec().getTls() != null) {
          for (IngressTLS tls : ingress.getSpec().getTls()) {
            if (tls.getSecretName() != null
                && !tls.getSecretName().isBlank()
                && tls.getHosts() != null) {
              hosts.addAll(tls.getHosts());
            }
          }
        }
      }
      return Optional.of(out);
    } catch (KubernetesClientException e) {
      return Optional.empty();
    }
  }

  private Optional<Map<String, Set<String>>> issuedCertificates() {
    try {
      Map<String, Set<String>> out = new HashMap<>();
      for (GenericKubernetesResource cert :
          kubernetes
              .genericKubernetesResources(SiteRoutes.CERT_MANAGER_API_VERSION, "Certificate")
              .inAnyNamespace()
              .withLabel(Labels.MANAGED_BY, Labels.WINGU)
              .list()
              .getItems()) {
        Map<String, String> labels = cert.getMetadata().getLabels();
        Set<String> hosts =
            out.computeIfAbsent(
                labels.get(Labels.INSTITUTION) + "/" + labels.get(Labels.SITE),
                k -> new HashSet<>());
        if (Condition.TRUE.equals(SiteRoutes.tlsReady(cert).status())
            && cert.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec
            && spec.get("dnsNames") instanceof List<?> names) {
          names.forEach(n -> hosts.add(String.valueOf(n)));
        }
      }
      return Optional.of(out);
    } catch (KubernetesClientException e) {
      return Optional.empty();
    }
  }
}
