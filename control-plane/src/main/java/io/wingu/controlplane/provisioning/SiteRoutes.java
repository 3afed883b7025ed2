package io.wingu.controlplane.provisioning;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The public door of a site under Gateway API: an HTTPRoute carrying only the site's approved
 * hostnames, a ListenerSet in the tenant namespace that adds one HTTPS listener per hostname to the
 * Authority's shared Gateway (so each tenant's hostnames and certificates live with the tenant, and
 * the shared Gateway's 64-listener limit is never reached: every ListenerSet has its own), and a
 * cert-manager Certificate whose Secret those listeners present.
 *
 * <p>The objects are built as generic resources: Gateway API and cert-manager are CRDs, and Wingu
 * needs only the few fields it writes and the status it reads.
 */
public final class SiteRoutes {

  public static final String GATEWAY_GROUP = "gateway.networking.k8s.io";
  public static final String GATEWAY_API_VERSION = GATEWAY_GROUP + "/v1";
  public static final String CERT_MANAGER_API_VERSION = "cert-manager.io/v1";

  /** The kinds gateway routing writes, as "apiVersion kind" (start-up checks they are served). */
  public static final List<Kind> KINDS =
      List.of(
          new Kind(GATEWAY_API_VERSION, "HTTPRoute", "httproutes"),
          new Kind(GATEWAY_API_VERSION, "ListenerSet", "listenersets"),
          new Kind(CERT_MANAGER_API_VERSION, "Certificate", "certificates"));

  /** A kind of custom resource Wingu writes. */
  public record Kind(String apiVersion, String kind, String plural) {
    public String group() {
      return apiVersion.substring(0, apiVersion.indexOf('/'));
    }

    public String version() {
      return apiVersion.substring(apiVersion.indexOf('/') + 1);
    }
  }

  /** The Authority's shared Gateway the sites attach to, and the issuer of their certificates. */
  public record Gateway(String name, String namespace, String clusterIssuer) {}

  private SiteRoutes() {}

  /** The Secret holding the site's certificate (the same name the Ingress used). */
  public static String tlsSecret(Tenant.Site s) {
    return s.name() + "-tls";
  }

  public static GenericKubernetesResource route(Tenant t, Tenant.Site s) {
    List<String> hosts = SiteIngresses.allowedHostnames(t, s);
    Map<String, Object> parent = new LinkedHashMap<>();
    parent.put("group", GATEWAY_GROUP);
    parent.put("kind", "ListenerSet");
    parent.put("name", s.name());
    Map<String, Object> rule =
        Map.of(
            "matches",
            List.of(Map.of("path", Map.of("type", "PathPrefix", "value", "/"))),
            "backendRefs",
            List.of(Map.of("group", "", "kind", "Service", "name", s.name(), "port", 80)));
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("parentRefs", List.of(parent));
    spec.put("hostnames", hosts);
    spec.put("rules", List.of(rule));
    return object(GATEWAY_API_VERSION, "HTTPRoute", t, s, s.name(), spec);
  }

  public static GenericKubernetesResource listenerSet(Tenant t, Tenant.Site s, Gateway gateway) {
    List<Map<String, Object>> listeners = new ArrayList<>();
    for (String host : SiteIngresses.allowedHostnames(t, s)) {
      Map<String, Object> listener = new LinkedHashMap<>();
      // a normalised hostname is a valid listener name, and stable while the hostname stays
      listener.put("name", host);
      listener.put("hostname", host);
      listener.put("port", 443);
      listener.put("protocol", "HTTPS");
      listener.put(
          "tls",
          Map.of(
              "mode",
              "Terminate",
              "certificateRefs",
              List.of(Map.of("group", "", "kind", "Secret", "name", tlsSecret(s)))));
      // only this site's own namespace may attach routes to the tenant's listeners
      listener.put("allowedRoutes", Map.of("namespaces", Map.of("from", "Same")));
      listeners.add(listener);
    }
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put(
        "parentRef",
        Map.of(
            "group",
            GATEWAY_GROUP,
            "kind",
            "Gateway",
            "name",
            gateway.name(),
            "namespace",
            gateway.namespace()));
    spec.put("listeners", listeners);
    return object(GATEWAY_API_VERSION, "ListenerSet", t, s, s.name(), spec);
  }

