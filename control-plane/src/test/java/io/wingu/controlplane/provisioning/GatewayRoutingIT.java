package io.wingu.controlplane.provisioning;

import static io.wingu.controlplane.testing.SharedControlPlane.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.ControllerAccount;
import io.wingu.controlplane.testing.Eventually;
import io.wingu.controlplane.testing.GatewayApiCrds;
import io.wingu.controlplane.testing.TestCluster;
import io.wingu.controlplane.testing.TestControlPlane;
import io.wingu.controlplane.wiring.ControlPlane;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Routing by Gateway API on a real kube-apiserver with the pinned release's CRDs installed: each
 * site gets an HTTPRoute with only its hostnames, a ListenerSet attached to the Authority's Gateway
 * and a cert-manager Certificate, written by the controller's own account (the chart's rules); its
 * conditions follow the status a gateway controller and cert-manager write. No gateway controller
 * runs here: the test writes the status one would, through the status subresource.
 */
class GatewayRoutingIT {

  static final Duration WAIT = Duration.ofSeconds(60);
  static final String GATEWAY_NAMESPACE = "wingu-gateway";
  static final String GATEWAY_NAME = "wingu";

  static ControlPlane plane;
  static ApiClient operator;
  static KubernetesClient admin;

  @BeforeAll
  static void start() {
    GatewayApiCrds.install();
    admin = TestCluster.adminClient();
    authorityGateway(admin);
    plane = TestControlPlane.start(gatewayEnv("gatewayrouting"));
    operator =
        ApiClient.signIn(
            plane.url(), TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD);
  }

  @AfterAll
  static void stop() {
    plane.close();
    admin.close();
  }

  /** A control plane routing by Gateway API, as the controller's ServiceAccount. */
  static Map<String, String> gatewayEnv(String name) {
    Map<String, String> env = new HashMap<>(TestControlPlane.env(name));
    env.put("WINGU_KUBECONFIG", ControllerAccount.kubeconfig().toString());
    env.put("WINGU_CONTROLLER_SERVICE_ACCOUNT", ControllerAccount.reference());
    env.put("WINGU_ROUTING", "gateway");
    env.put("WINGU_GATEWAY_NAME", GATEWAY_NAME);
    env.put("WINGU_GATEWAY_NAMESPACE", GATEWAY_NAMESPACE);
    env.put("WINGU_LOGIN_RATE", "10000");
    return env;
  }

