package io.wingu.controlplane.provisioning;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;

/** The namespace's default ServiceAccount, with no token mounted into pods by default. */
public final class ServiceAccounts {

  private ServiceAccounts() {}

  public static ServiceAccount desired(Tenant t) {
    return new ServiceAccountBuilder()
        .withMetadata(Labels.tenantObject(t, "default"))
        .withAutomountServiceAccountToken(false)
        .build();
  }
}
