package io.wingu.helm;

import static io.wingu.helm.RenderedChart.NAMESPACE;
import static io.wingu.helm.RenderedChart.ciValues;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LimitRangeBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The control plane's own Kubernetes account, confined: the chart's RBAC and its
 * ValidatingAdmissionPolicy on a real kube-apiserver (RBAC authorization on), and every request
 * made AS the controller's ServiceAccount, with a token the API server issued for it. The
 * escalations its rights used to allow (bind "wingu-tenant-secrets" in kube-system and read the
 * Secrets there, delete or relabel any namespace, write outside tenant namespaces) are refused, and
 * everything the reconciler legitimately writes still goes through.
 */
class ControllerConfinementIT {

  private static final String SERVICE_ACCOUNT = "wingu";
  private static final String USER = "system:serviceaccount:" + NAMESPACE + ":" + SERVICE_ACCOUNT;
  private static final String POLICY = "wingu-controller-confinement";
  private static final String TENANT_SECRETS = "wingu-tenant-secrets";
  private static final Duration PROPAGATION = Duration.ofSeconds(60);

  private static LocalApiServer apiServer;
  private static KubernetesClient admin;
  private static KubernetesClient controller;

  @BeforeAll
  static void installTheChartThenSignInAsTheController() {
    apiServer = LocalApiServer.start();
    admin = apiServer.client();
    admin.resource(namespace(NAMESPACE, Map.of())).serverSideApply();
    // the controller's confinement alone (the tenant guardrails: control-plane TenantGuardrailsIT)
    RenderedChart chart =
        RenderedChart.render(
            List.of(ciValues("minimal-values.yaml")), "tenantGuardrails.enabled", "false");
    assertThat(chart.all(ValidatingAdmissionPolicy.class))
        .extracting(p -> p.getMetadata().getName())
        .containsExactly(POLICY);
    // every object of the chart (its RBAC, the controller's ServiceAccount, the policy and its
    // binding)
    chart.objects().stream()
        .sorted(Comparator.comparingInt(o -> o.getKind().equals("Namespace") ? 0 : 1))
        .forEach(
            o -> admin.resource(o).fieldManager("wingu-test").forceConflicts().serverSideApply());
    // a Secret the escalation is after
    admin
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("cloud-credentials")
                .withNamespace("kube-system")
                .endMetadata()
                .addToStringData("token", "not-for-wingu")
                .build())
        .serverSideApply();

