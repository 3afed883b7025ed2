package io.wingu.controlplane.provisioning;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.util.Map;

/** The tenant's namespace: Pod Security Admission "restricted" in all three modes. */
public final class Namespaces {

  private Namespaces() {}

  public static Namespace desired(Tenant t) {
    Map<String, String> labels = Labels.tenant(t);
    labels.put("pod-security.kubernetes.io/enforce", "restricted");
    labels.put("pod-security.kubernetes.io/enforce-version", "latest");
    labels.put("pod-security.kubernetes.io/audit", "restricted");
    labels.put("pod-security.kubernetes.io/warn", "restricted");
    return new NamespaceBuilder()
        .withNewMetadata()
        .withName(t.namespace())
        .withLabels(labels)
        .endMetadata()
        .build();
  }
}
