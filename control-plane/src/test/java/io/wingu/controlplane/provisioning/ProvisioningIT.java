package io.wingu.controlplane.provisioning;

import static io.wingu.controlplane.testing.SharedControlPlane.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.ControllerAccount;
import io.wingu.controlplane.testing.Eventually;
import io.wingu.controlplane.testing.TenantDatabaseServer;
import io.wingu.controlplane.testing.TestCluster;
import io.wingu.controlplane.testing.TestControlPlane;
import io.wingu.controlplane.testing.TestDatabase;
import io.wingu.controlplane.wiring.ControlPlane;
import io.wingu.dev.LocalPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Approved requests become isolated tenants on a real kube-apiserver, with their databases on a
 * real PostgreSQL; the reconciler runs as a ServiceAccount bound to the chart's rules only.
 */
class ProvisioningIT {

  static ControlPlane plane;
  static ApiClient operator;
  static KubernetesClient admin;
  static Map<String, String> env;

  @BeforeAll
  static void start() {
    env = new HashMap<>(TestControlPlane.env("provisioning"));
    env.putAll(TenantDatabaseServer.env());
    env.put("WINGU_KUBECONFIG", ControllerAccount.kubeconfig().toString());
    env.put("WINGU_CONTROLLER_SERVICE_ACCOUNT", ControllerAccount.reference());
    env.put("WINGU_LOGIN_RATE", "10000");
    plane = TestControlPlane.start(env);
    operator =
        ApiClient.signIn(
            plane.url(), TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD);
    admin = TestCluster.adminClient();
  }

  @AfterAll
  static void stop() {
    plane.close();
    admin.close();
  }

  /** An institution, its admin, and an approved site (with a database when asked). */
  record Provisioned(
      JsonObject institution, String code, String siteId, String siteName, ApiClient admin) {
    String namespace() {
      return "inst-" + code;
    }
  }

  static Provisioned provision(String siteName, boolean database) {
    return provision(operator, plane.url(), unique("p").toLowerCase(), siteName, database);
  }

  /** The same on any control plane: the institution {@code code} and its site {@code siteName}. */
  static Provisioned provision(
      ApiClient operator, java.net.URI base, String code, String siteName, boolean database) {
    JsonObject inst =
        operator
            .post(
                "/api/v1/institutions",
                new JsonObject()
                    .put("code", code)
                    .put("name", "Inst " + code)
                    .put("domains", new JsonArray().add(code + ".go.tz"))
                    .put("contactEmail", "ict@" + code + ".go.tz"))
            .json();
    operator.post(
        "/api/v1/institutions/" + inst.getString("id") + "/users",
        new JsonObject()
            .put("username", code + "-admin")
            .put("password", "admin-password-" + code)
            .put("role", "institution-admin"));
    ApiClient admin = ApiClient.signIn(base, code + "-admin", "admin-password-" + code);
    JsonObject body =
        new JsonObject()
            .put("siteName", siteName)
            .put("hostnames", new JsonArray().add("www." + code + ".go.tz").add(code + ".go.tz"))
            .put("plan", "small")
            .put("justification", "portal");
    if (database) {
      body.put("database", new JsonObject().put("engine", "postgresql"));
    }
    String requestId = admin.post("/api/v1/requests", body).json().getString("id");
    var approved = operator.post("/api/v1/requests/" + requestId + "/approve", new JsonObject());
    assertThat(approved.status()).as(approved.body()).isEqualTo(200);
    return new Provisioned(inst, code, approved.json().getString("siteId"), siteName, admin);
  }

  static JsonObject awaitSite(String siteId, Predicate<JsonObject> done, Duration timeout)
      throws InterruptedException {
    return awaitSite(operator, siteId, done, timeout);
  }

