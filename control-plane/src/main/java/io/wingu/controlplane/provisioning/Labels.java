package io.wingu.controlplane.provisioning;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/** Labels every object Wingu owns carries: how informers find them and events find tenants. */
public final class Labels {

  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String WINGU = "wingu";
  public static final String INSTITUTION = "wingu.io/institution";
  public static final String SITE = "wingu.io/site";
  public static final String FIELD_MANAGER = "wingu";

  private Labels() {}

  public static Map<String, String> tenant(Tenant t) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(MANAGED_BY, WINGU);
    labels.put("app.kubernetes.io/part-of", "wingu");
    labels.put(INSTITUTION, t.code());
    return labels;
  }

  public static Map<String, String> site(Tenant t, Tenant.Site s) {
    Map<String, String> labels = tenant(t);
    labels.put("app.kubernetes.io/name", "site");
    labels.put("app.kubernetes.io/instance", s.name());
    labels.put("app.kubernetes.io/component", "web");
    labels.put(SITE, s.name());
    return labels;
  }

  /** The metadata of a tenant-wide object: {@code name} in the tenant's namespace, its labels. */
  public static ObjectMeta tenantObject(Tenant t, String name) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(t.namespace())
        .withLabels(tenant(t))
        .build();
  }

  /**
   * The metadata of one of a site's objects: {@code name} in the tenant's namespace, its labels.
   */
  public static ObjectMeta siteObject(Tenant t, Tenant.Site s, String name) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(t.namespace())
        .withLabels(site(t, s))
        .build();
  }

  /** What a site's pods are selected by (a subset that never changes). */
  public static Map<String, String> siteSelector(Tenant t, Tenant.Site s) {
    return Map.of(INSTITUTION, t.code(), SITE, s.name());
  }
}