    String token =
        admin
            .serviceAccounts()
            .inNamespace(NAMESPACE)
            .withName(SERVICE_ACCOUNT)
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(3600L)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();
    Config adminConfig = admin.getConfiguration();
    controller =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(Config.empty())
                    .withMasterUrl(adminConfig.getMasterUrl())
                    .withCaCertFile(adminConfig.getCaCertFile())
                    .withCaCertData(adminConfig.getCaCertData())
                    .withOauthToken(token)
                    .withRequestRetryBackoffLimit(0)
                    .build())
            .build();

    // (the policy's type check is written to its status by kube-controller-manager, which this test
    // has not: an expression that failed at run time would refuse the legitimate writes below)
    // the API server enforces a new policy once its informer has it: probe with a dry run
    eventually(
        "the policy is enforced",
        () ->
            refusalOf(() -> controller.resource(namespace("probe", Map.of())).dryRun().create())
                .contains("ValidatingAdmissionPolicy '" + POLICY + "'"));
  }

  @AfterAll
  static void stopApiServer() {
    if (controller != null) {
      controller.close();
    }
    if (apiServer != null) {
      apiServer.close();
    }
  }

  @Test
  void bindingTheTenantSecretsRoleInKubeSystemIsRefusedAndItsSecretsStayUnreadable() {
    RoleBinding escalation =
        new RoleBindingBuilder()
            .withNewMetadata()
            .withName("wingu-tenant-secrets")
            .withNamespace("kube-system")
            .endMetadata()
            .withNewRoleRef()
            .withApiGroup("rbac.authorization.k8s.io")
            .withKind("ClusterRole")
            .withName(TENANT_SECRETS)
            .endRoleRef()
            .addNewSubject()
            .withKind("ServiceAccount")
            .withNamespace(NAMESPACE)
            .withName(SERVICE_ACCOUNT)
            .endSubject()
            .build();
    refusedByPolicy(() -> controller.resource(escalation).create());
    refusedByPolicy(
        () ->
            controller
                .resource(escalation)
                .fieldManager("wingu")
                .forceConflicts()
                .serverSideApply());
    assertThat(
            admin
                .rbac()
                .roleBindings()
                .inNamespace("kube-system")
                .withName("wingu-tenant-secrets")
                .get())
        .isNull();
    // nor in the control plane's own namespace, where the chart's Secret is
    RoleBinding own =
        new RoleBindingBuilder(escalation)
            .editMetadata()
            .withNamespace(NAMESPACE)
            .endMetadata()
            .build();
    refusedByPolicy(() -> controller.resource(own).create());

    refusedByRbac(
        () -> controller.secrets().inNamespace("kube-system").withName("cloud-credentials").get());
    refusedByRbac(() -> controller.secrets().inNamespace("kube-system").list());
    refusedByRbac(() -> controller.secrets().inAnyNamespace().list());
    refusedByRbac(() -> controller.secrets().inNamespace(NAMESPACE).withName("wingu").get());
  }

  @Test
  void deletingKubeSystemOrAnyNamespaceIsRefusedEvenWithTheRightToDeleteNamespaces() {
    admin.resource(namespace("payroll", Map.of())).serverSideApply();
    // a namespace that pretends to be Wingu's but is not inst-<code>
    admin
        .resource(namespace("payroll-lookalike", tenantNamespaceLabels("payroll")))
        .serverSideApply();
    admin.resource(namespace("inst-gone", tenantNamespaceLabels("gone"))).serverSideApply();
    // Wingu never deletes a namespace: its rules do not allow it at all
    refusedByRbac(() -> controller.namespaces().withName("kube-system").delete());
    refusedByRbac(() -> controller.namespaces().withName("payroll").delete());
    refusedByRbac(() -> controller.namespaces().withName("inst-gone").delete());

    // and should someone grant it, the policy still lets it delete tenant namespaces only
    admin
        .resource(
            new ClusterRoleBuilder()
                .withNewMetadata()
                .withName("namespace-deleter")
                .endMetadata()
                .addNewRule()
                .withApiGroups("")
                .withResources("namespaces")
                .withVerbs("delete")
                .endRule()
                .build())
        .serverSideApply();
    admin
        .resource(
            new ClusterRoleBindingBuilder()
                .withNewMetadata()
                .withName("namespace-deleter")
                .endMetadata()
                .withNewRoleRef()
                .withApiGroup("rbac.authorization.k8s.io")
                .withKind("ClusterRole")
                .withName("namespace-deleter")
                .endRoleRef()
                .addNewSubject()
                .withKind("ServiceAccount")
                .withNamespace(NAMESPACE)
                .withName(SERVICE_ACCOUNT)
                .endSubject()
                .build())
        .serverSideApply();
    try {
      eventually(
          "RBAC lets the controller delete namespaces",
          () ->
              !refusalOf(() -> controller.namespaces().withName("payroll").delete())
                  .contains("cannot delete"));
      refusedByPolicy(() -> controller.namespaces().withName("payroll").delete());
      refusedByPolicy(() -> controller.namespaces().withName("payroll-lookalike").delete());
      refusedByPolicy(() -> controller.namespaces().withName(NAMESPACE).delete());
      assertThatThrownBy(() -> controller.namespaces().withName("kube-system").delete())
          .isInstanceOf(KubernetesClientException.class);
      for (String kept : List.of("payroll", "payroll-lookalike", NAMESPACE, "kube-system")) {
        assertThat(admin.namespaces().withName(kept).get().getMetadata().getDeletionTimestamp())
            .as(kept)
            .isNull();
      }
      controller.namespaces().withName("inst-gone").delete();
      Namespace gone = admin.namespaces().withName("inst-gone").get();
      assertThat(gone == null || gone.getMetadata().getDeletionTimestamp() != null)
          .as("inst-gone deleted")
          .isTrue();
    } finally {
      admin.rbac().clusterRoleBindings().withName("namespace-deleter").delete();
    }
  }

  @Test
  void labellingOrUnlabellingANamespaceThatIsNotATenantIsRefused() {
    admin.resource(namespace("inst-lookalike", Map.of())).serverSideApply();
    // an existing namespace cannot be made a tenant, however it is named
    refusedByPolicy(
        () ->
            controller
                .resource(namespace("inst-lookalike", tenantNamespaceLabels("lookalike")))
                .fieldManager("wingu")
                .forceConflicts()
                .serverSideApply());
    refusedByPolicy(
        () ->
            controller
                .namespaces()
                .withName("kube-system")
                .edit(
                    n ->
                        new NamespaceBuilder(n)
                            .editMetadata()
                            .addToLabels(tenantLabels("kube-system"))
                            .endMetadata()
                            .build()));
    refusedByPolicy(
        () ->
            controller
                .namespaces()
                .withName("kube-public")
                .edit(
                    n ->
                        new NamespaceBuilder(n)
                            .editMetadata()
                            .addToLabels("team", "wingu")
                            .endMetadata()
                            .build()));
    assertThat(admin.namespaces().withName("inst-lookalike").get().getMetadata().getLabels())
        .doesNotContainKey("wingu.io/institution");

    // and a tenant namespace keeps its labels
    controller
        .resource(namespace("inst-kept", tenantNamespaceLabels("kept")))
        .fieldManager("wingu")
        .forceConflicts()
        .serverSideApply();
    refusedByPolicy(
        () ->
            controller
                .namespaces()
                .withName("inst-kept")
                .edit(
                    n ->
                        new NamespaceBuilder(n)
                            .editMetadata()
                            .removeFromLabels("wingu.io/institution")
                            .endMetadata()
                            .build()));
    refusedByPolicy(
        () ->
            controller
                .namespaces()
                .withName("inst-kept")
                .edit(
                    n ->
                        new NamespaceBuilder(n)
                            .editMetadata()
                            .addToLabels("wingu.io/institution", "other")
                            .endMetadata()
                            .build()));
    // nor may it relax Pod Security there, to then start a privileged pod
    refusedByPolicy(
        () ->
            controller
                .namespaces()
                .withName("inst-kept")
                .edit(
                    n ->
                        new NamespaceBuilder(n)
                            .editMetadata()
                            .addToLabels("pod-security.kubernetes.io/enforce", "privileged")
                            .endMetadata()
                            .build()));
    refusedByPolicy(
        () ->
            controller
                .namespaces()
                .withName("inst-kept")
                .edit(
                    n ->
                        new NamespaceBuilder(n)
                            .editMetadata()
                            .removeFromLabels("pod-security.kubernetes.io/enforce")
                            .endMetadata()
                            .build()));
    refusedByPolicy(
        () ->
            controller
                .namespaces()
                .withName("inst-kept")
                .edit(
                    n ->
                        new NamespaceBuilder(n)
                            .editMetadata()
                            .addToLabels("pod-security.kubernetes.io/enforce-version", "v1.0")
                            .endMetadata()
                            .build()));
    assertThat(admin.namespaces().withName("inst-kept").get().getMetadata().getLabels())
        .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
  }

  @Test
  void creatingANamespaceThatIsNotATenantIsRefused() {
    refusedByPolicy(() -> controller.resource(namespace("unlabelled", Map.of())).create());
    refusedByPolicy(() -> controller.resource(namespace("inst-unlabelled", Map.of())).create());
    refusedByPolicy(
        () -> controller.resource(namespace("evil", tenantNamespaceLabels("evil"))).create());
    refusedByPolicy(() -> controller.resource(namespace("inst-lax", tenantLabels("lax"))).create());
    Map<String, String> notManaged = new LinkedHashMap<>(tenantNamespaceLabels("half"));
    notManaged.put("app.kubernetes.io/managed-by", "Helm");
    refusedByPolicy(() -> controller.resource(namespace("inst-half", notManaged)).create());
    assertThat(admin.namespaces().list().getItems())
        .extracting(n -> n.getMetadata().getName())
        .doesNotContain("unlabelled", "inst-unlabelled", "evil", "inst-half", "inst-lax");
  }

  @Test
  void writingOutsideTenantNamespacesIsRefused() {
    refusedByPolicy(() -> controller.resource(deployment("default", "miner")).create());
    refusedByPolicy(
        () ->
            controller
                .resource(
                    new ServiceAccountBuilder()
                        .withNewMetadata()
                        .withName("wingu-admin")
                        .withNamespace("kube-system")
                        .endMetadata()
                        .build())
                .fieldManager("wingu")
                .serverSideApply());
    refusedByPolicy(
        () ->
            controller
                .pods()
                .inNamespace("kube-system")
                .resource(restrictedPod("kube-system"))
                .dryRun()
                .create());
    // a site's web server configuration is a ConfigMap: only in tenant namespaces (kube-proxy's
    // lives in kube-system)
    refusedByPolicy(
        () ->
            controller
                .resource(
                    new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("kube-proxy")
                        .withNamespace("kube-system")
                        .endMetadata()
                        .addToData("config.conf", "x")
                        .build())
                .fieldManager("wingu")
                .forceConflicts()
                .serverSideApply());
    // its own namespace too: the controller cannot rewrite its own Deployment
    refusedByPolicy(
        () ->
            controller
                .apps()
                .deployments()
                .inNamespace(NAMESPACE)
                .withName("wingu")
                .edit(d -> new DeploymentBuilder(d).editSpec().withReplicas(0).endSpec().build()));
    refusedByPolicy(
        () -> controller.apps().deployments().inNamespace(NAMESPACE).withName("wingu").delete());
    // a Lease anywhere but in the release namespace
    refusedByRbac(
        () -> controller.resource(lease("kube-system", "kube-controller-manager")).create());
    assertThat(admin.apps().deployments().inNamespace("default").withName("miner").get()).isNull();
  }

  @Test
  void everythingTheReconcilerWritesInATenantNamespaceStillGoesThrough() {
    String ns = "inst-moh";
    Map<String, String> labels = tenantLabels("moh");
    Map<String, String> namespaceLabels = tenantNamespaceLabels("moh");
    apply(namespace(ns, namespaceLabels));
    namespaceLabels.put("pod-security.kubernetes.io/warn", "baseline");
    apply(namespace(ns, namespaceLabels)); // an update of its own tenant namespace
    apply(
        new ServiceAccountBuilder()
            .withNewMetadata()
            .withName("default")
            .withNamespace(ns)
            .withLabels(labels)
            .endMetadata()
            .withAutomountServiceAccountToken(false)
            .build());
    // the reconciler binds the tenant secrets role to itself here (TenantSecretsAccess.java)
    apply(
        new RoleBindingBuilder()
            .withNewMetadata()
            .withName(TENANT_SECRETS)
            .withNamespace(ns)
            .withLabels(labels)
            .endMetadata()
            .withNewRoleRef()
            .withApiGroup("rbac.authorization.k8s.io")
            .withKind("ClusterRole")
            .withName(TENANT_SECRETS)
            .endRoleRef()
            .addNewSubject()
            .withKind("ServiceAccount")
            .withNamespace(NAMESPACE)
            .withName(SERVICE_ACCOUNT)
            .endSubject()
            .build());
    apply(
        new ResourceQuotaBuilder()
            .withNewMetadata()
            .withName("sites")
            .withNamespace(ns)
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .addToHard("requests.cpu", new Quantity("1"))
            .endSpec()
            .build());
    apply(
        new LimitRangeBuilder()
            .withNewMetadata()
            .withName("defaults")
            .withNamespace(ns)
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .addNewLimit()
            .withType("Container")
            .addToDefault("memory", new Quantity("128Mi"))
            .endLimit()
            .endSpec()
            .build());
    apply(
        new NetworkPolicyBuilder()
            .withNewMetadata()
            .withName("default-deny")
            .withNamespace(ns)
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .withNewPodSelector()
            .endPodSelector()
            .withPolicyTypes("Ingress", "Egress")
            .endSpec()
            .build());
    // each site's nginx server block (SiteWebConfigs.java), mounted by its pods
    apply(
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("portal-web")
            .withNamespace(ns)
            .withLabels(labels)
            .endMetadata()
            .addToData("default.conf", "server { listen 8080; }")
            .build());
    apply(deployment(ns, "portal"));
    apply(
        new ServiceBuilder()
            .withNewMetadata()
            .withName("portal")
            .withNamespace(ns)
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .addToSelector("wingu.io/site", "portal")
            .addNewPort()
            .withPort(8080)
            .endPort()
            .endSpec()
            .build());
    apply(
        new IngressBuilder()
            .withNewMetadata()
            .withName("portal")
            .withNamespace(ns)
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .addNewRule()
            .withHost("moh.go.tz")
            .withNewHttp()
            .addNewPath()
            .withPath("/")
            .withPathType("Prefix")
            .withNewBackend()
            .withNewService()
            .withName("portal")
            .withNewPort()
            .withNumber(8080)
            .endPort()
            .endService()
            .endBackend()
            .endPath()
            .endHttp()
            .endRule()
            .endSpec()
            .build());
    assertThat(
            controller
                .pods()
                .inNamespace(ns)
                .resource(restrictedPod(ns))
                .dryRun()
                .create()
                .getMetadata()
                .getNamespace())
        .isEqualTo(ns);
    // only as a dry run: a real Pod is the Deployment's to make
    refusedByPolicy(() -> controller.pods().inNamespace(ns).resource(restrictedPod(ns)).create());

    // Secrets of the tenant namespace, once RBAC has the RoleBinding above
    Secret token =
        new SecretBuilder()
            .withNewMetadata()
            .withName("bundle-token-portal")
            .withNamespace(ns)
            .withLabels(labels)
            .endMetadata()
            .addToStringData("token", "t0ken")
            .build();
    eventually(
        "the controller may write Secrets in its tenant namespace",
        () -> refusalOf(() -> apply(token)).isEmpty());
    assertThat(controller.secrets().inNamespace(ns).withName("bundle-token-portal").get().getData())
        .containsKey("token");
    controller.secrets().inNamespace(ns).withName("bundle-token-portal").delete();
    controller.apps().deployments().inNamespace(ns).withName("portal").delete();
    controller.network().v1().ingresses().inNamespace(ns).withName("portal").delete();
    controller.configMaps().inNamespace(ns).withName("portal-web").delete();
    assertThat(controller.configMaps().inNamespace(ns).withName("portal-web").get()).isNull();
    assertThat(admin.apps().deployments().inNamespace(ns).withName("portal").get()).isNull();

    // the leader election Lease in the release namespace (WINGU_LEASE_NAMESPACE)
    Lease lease = controller.resource(lease(NAMESPACE, "wingu-reconciler")).create();
    lease.getSpec().setHolderIdentity("replica-2");
    assertThat(controller.resource(lease).update().getSpec().getHolderIdentity())
        .isEqualTo("replica-2");
    // and the agents' tokens are checked with TokenReviews (cluster-scoped)
    assertThat(
            controller
                .authentication()
                .v1()
                .tokenReviews()
                .create(
                    new TokenReviewBuilder()
                        .withNewSpec()
                        .withToken("not-a-token")
                        .withAudiences("wingu")
                        .endSpec()
                        .build())
                .getStatus()
                .getAuthenticated())
        .isNotEqualTo(Boolean.TRUE);
  }

  /**
   * As the controller applies: server-side apply with its field manager; fails the test when
   * refused.
   */
  private static HasMetadata apply(HasMetadata object) {
    HasMetadata applied =
        controller.resource(object).fieldManager("wingu").forceConflicts().serverSideApply();
    assertThat(applied.getMetadata().getUid()).isNotBlank();
    return applied;
  }

  /** The labels of a Wingu tenant's objects (control-plane provisioning/Labels.java). */
  private static Map<String, String> tenantLabels(String code) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("app.kubernetes.io/managed-by", "wingu");
    labels.put("app.kubernetes.io/part-of", "wingu");
    labels.put("wingu.io/institution", code);
    return labels;
  }

  /** The labels of a Wingu tenant namespace (control-plane provisioning/Namespaces.java). */
  private static Map<String, String> tenantNamespaceLabels(String code) {
    Map<String, String> labels = tenantLabels(code);
    labels.put("pod-security.kubernetes.io/enforce", "restricted");
    labels.put("pod-security.kubernetes.io/enforce-version", "latest");
    labels.put("pod-security.kubernetes.io/audit", "restricted");
    labels.put("pod-security.kubernetes.io/warn", "restricted");
    return labels;
  }

  private static Namespace namespace(String name, Map<String, String> labels) {
    return new NamespaceBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(labels)
        .endMetadata()
        .build();
  }

  private static Deployment deployment(String namespace, String name) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .endMetadata()
        .withNewSpec()
        .withNewSelector()
        .addToMatchLabels("app", name)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", name)
        .endMetadata()
        .withSpec(restrictedPod(namespace).getSpec())
        .endTemplate()
        .endSpec()
        .build();
  }

  private static io.fabric8.kubernetes.api.model.Pod restrictedPod(String namespace) {
    return new PodBuilder()
        .withNewMetadata()
        .withGenerateName("pod-security-check-")
        .withNamespace(namespace)
        .endMetadata()
        .withNewSpec()
        .withAutomountServiceAccountToken(false)
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withRunAsUser(10101L)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .addNewContainer()
        .withName("web")
        .withImage("wingu/site-web:local")
        .withNewSecurityContext()
        .withAllowPrivilegeEscalation(false)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .endSecurityContext()
        .endContainer()
        .endSpec()
        .build();
  }

  private static Lease lease(String namespace, String name) {
    return new LeaseBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .endMetadata()
        .withNewSpec()
        .withHolderIdentity("replica-1")
        .withLeaseDurationSeconds(15)
        .endSpec()
        .build();
  }

  private static void refusedByPolicy(ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(403);
              assertThat(e.getMessage())
                  .contains("ValidatingAdmissionPolicy '" + POLICY + "'")
                  .contains("denied request: Wingu's");
            });
  }

  private static void refusedByRbac(ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(403);
              assertThat(e.getMessage()).contains("User \"" + USER + "\" cannot");
            });
  }

  /** The message the API server refused the call with; empty when it went through. */
  private static String refusalOf(ThrowingCallable call) {
    try {
      call.call();
      return "";
    } catch (KubernetesClientException e) {
      return String.valueOf(e.getMessage());
    } catch (Throwable e) {
      throw new AssertionError(e);
    }
  }

  /** Bounded wait for what the API server applies asynchronously (policy and RBAC informers). */
  private static void eventually(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + PROPAGATION.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + PROPAGATION + ": " + what);
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