  static JsonObject awaitSite(
      ApiClient caller, String siteId, Predicate<JsonObject> done, Duration timeout)
      throws InterruptedException {
    Instant end = Instant.now().plus(timeout);
    JsonObject site = null;
    while (Instant.now().isBefore(end)) {
      site = caller.get("/api/v1/sites/" + siteId).json();
      if (done.test(site)) {
        return site;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("site did not get there in " + timeout + ": " + site);
  }

  static boolean conditionTrue(JsonObject site, String type) {
    return site.getJsonArray("conditions").stream()
        .map(JsonObject.class::cast)
        .anyMatch(c -> c.getString("type").equals(type) && c.getString("status").equals("True"));
  }

  static Predicate<JsonObject> ready(boolean database) {
    return s ->
        conditionTrue(s, "NamespaceReady")
            && conditionTrue(s, "QuotaApplied")
            && conditionTrue(s, "Deployed")
            && (!database || conditionTrue(s, "DatabaseReady"));
  }

  @Test
  void anApprovedRequestBecomesAnIsolatedTenant() throws Exception {
    Provisioned p = provision("portal", true);
    JsonObject site = awaitSite(p.siteId(), ready(true), Duration.ofSeconds(30));
    assertThat(site.getString("namespace")).isEqualTo(p.namespace());
    assertThat(site.getString("status"))
        .isEqualTo("PROVISIONING"); // no kubelet: not Available (SiteServedIT: a real node)

    var ns = admin.namespaces().withName(p.namespace()).get();
    assertThat(ns.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "wingu")
        .containsEntry("wingu.io/institution", p.code())
        .containsEntry("pod-security.kubernetes.io/enforce", "restricted")
        .containsEntry("pod-security.kubernetes.io/audit", "restricted")
        .containsEntry("pod-security.kubernetes.io/warn", "restricted");
    assertThat(ns.getMetadata().getManagedFields()).anyMatch(f -> "wingu".equals(f.getManager()));

    var quota = admin.resourceQuotas().inNamespace(p.namespace()).withName("wingu-quota").get();
    assertThat(quota.getSpec().getHard())
        .containsEntry("requests.cpu", new Quantity("500m"))
        .containsEntry("limits.memory", new Quantity("1Gi"))
        .containsEntry("requests.storage", new Quantity("5Gi"))
        .containsEntry("services.loadbalancers", new Quantity("0"))
        .containsEntry("services.nodeports", new Quantity("0"))
        .containsKey("pods");
    assertThat(admin.limitRanges().inNamespace(p.namespace()).withName("wingu-limits").get())
        .isNotNull();
    assertThat(admin.network().v1().networkPolicies().inNamespace(p.namespace()).list().getItems())
        .extracting(np -> np.getMetadata().getName())
        .containsExactlyInAnyOrder(
            "default-deny",
            "allow-ingress-controller",
            "allow-dns",
            "allow-shared-database",
            "allow-control-plane");
    var deny =
        admin
            .network()
            .v1()
            .networkPolicies()
            .inNamespace(p.namespace())
            .withName("default-deny")
            .get();
    assertThat(deny.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
    assertThat(
            admin
                .serviceAccounts()
                .inNamespace(p.namespace())
                .withName("default")
                .get()
                .getAutomountServiceAccountToken())
        .isFalse();

    Deployment deployment =
        admin.apps().deployments().inNamespace(p.namespace()).withName("portal").get();
    var pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    var web = pod.getContainers().get(0).getSecurityContext();
    assertThat(web.getAllowPrivilegeEscalation()).isFalse();
    assertThat(web.getReadOnlyRootFilesystem()).isTrue();
    assertThat(web.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(pod.getContainers().get(0).getResources().getLimits())
        .containsEntry("cpu", new Quantity("500m"));
    var service = admin.services().inNamespace(p.namespace()).withName("portal").get().getSpec();
    assertThat(service.getType()).isEqualTo("ClusterIP");
    assertThat(service.getClusterIP()).as("headless: no Service IP per site").isEqualTo("None");
    var ingress =
        admin.network().v1().ingresses().inNamespace(p.namespace()).withName("portal").get();
    assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("nginx");
    assertThat(ingress.getMetadata().getAnnotations())
        .containsEntry("cert-manager.io/cluster-issuer", "letsencrypt");
    assertThat(ingress.getSpec().getRules())
        .extracting(r -> r.getHost())
        .containsExactlyInAnyOrder(p.code() + ".go.tz", "www." + p.code() + ".go.tz");
    assertThat(ingress.getSpec().getTls().get(0).getSecretName()).isEqualTo("portal-tls");

    var webConfig = admin.configMaps().inNamespace(p.namespace()).withName("portal-web").get();
    assertThat(webConfig.getData())
        .containsExactly(Map.entry("default.conf", SiteWebConfigs.defaultConf()));
    assertThat(webConfig.getMetadata().getLabels()).containsEntry("wingu.io/site", "portal");
    assertThat(webConfig.getMetadata().getManagedFields())
        .anyMatch(f -> "wingu".equals(f.getManager()));
    assertThat(pod.getVolumes())
        .anyMatch(v -> v.getConfigMap() != null && "portal-web".equals(v.getConfigMap().getName()));
    assertThat(pod.getContainers().get(0).getVolumeMounts())
        .anyMatch(
            m ->
                "/etc/nginx/conf.d".equals(m.getMountPath())
                    && Boolean.TRUE.equals(m.getReadOnly()));

    var secret = admin.secrets().inNamespace(p.namespace()).withName("db-portal").get();
    assertThat(secret.getData())
        .containsKeys("host", "port", "database", "username", "password", "jdbc-url", "uri");
    assertThat(decode(secret.getData().get("password"))).hasSizeGreaterThanOrEqualTo(43);
    assertThat(site.encode()).doesNotContain(decode(secret.getData().get("password")));
  }

  @Test
  void tenantDatabasesAreIsolatedFromEachOther() throws Exception {
    Provisioned a = provision("portal", true);
    Provisioned b = provision("portal", true);
    awaitSite(a.siteId(), ready(true), Duration.ofSeconds(30));
    awaitSite(b.siteId(), ready(true), Duration.ofSeconds(30));
    Map<String, String> credsA = secretData(a.namespace(), "db-portal");
    Map<String, String> credsB = secretData(b.namespace(), "db-portal");
    assertThat(credsA.get("database")).isNotEqualTo(credsB.get("database"));
    String server = "jdbc:postgresql://" + credsA.get("host") + ":" + credsA.get("port") + "/";
    try (var c =
            DriverManager.getConnection(
                credsA.get("jdbc-url"), credsA.get("username"), credsA.get("password"));
        var st = c.createStatement();
        var rs = st.executeQuery("SHOW statement_timeout")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("30s");
    }
    for (String other : new String[] {credsB.get("database"), "postgres", "template1"}) {
      assertThatThrownBy(
              () ->
                  DriverManager.getConnection(
                          server + other, credsA.get("username"), credsA.get("password"))
                      .close())
          .as(other)
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("permission denied");
    }
    assertThatThrownBy(
            () ->
                DriverManager.getConnection(credsA.get("jdbc-url"), credsA.get("username"), "wrong")
                    .close())
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("password authentication failed");
  }

  @Test
  void aTenantDatabaseLostOnTheServerComesBackWithCredentialsThatWork() throws Exception {
    Provisioned p = provision("lost", true);
    awaitSite(p.siteId(), ready(true), Duration.ofSeconds(30));
    Map<String, String> before = secretData(p.namespace(), "db-lost");
    LocalPostgres server = TenantDatabaseServer.get();
    try (var c =
            DriverManager.getConnection(
                server.jdbcUrl("postgres"), LocalPostgres.SUPERUSER, server.superuserPassword());
        var st = c.createStatement()) {
      st.execute("DROP DATABASE \"" + before.get("database") + "\" WITH (FORCE)");
      st.execute("DROP ROLE \"" + before.get("username") + "\"");
    }
    // the Secret is still complete, so only the role's absence says a new password is needed
    admin
        .apps()
        .deployments()
        .inNamespace(p.namespace())
        .withName("lost")
        .delete(); // wakes the tenant
    Eventually.holds(
        "the database is back and the Secret's password opens it",
        () -> {
          Map<String, String> now = secretData(p.namespace(), "db-lost");
          try (var c =
              DriverManager.getConnection(
                  now.get("jdbc-url"), now.get("username"), now.get("password"))) {
            return c.isValid(2);
          } catch (SQLException e) {
            return false;
          }
        },
        Duration.ofSeconds(30));
  }

  @Test
  void driftIsPutBackWithinSeconds() throws Exception {
    Provisioned p = provision("drift", false);
    awaitSite(p.siteId(), ready(false), Duration.ofSeconds(30));
    admin
        .network()
        .v1()
        .networkPolicies()
        .inNamespace(p.namespace())
        .withName("default-deny")
        .delete();
    admin
        .resourceQuotas()
        .inNamespace(p.namespace())
        .withName("wingu-quota")
        .edit(
            q -> {
              q.getSpec().getHard().put("requests.cpu", new Quantity("64"));
              return q;
            });
    admin.apps().deployments().inNamespace(p.namespace()).withName("drift").delete();
    Eventually.holds(
        "the cluster converged",
        () ->
            admin
                        .network()
                        .v1()
                        .networkPolicies()
                        .inNamespace(p.namespace())
                        .withName("default-deny")
                        .get()
                    != null
                && new Quantity("500m")
                    .equals(
                        admin
                            .resourceQuotas()
                            .inNamespace(p.namespace())
                            .withName("wingu-quota")
                            .get()
                            .getSpec()
                            .getHard()
                            .get("requests.cpu"))
                && admin.apps().deployments().inNamespace(p.namespace()).withName("drift").get()
                    != null,
        Duration.ofSeconds(20));
  }

  @Test
  void theWebServerConfigurationIsPutBackWhenDeletedOrLoosened() throws Exception {
    Provisioned p = provision("docs", false);
    awaitSite(p.siteId(), ready(false), Duration.ofSeconds(30));
    var configs = admin.configMaps().inNamespace(p.namespace());
    assertThat(configs.withName("docs-web").get().getData().get("default.conf"))
        .isEqualTo(SiteWebConfigs.defaultConf());
    var template =
        admin
            .apps()
            .deployments()
            .inNamespace(p.namespace())
            .withName("docs")
            .get()
            .getSpec()
            .getTemplate();
    assertThat(template.getMetadata().getAnnotations())
        .containsEntry("wingu.io/web-config-sha256", SiteWebConfigs.checksum());

    configs.withName("docs-web").delete();
    Eventually.holds(
        "the deleted configuration is back",
        () -> {
          var back = configs.withName("docs-web").get();
          return back != null
              && back.getMetadata().getDeletionTimestamp() == null
              && SiteWebConfigs.defaultConf().equals(back.getData().get("default.conf"));
        },
        Duration.ofSeconds(20));

    // someone swaps in a server that renders uploaded documents inline
    configs
        .withName("docs-web")
        .edit(
            c -> {
              c.getData()
                  .put("default.conf", "server { listen 8080; root /usr/share/nginx/html; }");
              return c;
            });
    Eventually.holds(
        "the loosened configuration is put back",
        () ->
            SiteWebConfigs.defaultConf()
                .equals(configs.withName("docs-web").get().getData().get("default.conf")),
        Duration.ofSeconds(20));
  }

  @Test
  void everySitePodPassesRestrictedAndAPrivilegedOneIsRejected() throws Exception {
    Provisioned p = provision("psa", false);
    awaitSite(p.siteId(), ready(false), Duration.ofSeconds(30));
    var template =
        admin
            .apps()
            .deployments()
            .inNamespace(p.namespace())
            .withName("psa")
            .get()
            .getSpec()
            .getTemplate();
    var admitted =
        admin
            .pods()
            .inNamespace(p.namespace())
            .resource(
                new PodBuilder()
                    .withNewMetadata()
                    .withName("psa-dry-run")
                    .endMetadata()
                    .withSpec(template.getSpec())
                    .build())
            .dryRun()
            .create();
    assertThat(admitted.getMetadata().getName()).isEqualTo("psa-dry-run");
    var privileged =
        new PodBuilder()
            .withNewMetadata()
            .withName("privileged")
            .endMetadata()
            .withNewSpec()
            .addToContainers(
                new ContainerBuilder()
                    .withName("root")
                    .withImage("busybox")
                    .withNewSecurityContext()
                    .withPrivileged(true)
                    .endSecurityContext()
                    .build())
            .endSpec()
            .build();
    assertThatThrownBy(
            () -> admin.pods().inNamespace(p.namespace()).resource(privileged).dryRun().create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("PodSecurity");
  }

  @Test
  void theControllerAccountIsRefusedWhatItDoesNotNeed() throws Exception {
    var config =
        io.fabric8.kubernetes.client.Config.fromKubeconfig(
            Files.readString(ControllerAccount.kubeconfig()));
    try (KubernetesClient controller = new KubernetesClientBuilder().withConfig(config).build()) {
      assertThatThrownBy(() -> controller.secrets().inNamespace("kube-system").list())
          .isInstanceOf(KubernetesClientException.class)
          .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(403));
      assertThatThrownBy(() -> controller.rbac().clusterRoles().list())
          .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(403));
      // nodes and pods it may list (the capacity view's allocatable and requested), never change
      assertThat(controller.nodes().list().getItems()).isNotNull();
      assertThatThrownBy(() -> controller.nodes().withName("any-node").delete())
          .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(403));
      assertThatThrownBy(
              () -> controller.pods().inNamespace("kube-system").withName("any-pod").delete())
          .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(403));
    }
  }

  @Test
  void suspendResumeAndDecommission() throws Exception {
    Provisioned p = provision("cycle", true);
    awaitSite(p.siteId(), ready(true), Duration.ofSeconds(30));
    String path = "/api/v1/sites/" + p.siteId();
    // a site runs a pod once its first revision is deployed
    assertThat(
            admin
                .apps()
                .deployments()
                .inNamespace(p.namespace())
                .withName("cycle")
                .get()
                .getSpec()
                .getReplicas())
        .isZero();
    JsonObject example =
        operator.get("/api/v1/templates").array().stream()
            .map(JsonObject.class::cast)
            .filter(t -> t.getString("id").equals("minimal-landing"))
            .findFirst()
            .orElseThrow()
            .getJsonObject("example");
    var deployed =
        p.admin()
            .post(
                path + "/deployments",
                new JsonObject().put("templateId", "minimal-landing").put("parameters", example));
    assertThat(deployed.status()).as(deployed.body()).isEqualTo(201);
    Eventually.holds(
        "the first revision gets its pod",
        () ->
            admin
                    .apps()
                    .deployments()
                    .inNamespace(p.namespace())
                    .withName("cycle")
                    .get()
                    .getSpec()
                    .getReplicas()
                == 1,
        Duration.ofSeconds(20));
    assertThat(operator.post(path + "/suspend", new JsonObject()).status()).isEqualTo(400);
    assertThat(p.admin().post(path + "/suspend", new JsonObject().put("reason", "x")).status())
        .isEqualTo(403);
    var suspended =
        operator.post(path + "/suspend", new JsonObject().put("reason", "unpaid hosting fee"));
    assertThat(suspended.status()).as(suspended.body()).isEqualTo(200);
    Eventually.holds(
        "the cluster converged",
        () ->
            admin
                        .apps()
                        .deployments()
                        .inNamespace(p.namespace())
                        .withName("cycle")
                        .get()
                        .getSpec()
                        .getReplicas()
                    == 0
                && admin
                        .network()
                        .v1()
                        .ingresses()
                        .inNamespace(p.namespace())
                        .withName("cycle")
                        .get()
                    == null,
        Duration.ofSeconds(20));
    assertThat(operator.get(path).json().getString("status")).isEqualTo("SUSPENDED");

    assertThat(operator.post(path + "/resume", null).status()).isEqualTo(200);
    Eventually.holds(
        "the cluster converged",
        () ->
            admin
                        .apps()
                        .deployments()
                        .inNamespace(p.namespace())
                        .withName("cycle")
                        .get()
                        .getSpec()
                        .getReplicas()
                    == 1
                && admin
                        .network()
                        .v1()
                        .ingresses()
                        .inNamespace(p.namespace())
                        .withName("cycle")
                        .get()
                    != null,
        Duration.ofSeconds(20));

    var gone = operator.send(path);
    assertThat(gone).isEqualTo(202);
    awaitSite(
        p.siteId(), s -> "DECOMMISSIONED".equals(s.getString("status")), Duration.ofSeconds(30));
    for (var obj :
        new Object[] {
          admin.apps().deployments().inNamespace(p.namespace()).withName("cycle").get(),
          admin.services().inNamespace(p.namespace()).withName("cycle").get(),
          admin.configMaps().inNamespace(p.namespace()).withName("cycle-web").get(),
          admin.network().v1().ingresses().inNamespace(p.namespace()).withName("cycle").get(),
          admin.secrets().inNamespace(p.namespace()).withName("db-cycle").get()
        }) {
      assertThat(
              obj == null
                  || ((io.fabric8.kubernetes.api.model.HasMetadata) obj)
                          .getMetadata()
                          .getDeletionTimestamp()
                      != null)
          .as("deleted or being deleted: %s", obj)
          .isTrue();
    }
    assertThat(operator.post(path + "/resume", null).status()).isEqualTo(409);
    var audit =
        operator
            .get("/api/v1/audit?institutionId=" + p.institution().getString("id") + "&limit=500")
            .json();
    assertThat(audit.getJsonArray("items").stream().map(e -> ((JsonObject) e).getString("action")))
        .contains("site.suspend", "site.resume", "site.decommission");
    // the hostname is free again
    JsonObject again =
        new JsonObject()
            .put("siteName", "cycle")
            .put("hostnames", new JsonArray().add("www." + p.code() + ".go.tz"))
            .put("plan", "small")
            .put("justification", "again");
    assertThat(p.admin().post("/api/v1/requests", again).status()).isEqualTo(201);
  }

  /**
   * A decommissioned site's database outlives its namespace for WINGU_DB_RETENTION_DAYS (30 by
   * default), should the institution need its data; once that has run out the reconciler's resync
   * drops the database and its role from the tenant server.
   */
  @Test
  void aDecommissionedSitesDatabaseIsKeptForItsRetentionThenDropped() throws Exception {
    Provisioned p = provision("kept", true);
    awaitSite(p.siteId(), ready(true), Duration.ofSeconds(30));
    String database = secretData(p.namespace(), "db-kept").get("database");
    assertThat(tenantServerHas(database)).as("the database exists while the site lives").isTrue();

    assertThat(operator.send("/api/v1/sites/" + p.siteId())).isEqualTo(202);
    awaitSite(
        p.siteId(), s -> "DECOMMISSIONED".equals(s.getString("status")), Duration.ofSeconds(30));
    assertThat(
            siteRowSays(
                p.siteId(),
                "database_drop_after - now() BETWEEN interval '29 days' AND interval '31 days'"
                    + " AND database_dropped_at IS NULL"))
        .as("kept for the 30 days of the retention")
        .isTrue();
    assertThat(tenantServerHas(database)).as("kept within its retention").isTrue();

    // 30 days later (the retention's end moved to the past: the database's clock is the one used)
    try (var c = TestDatabase.superuser(env.get("WINGU_DB_URL"));
        var st =
            c.prepareStatement(
                "UPDATE site SET database_drop_after = now() - interval '1 minute' WHERE id ="
                    + " ?::uuid")) {
      st.setString(1, p.siteId());
      assertThat(st.executeUpdate()).isEqualTo(1);
    }
    plane.provisioner().resyncAll();
    Eventually.holds(
        "the database and its role are dropped from the tenant server",
        () -> !tenantServerHas(database),
        Duration.ofSeconds(30));
    assertThat(siteRowSays(p.siteId(), "database_dropped_at IS NOT NULL"))
        .as("the drop is recorded")
        .isTrue();
  }

  /** What {@code condition} says of the site's row in the control plane's database. */
  private static boolean siteRowSays(String siteId, String condition) throws SQLException {
    try (var c = TestDatabase.superuser(env.get("WINGU_DB_URL"));
        var st = c.prepareStatement("SELECT " + condition + " FROM site WHERE id = ?::uuid")) {
      st.setString(1, siteId);
      try (var rs = st.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return rs.getBoolean(1);
      }
    }
  }

  /** Whether the tenant database server has a database, or a role, of that name. */
  private static boolean tenantServerHas(String name) throws SQLException {
    LocalPostgres server = TenantDatabaseServer.get();
    try (var c =
            DriverManager.getConnection(
                server.jdbcUrl("postgres"), LocalPostgres.SUPERUSER, server.superuserPassword());
        var st =
            c.prepareStatement(
                "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = ?)"
                    + " OR EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ?)")) {
      st.setString(1, name);
      st.setString(2, name);
      try (var rs = st.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  @Test
  void aHostnameOutsideTheDomainsNeverReachesAnIngress() throws Exception {
    Provisioned p = provision("guarded", false);
    awaitSite(p.siteId(), ready(false), Duration.ofSeconds(30));
    // someone writes a foreign hostname straight into the database: the reconciler checks again
    try (var c =
            DriverManager.getConnection(
                env.get("WINGU_DB_URL"),
                env.get("WINGU_DB_MIGRATION_USER"),
                env.get("WINGU_DB_MIGRATION_PASSWORD"));
        var st =
            c.prepareStatement(
                "INSERT INTO site_hostname (hostname, site_id) VALUES ('www.tra.go.tz', ?::uuid)")) {
      st.setString(1, p.siteId());
      st.executeUpdate();
    }
    plane.provisioner().enqueue(java.util.UUID.fromString(p.institution().getString("id")));
    JsonObject site =
        awaitSite(p.siteId(), s -> s.encode().contains("www.tra.go.tz"), Duration.ofSeconds(20));
    assertThat(site.encode()).contains("left out");
    var ingress =
        admin.network().v1().ingresses().inNamespace(p.namespace()).withName("guarded").get();
    assertThat(ingress.getSpec().getRules())
        .extracting(r -> r.getHost())
        .doesNotContain("www.tra.go.tz");
  }

  @Test
  void aHostnameThatStopsBeingTheInstitutionsLosesItsIngress() throws Exception {
    String tld = unique("t").toLowerCase();
    String code = unique("p").toLowerCase();
    JsonObject inst =
        operator
            .post(
                "/api/v1/institutions",
                new JsonObject()
                    .put("code", code)
                    .put("name", "Inst " + code)
                    .put("domains", new JsonArray().add("go." + tld))
                    .put("contactEmail", "ict@" + code + ".go.tz"))
            .json();
    operator.post(
        "/api/v1/institutions/" + inst.getString("id") + "/users",
        new JsonObject()
            .put("username", code + "-admin")
            .put("password", "admin-password-" + code)
            .put("role", "institution-admin"));
    ApiClient instAdmin = ApiClient.signIn(plane.url(), code + "-admin", "admin-password-" + code);
    String mixed = approvedSite(instAdmin, "mixed", "www.go." + tld, "x.moh.go." + tld);
    String foreign = approvedSite(instAdmin, "foreign", "y.moh.go." + tld);
    awaitSite(mixed, ready(false), Duration.ofSeconds(30));
    awaitSite(foreign, ready(false), Duration.ofSeconds(30));
    String namespace = "inst-" + code;
    assertThat(
            admin
                .network()
                .v1()
                .ingresses()
                .inNamespace(namespace)
                .withName("mixed")
                .get()
                .getSpec()
                .getRules())
        .extracting(r -> r.getHost())
        .containsExactly("www.go." + tld, "x.moh.go." + tld);

    // another institution comes to hold moh.go.<tld> (legacy data: the API refuses the overlap)
    String other = unique("o").toLowerCase();
    JsonObject moh =
        operator
            .post(
                "/api/v1/institutions",
                new JsonObject()
                    .put("code", other)
                    .put("name", "Wizara")
                    .put("domains", new JsonArray().add(other + ".go.tz"))
                    .put("contactEmail", "ict@" + other + ".go.tz"))
            .json();
    io.wingu.controlplane.testing.LegacyDelegations.insert(
        env, moh.getString("id"), "moh.go." + tld);
    plane.provisioner().enqueue(java.util.UUID.fromString(inst.getString("id")));

    JsonObject site =
        awaitSite(mixed, s -> notDelegated(s, "x.moh.go." + tld), Duration.ofSeconds(20));
    assertThat(
            site.getJsonArray("conditions").stream()
                .map(JsonObject.class::cast)
                .filter(c -> c.getString("type").equals("HostnamesDelegated"))
                .findFirst()
                .orElseThrow()
                .getString("message"))
        .doesNotContain("www.go." + tld);
    var ingress = admin.network().v1().ingresses().inNamespace(namespace).withName("mixed").get();
    assertThat(ingress.getSpec().getRules())
        .extracting(r -> r.getHost())
        .containsExactly("www.go." + tld);
    assertThat(ingress.getSpec().getTls().get(0).getHosts()).containsExactly("www.go." + tld);
    // a site left with no hostname of its own has no Ingress at all
    awaitSite(foreign, s -> notDelegated(s, "y.moh.go." + tld), Duration.ofSeconds(20));
    Eventually.holds(
        "the foreign site's Ingress is gone",
        () -> {
          var gone =
              admin.network().v1().ingresses().inNamespace(namespace).withName("foreign").get();
          return gone == null || gone.getMetadata().getDeletionTimestamp() != null;
        },
        Duration.ofSeconds(20));
  }

  private static String approvedSite(ApiClient instAdmin, String siteName, String... hostnames) {
    var asked =
        instAdmin.post(
            "/api/v1/requests",
            new JsonObject()
                .put("siteName", siteName)
                .put("hostnames", new JsonArray(java.util.List.of(hostnames)))
                .put("plan", "small")
                .put("justification", "site"));
    assertThat(asked.status()).as(asked.body()).isEqualTo(201);
    var approved =
        operator.post(
            "/api/v1/requests/" + asked.json().getString("id") + "/approve", new JsonObject());
    assertThat(approved.status()).as(approved.body()).isEqualTo(200);
    return approved.json().getString("siteId");
  }

  /** The site says, with a reason, that the hostname is not served. */
  private static boolean notDelegated(JsonObject site, String hostname) {
    return site.getJsonArray("conditions").stream()
        .map(JsonObject.class::cast)
        .anyMatch(
            c ->
                c.getString("type").equals("HostnamesDelegated")
                    && c.getString("status").equals("False")
                    && c.getString("reason").equals("NotDelegated")
                    && c.getString("message").contains(hostname));
  }

  static Map<String, String> secretData(String namespace, String name) {
    Map<String, String> out = new HashMap<>();
    admin
        .secrets()
        .inNamespace(namespace)
        .withName(name)
        .get()
        .getData()
        .forEach((k, v) -> out.put(k, decode(v)));
    return out;
  }

  static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }
}
