package io.wingu.controlplane.provisioning;

import static io.wingu.controlplane.provisioning.ProvisioningIT.awaitSite;
import static io.wingu.controlplane.provisioning.ProvisioningIT.conditionTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.ControllerAccount;
import io.wingu.controlplane.testing.Eventually;
import io.wingu.controlplane.testing.SharedControlPlane;
import io.wingu.controlplane.testing.TcpProxy;
import io.wingu.controlplane.testing.TenantDatabaseServer;
import io.wingu.controlplane.testing.TestCluster;
import io.wingu.controlplane.testing.TestControlPlane;
import io.wingu.controlplane.wiring.ControlPlane;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The reconciler stopped midway, the API server out of reach, and two replicas at once. */
class ReconcilerFailureIT {

  private static Map<String, String> env(String name) {
    Map<String, String> env = new HashMap<>(TestControlPlane.env(name));
    env.putAll(TenantDatabaseServer.env());
    env.put("WINGU_LOGIN_RATE", "10000");
    return env;
  }

  private static String approve(ApiClient operator, String code, String site) {
    String id =
        operator
            .post(
                "/api/v1/institutions",
                new JsonObject()
                    .put("code", code)
                    .put("name", code)
                    .put("domains", new JsonArray().add(code + ".go.tz"))
                    .put("contactEmail", "ict@" + code + ".go.tz"))
            .json()
            .getString("id");
    operator.post(
        "/api/v1/institutions/" + id + "/users",
        new JsonObject()
            .put("username", code + "-admin")
            .put("password", "admin-password-" + code)
            .put("role", "institution-admin"));
    ApiClient admin = ApiClient.signIn(operator.base(), code + "-admin", "admin-password-" + code);
    String request =
        admin
            .post(
                "/api/v1/requests",
                new JsonObject()
                    .put("siteName", site)
                    .put("hostnames", new JsonArray().add("www." + code + ".go.tz"))
                    .put("plan", "small")
                    .put("database", new JsonObject().put("engine", "postgresql"))
                    .put("justification", "x"))
            .json()
            .getString("id");
    var approved = operator.post("/api/v1/requests/" + request + "/approve", new JsonObject());
    assertThat(approved.status()).as(approved.body()).isEqualTo(200);
    return approved.json().getString("siteId");
  }

