package io.wingu.controlplane.provisioning;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.wingu.controlplane.plans.Quantities;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tenant's quota: the sum of its sites' approved plans, and no way out of the cluster's edge. A
 * site's pod requests half its plan and is limited to the whole plan (SiteDeployments), so the
 * requests of a site's pod and its rolling update's surge pod together are the plan; the limits
 * have room for {@value #LIMITS_PER_SITE} plans per site, or the surge pod of every deploy would be
 * refused and the site never roll.
 */
public final class ResourceQuotas {

  public static final String NAME = "wingu-quota";

  /** Pods a site may have at once: its replica plus a rolling update's surge and slack. */
  static final int PODS_PER_SITE = 4;

  /** A site's pod and its surge pod, each limited to the site's plan. */
  static final int LIMITS_PER_SITE = 2;

  private ResourceQuotas() {}

  public static ResourceQuota desired(Tenant t) {
    long cpu = 0;
    long memory = 0;
    long storage = 0;
    for (Tenant.Site s : t.liveSites()) {
      cpu += s.cpuMillis();
      memory += s.memoryBytes();
      storage += s.storageBytes();
    }
    Map<String, Quantity> hard = new LinkedHashMap<>();
    hard.put("requests.cpu", new Quantity(Quantities.cpu(cpu)));
    hard.put("limits.cpu", new Quantity(Quantities.cpu(LIMITS_PER_SITE * cpu)));
    hard.put("requests.memory", new Quantity(Quantities.bytes(memory)));
    hard.put("limits.memory", new Quantity(Quantities.bytes(LIMITS_PER_SITE * memory)));
    hard.put("requests.storage", new Quantity(Quantities.bytes(storage)));
    hard.put("pods", new Quantity(String.valueOf(PODS_PER_SITE * t.liveSites().size())));
    hard.put("services.loadbalancers", new Quantity("0"));
    hard.put("services.nodeports", new Quantity("0"));
    return new ResourceQuotaBuilder()
        .withMetadata(Labels.tenantObject(t, NAME))
        .withNewSpec()
        .withHard(hard)
        .endSpec()
        .build();
  }
}