  public static GenericKubernetesResource certificate(Tenant t, Tenant.Site s, Gateway gateway) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("secretName", tlsSecret(s));
    spec.put("dnsNames", SiteIngresses.allowedHostnames(t, s));
    spec.put(
        "issuerRef",
        Map.of(
            "group", "cert-manager.io", "kind", "ClusterIssuer", "name", gateway.clusterIssuer()));
    return object(CERT_MANAGER_API_VERSION, "Certificate", t, s, s.name(), spec);
  }

  private static GenericKubernetesResource object(
      String apiVersion,
      String kind,
      Tenant t,
      Tenant.Site s,
      String name,
      Map<String, Object> spec) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion(apiVersion)
        .withKind(kind)
        .withMetadata(Labels.siteObject(t, s, name))
        .addToAdditionalProperties("spec", spec)
        .build();
  }

  /**
   * The {@code Routed} condition from {@code HTTPRoute.status.parents[].conditions}: True when a
   * gateway controller has accepted the route and resolved its references, False with the
   * controller's reason when it refused either, Unknown while no controller has answered.
   */
  public static Condition routed(GenericKubernetesResource live) {
    List<Map<String, Object>> parents = list(map(live, "status"), "parents");
    if (parents.isEmpty()) {
      return Condition.unknown(
          Condition.ROUTED,
          "NoGatewayAnswer",
          "no gateway controller has answered for the route yet (is the Authority's Gateway running?)");
    }
    List<String> refused = new ArrayList<>();
    boolean accepted = false;
    boolean resolved = false;
    for (Map<String, Object> parent : parents) {
      for (Map<String, Object> c : list(parent, "conditions")) {
        String type = String.valueOf(c.get("type"));
        boolean isTrue = "True".equals(c.get("status"));
        if ("Accepted".equals(type) || "ResolvedRefs".equals(type)) {
          if (isTrue) {
            accepted |= "Accepted".equals(type);
            resolved |= "ResolvedRefs".equals(type);
          } else {
            refused.add(
                type + "=" + c.get("status") + " (" + c.get("reason") + "): " + c.get("message"));
          }
        }
      }
    }
    if (!refused.isEmpty()) {
      return Condition.of(Condition.ROUTED, false, "RouteNotAccepted", String.join("; ", refused));
    }
    if (accepted && resolved) {
      return Condition.of(
          Condition.ROUTED,
          true,
          "Accepted",
          "the Gateway accepted the route and resolved its references");
    }
    return Condition.unknown(
        Condition.ROUTED,
        "NoGatewayAnswer",
        "the gateway controller has not reported Accepted and ResolvedRefs for the route yet");
  }

  /** True when a gateway controller has accepted the route (the Ingress may then go). */
  public static boolean accepted(GenericKubernetesResource live) {
    return live != null
        && list(map(live, "status"), "parents").stream()
            .flatMap(p -> list(p, "conditions").stream())
            .anyMatch(c -> "Accepted".equals(c.get("type")) && "True".equals(c.get("status")));
  }

  /** The {@code TlsReady} condition from the Certificate's {@code Ready} condition. */
  public static Condition tlsReady(GenericKubernetesResource live) {
    for (Map<String, Object> c : list(map(live, "status"), "conditions")) {
      if ("Ready".equals(c.get("type"))) {
        String reason = c.get("reason") == null ? "Ready" : String.valueOf(c.get("reason"));
        String message = c.get("message") == null ? "" : String.valueOf(c.get("message"));
        return switch (String.valueOf(c.get("status"))) {
          case "True" -> Condition.of(Condition.TLS_READY, true, "Issued", message);
          case "False" -> Condition.of(Condition.TLS_READY, false, reason, message);
          default -> Condition.unknown(Condition.TLS_READY, reason, message);
        };
      }
    }
    return Condition.unknown(
        Condition.TLS_READY,
        "NoIssuerAnswer",
        "cert-manager has not reported on the site's certificate yet");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(GenericKubernetesResource r, String key) {
    Object o = r == null ? null : r.getAdditionalProperties().get(key);
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Map<String, Object> m, String key) {
    Object o = m.get(key);
    if (!(o instanceof List<?> l)) {
      return List.of();
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object e : l) {
      if (e instanceof Map<?, ?> item) {
        out.add((Map<String, Object>) item);
      }
    }
    return out;
  }
}
