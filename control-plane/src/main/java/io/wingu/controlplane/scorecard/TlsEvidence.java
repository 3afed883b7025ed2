package io.wingu.controlplane.scorecard;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.wingu.controlplane.provisioning.Labels;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which hostnames have TLS configured, read from the sites' Ingresses on the cluster (a TLS entry
 * naming the host and a certificate Secret): what the cluster serves, not what the database hopes.
 */
public final class TlsEvidence {

  private final KubernetesClient kubernetes;

  public TlsEvidence(KubernetesClient kubernetes) {
    this.kubernetes = kubernetes;
  }

  /** Hosts with TLS by "institution-code/site-name"; empty when the cluster cannot be read. */
  public Optional<Map<String, Set<String>>> hostsBySite() {
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
}
