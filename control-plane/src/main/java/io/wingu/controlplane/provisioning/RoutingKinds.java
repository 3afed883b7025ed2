package io.wingu.controlplane.provisioning;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether the cluster serves the kinds gateway routing writes, asked through API discovery (which
 * every authenticated account may read): the Gateway API CRDs (HTTPRoute, ListenerSet) and
 * cert-manager's Certificate.
 */
public final class RoutingKinds {

  private RoutingKinds() {}

  /** The kinds the cluster does not serve, as "Kind (apiVersion)"; empty when all are there. */
  public static List<String> missing(KubernetesClient client) {
    List<String> missing = new ArrayList<>();
    for (SiteRoutes.Kind kind : SiteRoutes.KINDS) {
      if (!served(client, kind)) {
        missing.add(kind.kind() + " (" + kind.apiVersion() + ")");
      }
    }
    return missing;
  }

  private static boolean served(KubernetesClient client, SiteRoutes.Kind kind) {
    APIResourceList resources;
    try {
      resources = client.getApiResources(kind.apiVersion());
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return false;
      }
      throw e;
    }
    if (resources == null || resources.getResources() == null) {
      return false;
    }
    for (APIResource r : resources.getResources()) {
      if (kind.plural().equals(r.getName())) {
        return true;
      }
    }
    return false;
  }

  /** Null when every kind is served, else one line naming the missing ones. */
  public static String problem(KubernetesClient client) {
    List<String> missing = missing(client);
    return missing.isEmpty()
        ? null
        : "WINGU_ROUTING=gateway, but the cluster does not serve "
            + String.join(", ", missing)
            + ": install the Gateway API standard channel CRDs and cert-manager";
  }
}