  /**
   * The Authority's shared Gateway as README describes it: HTTPS listeners come from the tenants'
   * ListenerSets, admitted only from namespaces labelled as Wingu's; the real CRD validates it.
   */
  static void authorityGateway(KubernetesClient admin) {
    admin
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(GATEWAY_NAMESPACE)
                .endMetadata()
                .build())
        .serverSideApply();
    Map<String, Object> tenants =
        Map.of(
            "from",
            "Selector",
            "selector",
            Map.of("matchLabels", Map.of(Labels.MANAGED_BY, Labels.WINGU)));
    GenericKubernetesResource gateway =
        new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder()
            .withApiVersion(SiteRoutes.GATEWAY_API_VERSION)
            .withKind("Gateway")
            .withNewMetadata()
            .withName(GATEWAY_NAME)
            .withNamespace(GATEWAY_NAMESPACE)
            .endMetadata()
            .addToAdditionalProperties(
                "spec",
                Map.of(
                    "gatewayClassName",
                    "any-conformant-implementation",
                    "allowedListeners",
                    Map.of("namespaces", tenants),
                    "listeners",
                    List.of(
                        Map.of(
                            "name",
                            "http",
                            "port",
                            80,
                            "protocol",
                            "HTTP",
                            "allowedRoutes",
                            Map.of("namespaces", tenants)))))
            .build();
    kind(admin, "Gateway").resource(gateway).fieldManager("authority").serverSideApply();
  }

  static MixedOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      kind(KubernetesClient client, String kind) {
    String apiVersion =
        "Certificate".equals(kind)
            ? SiteRoutes.CERT_MANAGER_API_VERSION
            : SiteRoutes.GATEWAY_API_VERSION;
    return client.genericKubernetesResources(apiVersion, kind);
  }

  static GenericKubernetesResource get(String kind, String namespace, String name) {
    return kind(admin, kind).inNamespace(namespace).withName(name).get();
  }

  /** Writes status as the gateway controller or cert-manager would (retrying on a conflict). */
  static void writeStatus(
      KubernetesClient client,
      String kind,
      String namespace,
      String name,
      Map<String, Object> status)
      throws Exception {
    Eventually.holds(
        kind + " " + name + " takes the status",
        () -> {
          GenericKubernetesResource r =
              kind(client, kind).inNamespace(namespace).withName(name).get();
          r.getAdditionalProperties().put("status", status);
          try {
            kind(client, kind).inNamespace(namespace).resource(r).updateStatus();
            return true;
          } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
              return false;
            }
            throw e;
          }
        },
        WAIT);
  }

  static Map<String, Object> routeStatus(String namespace, String... conditions) {
    List<Map<String, Object>> cs = new java.util.ArrayList<>();
    for (String c : conditions) {
      String[] p = c.split(":", 3);
      cs.add(
          Map.of(
              "type",
              p[0],
              "status",
              p[1],
              "reason",
              p[2],
              "message",
              p[0] + " " + p[2],
              "observedGeneration",
              1,
              "lastTransitionTime",
              "2026-01-01T00:00:00Z"));
    }
    return Map.of(
        "parents",
        List.of(
            Map.of(
                "parentRef",
                Map.of(
                    "group",
                    SiteRoutes.GATEWAY_GROUP,
                    "kind",
                    "ListenerSet",
                    "name",
                    "portal",
                    "namespace",
                    namespace),
                "controllerName",
                "example.org/conformant-gateway",
                "conditions",
                cs)));
  }

  /** An institution with one approved site "portal" on www.<code>.go.tz and <code>.go.tz. */
  static String provision(ApiClient operator, URI base, String code) {
    return ProvisioningIT.provision(operator, base, code, "portal", false).siteId();
  }

  static JsonObject condition(JsonObject site, String type) {
    return site.getJsonArray("conditions").stream()
        .map(JsonObject.class::cast)
        .filter(c -> c.getString("type").equals(type))
        .findFirst()
        .orElse(null);
  }

  static void awaitCondition(
      ApiClient caller, String siteId, String type, String status, String reason) throws Exception {
    Eventually.holds(
        "site condition " + type + "=" + status + " (" + reason + ")",
        () -> {
          JsonObject c = condition(caller.get("/api/v1/sites/" + siteId).json(), type);
          return c != null
              && status.equals(c.getString("status"))
              && reason.equals(c.getString("reason"));
        },
        WAIT);
  }

  @Test
  void aSiteGetsAnHttpRouteAListenerSetAndACertificateAndItsConditionsFollowTheirStatus()
      throws Exception {
    String code = unique("gw").toLowerCase();
    String ns = "inst-" + code;
    String siteId = provision(operator, plane.url(), code);
    List<String> hosts = List.of(code + ".go.tz", "www." + code + ".go.tz");

    // no gateway controller has answered yet: Unknown, saying so
    awaitCondition(operator, siteId, Condition.ROUTED, "Unknown", "NoGatewayAnswer");
    awaitCondition(operator, siteId, Condition.TLS_READY, "Unknown", "NoIssuerAnswer");

    GenericKubernetesResource route = get("HTTPRoute", ns, "portal");
    assertThat(route.getMetadata().getManagedFields())
        .anyMatch(f -> "wingu".equals(f.getManager()) && "Apply".equals(f.getOperation()));
    Map<String, Object> spec = spec(route);
    assertThat(list(spec.get("hostnames"))).containsExactlyElementsOf(hosts);
    assertThat(list(spec.get("parentRefs")))
        .containsExactly(
            (Object)
                Map.of("group", SiteRoutes.GATEWAY_GROUP, "kind", "ListenerSet", "name", "portal"));
    assertThat(spec.get("rules").toString()).contains("name=portal").contains("port=80");

    GenericKubernetesResource listenerSet = get("ListenerSet", ns, "portal");
    Map<String, Object> ls = spec(listenerSet);
    assertThat(ls.get("parentRef"))
        .isEqualTo(
            Map.of(
                "group",
                SiteRoutes.GATEWAY_GROUP,
                "kind",
                "Gateway",
                "name",
                GATEWAY_NAME,
                "namespace",
                GATEWAY_NAMESPACE));
    List<?> listeners = (List<?>) ls.get("listeners");
    assertThat(listeners).hasSize(2);
    assertThat(listeners.stream().map(l -> (Object) ((Map<?, ?>) l).get("hostname")).toList())
        .containsExactlyElementsOf(hosts);
    assertThat(listeners.toString())
        .contains("protocol=HTTPS")
        .contains("port=443")
        .contains("name=portal-tls")
        .contains("from=Same");

    Map<String, Object> cert = spec(get("Certificate", ns, "portal"));
    assertThat(cert.get("secretName")).isEqualTo("portal-tls");
    assertThat(list(cert.get("dnsNames"))).containsExactlyElementsOf(hosts);
    assertThat(cert.get("issuerRef").toString()).contains("kind=ClusterIssuer");

    // no Ingress under gateway routing
    assertThat(admin.network().v1().ingresses().inNamespace(ns).withName("portal").get()).isNull();

    // the gateway controller accepts the route and resolves its references
    writeStatus(
        admin,
        "HTTPRoute",
        ns,
        "portal",
        routeStatus(ns, "Accepted:True:Accepted", "ResolvedRefs:True:ResolvedRefs"));
    awaitCondition(operator, siteId, Condition.ROUTED, "True", "Accepted");

    // then it cannot resolve the backend: False, with the controller's reason in the message
    writeStatus(
        admin,
        "HTTPRoute",
        ns,
        "portal",
        routeStatus(ns, "Accepted:True:Accepted", "ResolvedRefs:False:BackendNotFound"));
    awaitCondition(operator, siteId, Condition.ROUTED, "False", "RouteNotAccepted");
    assertThat(
            condition(operator.get("/api/v1/sites/" + siteId).json(), Condition.ROUTED)
                .getString("message"))
        .contains("ResolvedRefs=False (BackendNotFound)");

    // cert-manager issues the certificate
    writeStatus(
        admin,
        "Certificate",
        ns,
        "portal",
        Map.of(
            "conditions",
            List.of(
                Map.of(
                    "type", "Ready",
                    "status", "True",
                    "reason", "Ready",
                    "message", "Certificate is up to date and has not expired"))));
    awaitCondition(operator, siteId, Condition.TLS_READY, "True", "Issued");

    // suspended: the route, its listeners and its certificate go
    assertThat(
            operator
                .post(
                    "/api/v1/sites/" + siteId + "/suspend",
                    new JsonObject().put("reason", "gateway routing test"))
                .status())
        .isEqualTo(200);
    Eventually.holds(
        "the suspended site's route and listeners are gone",
        () -> get("HTTPRoute", ns, "portal") == null && get("ListenerSet", ns, "portal") == null,
        WAIT);
  }

  @Test
  void readinessNamesNoMissingKindWhenTheCrdsAreInstalled() {
    JsonObject ready = ApiClient.anonymous(plane.url()).get("/readyz").json();
    assertThat(ready.getJsonObject("checks").getJsonObject("routing").getString("status"))
        .isEqualTo("up");
  }

  static List<Object> list(Object o) {
    return new java.util.ArrayList<>((List<?>) o);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> spec(GenericKubernetesResource r) {
    assertThat(r).isNotNull();
    return (Map<String, Object>) r.getAdditionalProperties().get("spec");
  }
}
