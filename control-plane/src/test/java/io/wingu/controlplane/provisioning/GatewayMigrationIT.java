package io.wingu.controlplane.provisioning;

import static io.wingu.controlplane.provisioning.GatewayRoutingIT.WAIT;
import static io.wingu.controlplane.provisioning.GatewayRoutingIT.condition;
import static io.wingu.controlplane.provisioning.GatewayRoutingIT.kind;
import static io.wingu.controlplane.testing.SharedControlPlane.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.Eventually;
import io.wingu.controlplane.testing.GatewayApiCrds;
import io.wingu.controlplane.testing.TestCluster;
import io.wingu.controlplane.testing.TestControlPlane;
import io.wingu.controlplane.wiring.ControlPlane;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Switching a running installation from WINGU_ROUTING=ingress to gateway moves a live site without
 * a gap: its HTTPRoute is written while the Ingress still serves, and the Ingress goes only once
 * the Gateway has accepted the route. The API server's own watch events give the order of writes.
 */
class GatewayMigrationIT {

  @Test
  void aLiveSiteMovesFromItsIngressToAnAcceptedRouteBeforeTheIngressGoes() throws Exception {
    GatewayApiCrds.install();
    try (KubernetesClient admin = TestCluster.adminClient()) {
      GatewayRoutingIT.authorityGateway(admin);
      Map<String, String> env = new HashMap<>(GatewayRoutingIT.gatewayEnv("gatewaymigration"));
      env.put("WINGU_ROUTING", "ingress");
      String code = unique("mig").toLowerCase();
      String ns = "inst-" + code;
      String siteId;

      // routing by Ingress: the site is live behind its Ingress
      try (ControlPlane before = TestControlPlane.start(env)) {
        ApiClient operator = signIn(before);
        siteId = GatewayRoutingIT.provision(operator, before.url(), code);
        Eventually.holds("the site's Ingress exists", () -> ingress(admin, ns) != null, WAIT);
      }
      assertThat(get(admin, "HTTPRoute", ns, "portal")).isNull();

      List<String> writes = Collections.synchronizedList(new ArrayList<>());
      Watch ingresses = admin.network().v1().ingresses().inNamespace(ns).watch(recorder(writes));
      Watch routes = kind(admin, "HTTPRoute").inNamespace(ns).watch(recorder(writes));
      try {

        env.put("WINGU_ROUTING", "gateway");
        try (ControlPlane after = TestControlPlane.start(env)) {
          ApiClient operator = signIn(after);
          Eventually.holds(
              "the site's HTTPRoute exists",
              () -> get(admin, "HTTPRoute", ns, "portal") != null,
              WAIT);
          // not accepted yet: the Ingress keeps serving, and the site says so
          Eventually.holds(
              "the site says its Ingress serves until the route is accepted",
              () -> {
                var routed =
                    condition(operator.get("/api/v1/sites/" + siteId).json(), Condition.ROUTED);
                return routed != null
                    && routed.getString("message").contains("Ingress keeps serving");
              },
              WAIT);
          assertThat(ingress(admin, ns)).as("the Ingress before the route is accepted").isNotNull();
          assertThat(get(admin, "ListenerSet", ns, "portal")).isNotNull();

          // the gateway accepts the route: then, and only then, the Ingress goes
          GatewayRoutingIT.writeStatus(
              admin,
              "HTTPRoute",
              ns,
              "portal",
              GatewayRoutingIT.routeStatus(
                  ns, "Accepted:True:Accepted", "ResolvedRefs:True:ResolvedRefs"));
          Eventually.holds("the Ingress is gone", () -> ingress(admin, ns) == null, WAIT);
          GatewayRoutingIT.awaitCondition(operator, siteId, Condition.ROUTED, "True", "Accepted");
        }

        // idempotent: a second start in gateway mode changes nothing and brings no Ingress back
        String routeVersion =
            get(admin, "HTTPRoute", ns, "portal").getMetadata().getResourceVersion();
        try (ControlPlane again = TestControlPlane.start(env)) {
          ApiClient operator = signIn(again);
          GatewayRoutingIT.awaitCondition(operator, siteId, Condition.ROUTED, "True", "Accepted");
          assertThat(ingress(admin, ns)).isNull();
          assertThat(get(admin, "HTTPRoute", ns, "portal").getMetadata().getResourceVersion())
              .isEqualTo(routeVersion);
        }
      } finally {
        ingresses.close();
        routes.close();
      }

      // the order the API server stored them in (etcd revisions, one sequence for all kinds):
      // route created, route accepted, and only then the Ingress deleted
      List<String> seen =
          writes.stream()
              .sorted(java.util.Comparator.comparingLong(w -> Long.parseLong(w.split("@")[1])))
              .map(w -> w.split("@")[0])
              .toList();
      int routeAdded = seen.indexOf("ADDED HTTPRoute");
      int accepted = seen.indexOf("MODIFIED HTTPRoute accepted");
      int ingressDeleted = seen.indexOf("DELETED Ingress");
      assertThat(routeAdded).as("%s", seen).isNotNegative();
      assertThat(accepted).as("%s", seen).isGreaterThan(routeAdded);
      assertThat(ingressDeleted).as("%s", seen).isGreaterThan(accepted);
    }
  }

  static GenericKubernetesResource get(
      KubernetesClient admin, String kind, String ns, String name) {
    return kind(admin, kind).inNamespace(ns).withName(name).get();
  }

  static ApiClient signIn(ControlPlane plane) {
    return ApiClient.signIn(
        plane.url(), TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD);
  }

  static Ingress ingress(KubernetesClient admin, String ns) {
    return admin.network().v1().ingresses().inNamespace(ns).withName("portal").get();
  }

  static <T extends HasMetadata> Watcher<T> recorder(List<String> writes) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, T resource) {
        String what = action + " " + resource.getKind();
        if (resource instanceof GenericKubernetesResource r
            && action == Action.MODIFIED
            && SiteRoutes.accepted(r)) {
          what += " accepted";
        }
        writes.add(what + "@" + resource.getMetadata().getResourceVersion());
      }

      @Override
      public void onClose(WatcherException cause) {}
    };
  }
}
