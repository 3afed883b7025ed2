package io.wingu.controlplane.provisioning;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.wingu.controlplane.institutions.DnsNames;

/**
 * The institution's delegated domains, kept in its namespace as the parameter object of the chart's
 * tenant guardrails (templates/tenant-guardrails.yaml): the API server refuses a route or Ingress
 * there whose hostnames fall outside them, whoever writes it. Applied before any site's route,
 * which the policy checks against it.
 */
public final class TenantDomains {

  /** Name of the ConfigMap; the policy binding's paramRef names it too. */
  public static final String NAME = "wingu-domains";

  private TenantDomains() {}

  public static ConfigMap desired(Tenant t) {
    return new ConfigMapBuilder()
        .withMetadata(Labels.tenantObject(t, NAME))
        // space-separated, normalised as DnsNames does (lowercase, punycode, no trailing dot)
        .addToData(
            "domains",
            String.join(
                " ", t.domains().stream().map(DnsNames::normalise).distinct().sorted().toList()))
        .build();
  }
}
