package io.wingu.controlplane.provisioning;

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

  /** What a site's pods are selected by (a subset that never changes). */
  public static Map<String, String> siteSelector(Tenant t, Tenant.Site s) {
    return Map.of(INSTITUTION, t.code(), SITE, s.name());
  }
}
