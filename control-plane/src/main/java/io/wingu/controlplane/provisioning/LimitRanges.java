package io.wingu.controlplane.provisioning;

import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.LimitRangeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;

/** Defaults for containers that name no resources, so the quota never blocks them silently. */
public final class LimitRanges {

  public static final String NAME = "wingu-limits";

  private LimitRanges() {}

  public static LimitRange desired(Tenant t) {
    return new LimitRangeBuilder()
        .withMetadata(Labels.tenantObject(t, NAME))
        .withNewSpec()
        .addNewLimit()
        .withType("Container")
        .withDefault(Map.of("cpu", new Quantity("250m"), "memory", new Quantity("256Mi")))
        .withDefaultRequest(Map.of("cpu", new Quantity("50m"), "memory", new Quantity("64Mi")))
        .endLimit()
        .endSpec()
        .build();
  }
}
