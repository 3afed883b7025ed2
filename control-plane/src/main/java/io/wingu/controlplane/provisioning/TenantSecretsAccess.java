package io.wingu.controlplane.provisioning;

import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;

/**
 * Lets the control plane's own ServiceAccount manage Secrets in this tenant namespace only, so it
 * never needs to read Secrets cluster-wide.
 */
public final class TenantSecretsAccess {

  public static final String CLUSTER_ROLE = "wingu-tenant-secrets";

  private TenantSecretsAccess() {}

  /** {@code serviceAccount} is "namespace:name". */
  public static RoleBinding desired(Tenant t, String serviceAccount) {
    String[] parts = serviceAccount.split(":", 2);
    return new RoleBindingBuilder()
        .withMetadata(Labels.tenantObject(t, "wingu-tenant-secrets"))
        .withNewRoleRef()
        .withApiGroup("rbac.authorization.k8s.io")
        .withKind("ClusterRole")
        .withName(CLUSTER_ROLE)
        .endRoleRef()
        .addNewSubject()
        .withKind("ServiceAccount")
        .withNamespace(parts[0])
        .withName(parts[1])
        .endSubject()
        .build();
  }
}