  @Test
  void stoppedBetweenTwoAppliesItConvergesOnTheNextRunWithNothingDoubledOrLeftOver()
      throws Exception {
    Map<String, String> env = env("midway");
    env.put("WINGU_KUBECONFIG", ControllerAccount.kubeconfig().toString());
    env.put("WINGU_CONTROLLER_SERVICE_ACCOUNT", ControllerAccount.reference());
    String code = SharedControlPlane.unique("mid").toLowerCase();
    String siteId;
    UUID institution;
    try (ControlPlane plane = TestControlPlane.start(env)) {
      ApiClient operator =
          ApiClient.signIn(
              plane.url(), TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD);
      plane.provisioner().close(); // this replica's own reconciler must not finish the job
      siteId = approve(operator, code, "portal");
      institution =
          UUID.fromString(
              operator.get("/api/v1/sites/" + siteId).json().getString("institutionId"));

      // a reconciler that dies after its fourth write
      var config = Config.fromKubeconfig(Files.readString(ControllerAccount.kubeconfig()));
      try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
          LiveObjects live = new LiveObjects(client, c -> {}, 0)) {
        AtomicInteger writes = new AtomicInteger();
        ServerSideApply dying =
            new ServerSideApply(
                client,
                live,
                obj -> {
                  if (writes.incrementAndGet() > 4) {
                    throw new IllegalStateException("stopped between two applies");
                  }
                });
        TenantReconciler reconciler =
            new TenantReconciler(
                plane.database().dataSource(),
                new TenantStore(),
                client,
                dying,
                live,
                null,
                settings(),
                Clock.systemUTC());
        assertThatThrownBy(() -> reconciler.reconcile(institution))
            .hasMessageContaining("stopped between two applies");
      }
    }
    try (KubernetesClient admin = TestCluster.adminClient()) {
      assertThat(admin.namespaces().withName("inst-" + code).get())
          .as("the first writes happened")
          .isNotNull();
      assertThat(admin.apps().deployments().inNamespace("inst-" + code).withName("portal").get())
          .as("the run stopped before the deployment")
          .isNull();
    }
    try (ControlPlane again = TestControlPlane.start(env)) {
      ApiClient operator =
          ApiClient.signIn(
              again.url(), TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD);
      JsonObject site =
          awaitSite(
              operator,
              siteId,
              s -> conditionTrue(s, "Deployed") && conditionTrue(s, "DatabaseReady"),
              Duration.ofSeconds(30));
      assertThat(site.getString("status")).isEqualTo("PROVISIONING");
    }
    try (KubernetesClient admin = TestCluster.adminClient()) {
      String ns = "inst-" + code;
      assertThat(admin.apps().deployments().inNamespace(ns).list().getItems())
          .extracting(d -> d.getMetadata().getName())
          .containsExactly("portal");
      assertThat(admin.services().inNamespace(ns).list().getItems())
          .extracting(d -> d.getMetadata().getName())
          .containsExactly("portal");
      assertThat(admin.network().v1().networkPolicies().inNamespace(ns).list().getItems())
          .hasSize(5);
      assertThat(admin.resourceQuotas().inNamespace(ns).list().getItems()).hasSize(1);
      assertThat(admin.secrets().inNamespace(ns).list().getItems())
          .extracting(d -> d.getMetadata().getName())
          .containsExactlyInAnyOrder("bundle-token-portal", "db-portal");
    }
  }

  private static TenantReconciler.Settings settings() {
    return new TenantReconciler.Settings(
        SiteDeployments.DEFAULT_IMAGE,
        new SiteIngresses.Edge("nginx", "letsencrypt"),
        new NetworkPolicies.Doors("ingress-nginx", "127.0.0.1/32", 5432),
        Optional.of(ControllerAccount.reference()),
        Duration.ofDays(30));
  }

  @Test
  void anUnreachableApiServerIsReportedAndProvisioningCompletesWhenItReturns() throws Exception {
    String adminYaml = TestCluster.kubeconfigYaml();
    Matcher port = Pattern.compile("server: https://127\\.0\\.0\\.1:(\\d+)").matcher(adminYaml);
    assertThat(port.find()).isTrue();
    try (TcpProxy proxy = new TcpProxy(Integer.parseInt(port.group(1)))) {
      Path kubeconfig =
          Files.writeString(
              Files.createTempFile("proxied", ".yaml"),
              adminYaml.replaceFirst(
                  "server: https://127\\.0\\.0\\.1:\\d+",
                  "server: https://127.0.0.1:" + proxy.port()));
      Map<String, String> env = env("unreachable");
      env.put("WINGU_KUBECONFIG", kubeconfig.toString());
      try (ControlPlane plane = TestControlPlane.start(env)) {
        ApiClient operator =
            ApiClient.signIn(
                plane.url(), TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD);
        String code = SharedControlPlane.unique("cut").toLowerCase();
        proxy.cut();
        String siteId = approve(operator, code, "portal"); // requests are still accepted
        JsonObject site =
            awaitSite(
                operator,
                siteId,
                s ->
                    s.getJsonArray("conditions").stream()
                        .map(JsonObject.class::cast)
                        .anyMatch(c -> "ReconcileFailed".equals(c.getString("reason"))),
                Duration.ofSeconds(30));
        assertThat(site.encode()).contains("Kubernetes API cannot be reached");
        proxy.restore();
        awaitSite(
            operator,
            siteId,
            s -> conditionTrue(s, "Deployed") && conditionTrue(s, "DatabaseReady"),
            Duration.ofSeconds(60));
      }
    }
  }

  @Test
  void twoReplicasNeverReconcileAtOnce() throws Exception {
    Map<String, String> env = env("leader");
    env.put("WINGU_LEADER_ELECTION", "true");
    env.put("WINGU_LEASE_NAMESPACE", "default");
    Map<String, String> second = new HashMap<>(env);
    second.put("WINGU_HTTP_PORT", String.valueOf(io.wingu.controlplane.testing.FreePort.find()));
    ControlPlane a = TestControlPlane.start(env);
    ControlPlane b = TestControlPlane.start(second);
    try {
      Eventually.holds(
          "a replica leads",
          () -> a.provisioner().leading() || b.provisioner().leading(),
          Duration.ofSeconds(30));
      for (int i = 0; i < 10; i++) {
        assertThat(a.provisioner().leading() && b.provisioner().leading())
            .as("both lead")
            .isFalse();
        Thread.sleep(200);
      }
      ControlPlane leader = a.provisioner().leading() ? a : b;
      ControlPlane follower = leader == a ? b : a;
      try (KubernetesClient admin = TestCluster.adminClient()) {
        assertThat(
                admin
                    .leases()
                    .inNamespace("default")
                    .withName("wingu-reconciler")
                    .get()
                    .getSpec()
                    .getHolderIdentity())
            .isEqualTo(leader.provisioner().identity());
      }
      leader.close();
      Eventually.holds(
          "the follower takes over",
          () -> follower.provisioner().leading(),
          Duration.ofSeconds(40));
    } finally {
      a.close();
      b.close();
    }
  }
}
