package io.wingu.helm;

import static io.wingu.helm.RenderedChart.NAMESPACE;
import static io.wingu.helm.RenderedChart.ciValues;
import static io.wingu.helm.RenderedChart.render;
import static io.wingu.helm.RenderedChart.renderError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart rendered by Helm: lint, default and non-default values, and what the schema rejects.
 */
class ChartTest {

  private static final List<Path> MINIMAL = List.of(ciValues("minimal-values.yaml"));
  private static final List<Path> FULL = List.of(ciValues("full-values.yaml"));

  @Test
  void lintFindsNothingWithStrictRules(@TempDir Path dir) throws IOException {
    // the chart's own defaults refuse to render (a first install must set values) and helm-java's
    // lint takes no values file: lint a copy whose defaults name an existing Secret
    Path chart =
        copyOfChart(
            dir,
            values ->
                values.replace("  existingSecret: \"\"\n", "  existingSecret: wingu-credentials\n"),
            true);
    assertThat(Files.readString(chart.resolve("values.yaml")))
        .contains("existingSecret: wingu-credentials");
    LintResult lint = new Helm(chart).lint().strict().call();
    assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
  }

  @Test
  void firstInstallValuesRenderEveryObjectWithTheRecommendedLabels() {
    RenderedChart chart = render(MINIMAL);
    assertThat(chart.objects())
        .extracting(HasMetadata::getKind)
        .containsOnly(
            "ConfigMap",
            "Secret",
            "Deployment",
            "Service",
            "ServiceAccount",
            "ClusterRole",
            "ClusterRoleBinding",
            "Role",
            "RoleBinding",
            "PodDisruptionBudget",
            "Namespace",
            "DaemonSet",
            "PersistentVolumeClaim",
            "ValidatingAdmissionPolicy",
            "ValidatingAdmissionPolicyBinding",
            "NetworkPolicy");
    assertThat(chart.all("Ingress")).isEmpty();
    assertThat(chart.all("ServiceMonitor")).isEmpty();
    for (HasMetadata object : chart.objects()) {
      assertThat(object.getMetadata().getLabels())
          .as("labels of %s %s", object.getKind(), object.getMetadata().getName())
          .containsEntry("app.kubernetes.io/name", "wingu")
          .containsEntry("app.kubernetes.io/instance", RenderedChart.RELEASE)
          .containsEntry("app.kubernetes.io/version", "0.1.0")
          .containsEntry("app.kubernetes.io/managed-by", "Helm")
          .containsEntry("app.kubernetes.io/part-of", "wingu")
          .containsKeys("app.kubernetes.io/component", "helm.sh/chart");
    }
  }

  @Test
  void controlPlaneRunsTwoLeaderElectingReplicasWithProbesAndItsSettings() {
    RenderedChart chart = render(MINIMAL);
    Deployment deployment = chart.one(Deployment.class, "wingu");
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    Container container = pod.getContainers().getFirst();
    assertThat(container.getImage()).isEqualTo("wingu-control-plane:0.1.0");
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(container.getPorts().getFirst().getContainerPort()).isEqualTo(8080);

    Map<String, String> config = chart.one(ConfigMap.class, "wingu").getData();
    assertThat(config)
        .containsEntry("WINGU_LEADER_ELECTION", "true")
        .containsEntry("WINGU_LEASE_NAMESPACE", NAMESPACE)
        .containsEntry("WINGU_CONTROLLER_SERVICE_ACCOUNT", NAMESPACE + ":wingu")
        .containsEntry("WINGU_HTTP_PORT", "8080")
        .containsEntry("WINGU_LOG_FORMAT", "json")
        .containsEntry("WINGU_INGRESS_CLASS", "nginx")
        .containsEntry("WINGU_JWT_PRIVATE_KEY", "/etc/wingu/jwt/jwt-private.pem")
        .containsEntry("WINGU_JWT_PUBLIC_KEY", "/etc/wingu/jwt/jwt-public.pem")
        .doesNotContainKeys(
            "WINGU_SITE_IMAGE",
            "WINGU_TENANT_DB_HOST",
            "WINGU_TENANT_DB_PORT",
            "WINGU_CLUSTER_DNS_CIDR");
    assertThat(container.getEnvFrom().getFirst().getConfigMapRef().getName()).isEqualTo("wingu");

    Map<String, String> secret = chart.one(Secret.class, "wingu").getStringData();
    assertThat(secret)
        .containsEntry("WINGU_DB_URL", "jdbc:postgresql://postgres.wingu-db.svc:5432/wingu")
        .containsEntry("WINGU_DB_USER", "wingu")
        .containsKeys(
            "WINGU_DB_PASSWORD", "WINGU_BOOTSTRAP_PASSWORD", "jwt-private.pem", "jwt-public.pem");
    assertThat(secretKeyOf(container, "WINGU_DB_URL")).isEqualTo("wingu/WINGU_DB_URL");
    assertThat(secretKeyOf(container, "WINGU_TENANT_DB_PASSWORD"))
        .isEqualTo("wingu/WINGU_TENANT_DB_PASSWORD");
    assertThat(mount(container, "jwt").getMountPath()).isEqualTo("/etc/wingu/jwt");
    assertThat(volume(pod, "jwt").getSecret().getSecretName()).isEqualTo("wingu");
  }

  @Test
  void smtpSettingsGoToTheConfigMapTheLoginToTheSecretAndTheControlPlaneMayReachTheServer() {
    RenderedChart chart =
        render(
            MINIMAL,
            "config.smtp.host",
            "mail.go.tz",
            "config.smtp.port",
            "587",
            "secret.smtp.password",
            "smtp-password");
    assertThat(chart.one(ConfigMap.class, "wingu").getData())
        .containsEntry("WINGU_SMTP_HOST", "mail.go.tz")
        .containsEntry("WINGU_SMTP_PORT", "587")
        .containsEntry("WINGU_SMTP_RATE", "20")
        .doesNotContainKeys("WINGU_SMTP_PASSWORD", "WINGU_SMTP_USERNAME");
    assertThat(chart.one(Secret.class, "wingu").getStringData())
        .containsEntry("WINGU_SMTP_PASSWORD", "smtp-password")
        .doesNotContainKey("WINGU_SMTP_USERNAME");
    Container container =
        chart
            .one(Deployment.class, "wingu")
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .getFirst();
    assertThat(secretKeyOf(container, "WINGU_SMTP_PASSWORD"))
        .isEqualTo("wingu/WINGU_SMTP_PASSWORD");
    assertThat(chart.one(NetworkPolicy.class, "wingu").getSpec().getEgress())
        .anySatisfy(
            rule ->
                assertThat(rule.getPorts())
                    .extracting(p -> p.getPort().getIntVal())
                    .containsExactly(25, 587));

    // no server named: no settings, no door
    RenderedChart none = render(MINIMAL);
    assertThat(none.one(ConfigMap.class, "wingu").getData()).doesNotContainKey("WINGU_SMTP_HOST");
    assertThat(none.one(NetworkPolicy.class, "wingu").getSpec().getEgress())
        .noneSatisfy(
            rule ->
                assertThat(rule.getPorts()).extracting(p -> p.getPort().getIntVal()).contains(587));
  }

  @Test
  void backupSettingsGoToTheConfigMapTheStoreKeysAndKeysetToTheSecretAndTheStoreIsReachable() {
    RenderedChart chart =
        render(
            MINIMAL,
            "config.backups.s3.endpoint",
            "https://s3.example.go.tz",
            "secret.backups.accessKey",
            "backup-access",
            "secret.backups.secretKey",
            "backup-secret",
            "secret.backups.keyset",
            "tink-keyset");
    assertThat(chart.one(ConfigMap.class, "wingu").getData())
        .containsEntry("WINGU_BACKUP_S3_ENDPOINT", "https://s3.example.go.tz")
        .containsEntry("WINGU_BACKUP_S3_BUCKET", "wingu-backups")
        .containsEntry("WINGU_BACKUP_KEY_FILE", "/etc/wingu/backup-key/backup-keyset.json")
        .containsEntry("WINGU_BACKUP_EVERY_HOURS", "24")
        .doesNotContainKeys("WINGU_BACKUP_S3_ACCESS_KEY", "WINGU_BACKUP_S3_SECRET_KEY");
    assertThat(chart.one(Secret.class, "wingu").getStringData())
        .containsEntry("WINGU_BACKUP_S3_ACCESS_KEY", "backup-access")
        .containsEntry("WINGU_BACKUP_S3_SECRET_KEY", "backup-secret")
        .containsKey("backup-keyset.json");
    PodSpec pod = chart.one(Deployment.class, "wingu").getSpec().getTemplate().getSpec();
    Container container = pod.getContainers().getFirst();
    assertThat(secretKeyOf(container, "WINGU_BACKUP_S3_SECRET_KEY"))
        .isEqualTo("wingu/WINGU_BACKUP_S3_SECRET_KEY");
    assertThat(mount(container, "backup-key").getMountPath()).isEqualTo("/etc/wingu/backup-key");
    assertThat(volume(pod, "backup-key").getSecret().getItems())
        .extracting(i -> i.getKey())
        .containsExactly("backup-keyset.json");
    assertThat(chart.one(NetworkPolicy.class, "wingu").getSpec().getEgress())
        .anySatisfy(
            rule ->
                assertThat(rule.getPorts())
                    .extracting(p -> p.getPort().getIntVal())
                    .containsExactly(443, 9000));

    // no store named: backups are off, nothing mounted, no door
    RenderedChart none = render(MINIMAL);
    assertThat(none.one(ConfigMap.class, "wingu").getData())
        .doesNotContainKey("WINGU_BACKUP_S3_ENDPOINT");
    assertThat(none.one(Deployment.class, "wingu").getSpec().getTemplate().getSpec().getVolumes())
        .noneMatch(v -> v.getName().equals("backup-key"));
  }

  @Test
  void auditCheckpointsAreSignedWithAMountedKeyAndKeptOnASharedClaim() {
    RenderedChart chart = render(MINIMAL);
    PodSpec pod = chart.one(Deployment.class, "wingu").getSpec().getTemplate().getSpec();
    Container container = pod.getContainers().getFirst();
    assertThat(chart.one(ConfigMap.class, "wingu").getData())
        .containsEntry(
            "WINGU_AUDIT_SIGNING_KEY", "/etc/wingu/audit-signing/audit-signing-private.pem")
        .containsEntry(
            "WINGU_AUDIT_PUBLIC_KEY", "/etc/wingu/audit-signing/audit-signing-public.pem")
        .containsEntry("WINGU_AUDIT_CHECKPOINT_DIR", "/var/lib/wingu/audit-checkpoints")
        .containsEntry("WINGU_AUDIT_CHECKPOINT_EVERY", "1000");
    assertThat(chart.one(Secret.class, "wingu").getStringData())
        .containsKeys("audit-signing-private.pem", "audit-signing-public.pem");
    assertThat(mount(container, "audit-signing").getMountPath())
        .isEqualTo("/etc/wingu/audit-signing");
    assertThat(mount(container, "audit-signing").getReadOnly()).isTrue();
    assertThat(volume(pod, "audit-signing").getSecret().getSecretName()).isEqualTo("wingu");
    assertThat(volume(pod, "audit-signing").getSecret().getItems())
        .extracting(i -> i.getKey())
        .containsExactly("audit-signing-private.pem", "audit-signing-public.pem");
    assertThat(mount(container, "audit-checkpoints").getMountPath())
        .isEqualTo("/var/lib/wingu/audit-checkpoints");
    assertThat(volume(pod, "audit-checkpoints").getPersistentVolumeClaim().getClaimName())
        .isEqualTo("wingu-audit-checkpoints");
    PersistentVolumeClaim claim = chart.one(PersistentVolumeClaim.class, "wingu-audit-checkpoints");
    assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteMany");
    assertThat(claim.getMetadata().getAnnotations())
        .containsEntry("helm.sh/resource-policy", "keep");

    RenderedChart own = render(MINIMAL, "auditCheckpoints.existingClaim", "audit-archive");
    assertThat(own.all(PersistentVolumeClaim.class)).isEmpty();
    assertThat(
            volume(
                    own.one(Deployment.class, "wingu").getSpec().getTemplate().getSpec(),
                    "audit-checkpoints")
                .getPersistentVolumeClaim()
                .getClaimName())
        .isEqualTo("audit-archive");
  }

  @Test
  void controlPlanePodIsRestricted() {
    PodSpec pod = render(MINIMAL).one(Deployment.class, "wingu").getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    var container = pod.getContainers().getFirst().getSecurityContext();
    assertThat(container.getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(pod.getVolumes()).allSatisfy(v -> assertThat(v.getHostPath()).isNull());
  }

  @Test
  void clusterRolesTakeTheirRulesFromTheFilesVerbatim() throws IOException {
    RenderedChart chart = render(MINIMAL);
    ClusterRole controller = chart.one(ClusterRole.class, "wingu-controller");
    assertThat(controller.getRules()).isEqualTo(rulesOf("controller-rules.yaml"));
    assertThat(controller.getRules())
        .anySatisfy(
            rule -> {
              assertThat(rule.getVerbs()).containsExactly("bind");
              assertThat(rule.getResourceNames()).containsExactly("wingu-tenant-secrets");
            });
    ClusterRole tenantSecrets = chart.one(ClusterRole.class, "wingu-tenant-secrets");
    assertThat(tenantSecrets.getRules()).isEqualTo(rulesOf("tenant-secrets-rules.yaml"));

    ClusterRoleBinding binding = chart.one(ClusterRoleBinding.class, "wingu-controller");
    assertThat(binding.getRoleRef().getName()).isEqualTo("wingu-controller");
    assertThat(binding.getSubjects().getFirst().getName()).isEqualTo("wingu");
    assertThat(binding.getSubjects().getFirst().getNamespace()).isEqualTo(NAMESPACE);
    // the tenant secrets role is bound by the controller per tenant namespace, never by the chart
    assertThat(chart.all(ClusterRoleBinding.class))
        .noneMatch(b -> b.getRoleRef().getName().equals("wingu-tenant-secrets"));

    Role lease = chart.one(Role.class, "wingu-leader-election");
    assertThat(lease.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
    assertThat(lease.getRules().getFirst().getResources()).containsExactly("leases");
    assertThat(
            chart
                .one(RoleBinding.class, "wingu-leader-election")
                .getSubjects()
                .getFirst()
                .getName())
        .isEqualTo("wingu");
  }

  @Test
  void controllerRulesGrantNoSecretsNoNamespaceDeletionAndNoLeaseOutsideTheReleaseNamespace()
      throws IOException {
    List<PolicyRule> rules = rulesOf("controller-rules.yaml");
    assertThat(rules).noneSatisfy(rule -> assertThat(rule.getResources()).contains("secrets"));
    assertThat(rules).noneSatisfy(rule -> assertThat(rule.getResources()).contains("leases"));
    assertThat(rules).noneSatisfy(rule -> assertThat(rule.getVerbs()).contains("*"));
    assertThat(rules)
        .filteredOn(rule -> rule.getResources().contains("namespaces"))
        .singleElement()
        .satisfies(rule -> assertThat(rule.getVerbs()).doesNotContain("delete", "update"));
  }

  @Test
  void admissionPolicyConfinesTheControllersWritesToTenantNamespaces() {
    RenderedChart chart = render(MINIMAL);
    ValidatingAdmissionPolicy policy =
        chart.one(ValidatingAdmissionPolicy.class, "wingu-controller-confinement");
    assertThat(policy.getApiVersion()).isEqualTo("admissionregistration.k8s.io/v1");
    assertThat(policy.getSpec().getFailurePolicy()).isEqualTo("Fail");
    assertThat(policy.getSpec().getMatchConstraints().getResourceRules())
        .singleElement()
        .satisfies(
            rule -> {
              assertThat(rule.getOperations())
                  .containsExactlyInAnyOrder("CREATE", "UPDATE", "DELETE");
              assertThat(rule.getResources()).containsExactly("*/*");
            });
    assertThat(policy.getSpec().getMatchConditions())
        .singleElement()
        .satisfies(
            c ->
                assertThat(c.getExpression())
                    .isEqualTo(
                        "request.userInfo.username == 'system:serviceaccount:"
                            + NAMESPACE
                            + ":wingu'"));
    assertThat(policy.getSpec().getVariables())
        .anySatisfy(
            v ->
                assertThat(v.getExpression())
                    .contains("request.namespace == '" + NAMESPACE + "'")
                    .contains("leases"));
    assertThat(policy.getSpec().getVariables())
        .anySatisfy(
            v ->
                assertThat(v.getExpression())
                    .contains(
                        "namespaceObject.metadata.labels['app.kubernetes.io/managed-by'] == 'wingu'")
                    .contains(
                        "namespaceObject.metadata.name == 'inst-' + namespaceObject.metadata.labels['wingu.io/institution']"));
    assertThat(policy.getSpec().getValidations())
        .anySatisfy(
            v ->
                assertThat(v.getExpression())
                    .contains(
                        "object.metadata.labels['pod-security.kubernetes.io/enforce'] == 'restricted'"));
    assertThat(policy.getSpec().getValidations())
        .anySatisfy(
            v ->
                assertThat(v.getExpression())
                    .contains("request.resource.resource == 'pods'")
                    .contains("request.dryRun == true"));
    ValidatingAdmissionPolicyBinding binding =
        chart.one(ValidatingAdmissionPolicyBinding.class, "wingu-controller-confinement");
    assertThat(binding.getSpec().getPolicyName()).isEqualTo("wingu-controller-confinement");
    assertThat(binding.getSpec().getValidationActions()).containsExactly("Deny");

    // a renamed ServiceAccount is the one the policy matches
    assertThat(
            render(MINIMAL, "serviceAccount.name", "wingu-cp")
                .one(ValidatingAdmissionPolicy.class, "wingu-controller-confinement")
                .getSpec()
                .getMatchConditions()
                .getFirst()
                .getExpression())
        .contains("system:serviceaccount:" + NAMESPACE + ":wingu-cp'");
    // clusters older than 1.30 have no admissionregistration.k8s.io/v1 policies
    RenderedChart without =
        render(MINIMAL, "admissionPolicy.enabled", "false", "tenantGuardrails.enabled", "false");
    assertThat(without.all(ValidatingAdmissionPolicy.class)).isEmpty();
    assertThat(without.all(ValidatingAdmissionPolicyBinding.class)).isEmpty();
    assertThat(renderError(MINIMAL, "admissionPolicy.enabled", "yes"))
        .contains("at '/admissionPolicy/enabled'");
  }

  @Test
  void agentRunsOnEveryNodeInItsPrivilegedNamespaceWithReadOnlyHostMounts() {
    RenderedChart chart = render(MINIMAL);
    Namespace namespace = chart.one(Namespace.class, "wingu-agent");
    assertThat(namespace.getMetadata().getLabels())
        .containsEntry("pod-security.kubernetes.io/enforce", "privileged");

    DaemonSet agent = chart.one(DaemonSet.class, "wingu-agent");
    assertThat(agent.getMetadata().getNamespace()).isEqualTo("wingu-agent");
    PodSpec pod = agent.getSpec().getTemplate().getSpec();
    assertThat(pod.getServiceAccountName()).isEqualTo("wingu-agent");
    assertThat(pod.getTolerations())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getOperator()).isEqualTo("Exists");
              assertThat(t.getKey()).isNull();
              assertThat(t.getEffect()).isNull();
            });
    Container container = pod.getContainers().getFirst();
    assertThat(container.getImage()).isEqualTo("wingu-agent:0.1.0");
    assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(container.getResources().getLimits()).containsKey("memory");
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    // no root and no capability: hostNetwork pods come from the API server, not from
    // /proc/<pid>/ns/net
    assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(container.getSecurityContext().getPrivileged()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser())
        .isGreaterThanOrEqualTo(10000L)
        // a user of its own: with hostPID it could ptrace the node's processes of the same user
        .isNotIn(65532L, 10101L);
    assertThat(pod.getSecurityContext().getRunAsGroup()).isGreaterThanOrEqualTo(10000L);
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    // cgroup.procs holds PIDs as the reader's PID namespace numbers them: the node's only with
    // hostPID
    assertThat(pod.getHostPID()).isTrue();
    assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);

    assertThat(volume(pod, "proc").getHostPath().getPath()).isEqualTo("/proc");
    assertThat(volume(pod, "cgroup").getHostPath().getPath()).isEqualTo("/sys/fs/cgroup");
    assertThat(mount(container, "proc").getReadOnly()).isTrue();
    assertThat(mount(container, "cgroup").getReadOnly()).isTrue();
    assertThat(pod.getVolumes().stream().filter(v -> v.getHostPath() != null)).hasSize(2);

    var token =
        volume(pod, "wingu-token").getProjected().getSources().getFirst().getServiceAccountToken();
    assertThat(token.getAudience()).isEqualTo("wingu");
    String tokenFile = mount(container, "wingu-token").getMountPath() + "/" + token.getPath();
    assertThat(env(container, "WINGU_AGENT_TOKEN_FILE").getValue()).isEqualTo(tokenFile);
    assertThat(env(container, "WINGU_AGENT_URL").getValue())
        .isEqualTo("http://wingu." + NAMESPACE + ".svc:8080");
    assertThat(env(container, "WINGU_AGENT_NODE_NAME").getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("spec.nodeName");
    assertThat(env(container, "WINGU_AGENT_PROC_ROOT").getValue())
        .isEqualTo(mount(container, "proc").getMountPath());
    assertThat(env(container, "WINGU_AGENT_CGROUP_ROOT").getValue())
        .isEqualTo(mount(container, "cgroup").getMountPath());

    ClusterRole pods = chart.one(ClusterRole.class, "wingu-agent");
    assertThat(pods.getRules())
        .singleElement()
        .satisfies(
            rule -> {
              assertThat(rule.getResources()).containsExactly("pods");
              assertThat(rule.getVerbs()).containsExactly("get", "list");
            });
  }

  private static final List<String> FIRST_INSTALL_VALUES =
      List.of(
          "config.database.url",
          "secret.db.password",
          "secret.bootstrapPassword",
          "secret.jwt.privateKey",
          "secret.jwt.publicKey",
          "secret.auditSigning.privateKey",
          "secret.auditSigning.publicKey");

  @Test
  void withoutAFirstInstallsValuesTheSchemaRefusesToRenderNamingEachOne() {
    String error = renderError(List.of());
    assertThat(error).contains("values don't meet the specifications of the schema");
    for (String value : FIRST_INSTALL_VALUES) {
      assertThat(error)
          .as("the schema's message names %s", value)
          .contains("at '/" + value.replace('.', '/') + "'");
    }
    // one value missing: only that one is named
    assertThat(renderError(MINIMAL, "secret.auditSigning.privateKey", ""))
        .contains("at '/secret/auditSigning/privateKey'")
        .doesNotContain("at '/config/database/url'");
  }

  @Test
  void withoutTheSchemaTheTemplateStillRefusesNamingEveryMissingValue(@TempDir Path dir)
      throws IOException {
    // as with helm install --skip-schema-validation
    Path chart = copyOfChart(dir, values -> values, false);
    TemplateCommand template =
        new Helm(chart)
            .template()
            .withName(RenderedChart.RELEASE)
            .withNamespace(NAMESPACE)
            .withKubeVersion(RenderedChart.KUBE_VERSION);
    String error = assertThrows(RuntimeException.class, template::call).getMessage();
    assertThat(error)
        .contains(
            "a first install must set "
                + String.join(", ", FIRST_INSTALL_VALUES.stream().sorted().toList()))
        .contains("secret.existingSecret");
  }

  @Test
  void anExistingSecretStandsInForTheFirstInstallsValues() {
    RenderedChart chart = render(List.of(), "secret.existingSecret", "wingu-credentials");
    assertThat(chart.all(Secret.class)).isEmpty();
    assertThat(chart.one(Deployment.class, "wingu").getSpec().getTemplate().getSpec().getVolumes())
        .anySatisfy(
            v ->
                assertThat(v.getSecret() == null ? null : v.getSecret().getSecretName())
                    .isEqualTo("wingu-credentials"));
  }

  @Test
  void networkPoliciesLetTheControlPlaneAndTheAgentsTalkOnlyToWhatTheyNeed() {
    RenderedChart chart = render(MINIMAL);
    NetworkPolicy controlPlane = chart.one(NetworkPolicy.class, "wingu");
    assertThat(controlPlane.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
    assertThat(controlPlane.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
    assertThat(controlPlane.getSpec().getPodSelector().getMatchLabels())
        .containsEntry("app.kubernetes.io/component", "control-plane");
    var in = controlPlane.getSpec().getIngress();
    assertThat(in)
        .singleElement()
        .satisfies(
            rule -> {
              assertThat(rule.getPorts())
                  .singleElement()
                  .satisfies(p -> assertThat(p.getPort().getStrVal()).isEqualTo("http"));
              assertThat(rule.getFrom())
                  .extracting(peer -> peer.getNamespaceSelector().getMatchLabels())
                  .containsExactly(
                      Map.of("kubernetes.io/metadata.name", "ingress-nginx"),
                      Map.of("app.kubernetes.io/managed-by", "wingu"),
                      Map.of("kubernetes.io/metadata.name", "wingu-agent"));
              assertThat(rule.getFrom().get(2).getPodSelector().getMatchLabels())
                  .containsEntry("app.kubernetes.io/component", "agent");
            });
    assertThat(controlPlane.getSpec().getEgress())
        .extracting(rule -> rule.getPorts().getFirst().getPort().getIntVal())
        .containsExactly(443, 5432, 53);

    NetworkPolicy agent = chart.one(NetworkPolicy.class, "wingu-agent");
    assertThat(agent.getMetadata().getNamespace()).isEqualTo("wingu-agent");
    assertThat(agent.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
    assertThat(agent.getSpec().getIngress()).isEmpty();
    assertThat(agent.getSpec().getEgress())
        .hasSize(3)
        .first()
        .satisfies(
            rule -> {
              assertThat(rule.getTo().getFirst().getNamespaceSelector().getMatchLabels())
                  .containsExactly(Map.entry("kubernetes.io/metadata.name", NAMESPACE));
              assertThat(rule.getTo().getFirst().getPodSelector().getMatchLabels())
                  .containsEntry("app.kubernetes.io/component", "control-plane");
              assertThat(rule.getPorts().getFirst().getPort().getIntVal()).isEqualTo(8080);
            });
    assertThat(render(MINIMAL, "networkPolicy.enabled", "false").all(NetworkPolicy.class))
        .isEmpty();
    assertThat(render(MINIMAL, "agent.enabled", "false").all(NetworkPolicy.class))
        .singleElement()
        .satisfies(p -> assertThat(p.getMetadata().getName()).isEqualTo("wingu"));
  }

  @Test
  void everyContainerHasCpuMemoryAndEphemeralStorageRequestsAndLimits() {
    render(MINIMAL)
        .podTemplates()
        .forEach(
            (owner, template) -> {
              for (Container c : template.getSpec().getContainers()) {
                assertThat(c.getResources().getRequests())
                    .as("requests of %s", owner.getMetadata().getName())
                    .containsKeys("cpu", "memory", "ephemeral-storage");
                assertThat(c.getResources().getLimits())
                    .as("limits of %s", owner.getMetadata().getName())
                    .containsKeys("cpu", "memory", "ephemeral-storage");
              }
            });
  }

  @Test
  void nonDefaultValuesRenderIngressServiceMonitorExistingSecretAndCustomAgentNamespace() {
    RenderedChart chart = render(FULL);
    assertThat(chart.all(Secret.class))
        .as("no Secret of the chart's own with existingSecret")
        .isEmpty();

    Deployment deployment = chart.one(Deployment.class, "wingu");
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    Container container = pod.getContainers().getFirst();
    assertThat(container.getImage())
        .isEqualTo("registry.example.go.tz/wingu/control-plane:0.1.0-rc1");
    assertThat(secretKeyOf(container, "WINGU_DB_URL")).isEqualTo("wingu-credentials/WINGU_DB_URL");
    assertThat(volume(pod, "jwt").getSecret().getSecretName()).isEqualTo("wingu-credentials");
    assertThat(env(container, "WINGU_LOGIN_RATE").getValue()).isEqualTo("30");
    assertThat(pod.getImagePullSecrets().getFirst().getName()).isEqualTo("registry-credentials");
    assertThat(chart.one(ConfigMap.class, "wingu").getData())
        .containsEntry("WINGU_LOG_FORMAT", "text")
        .containsEntry("WINGU_TENANT_DB_HOST", "tenants-rw.databases.svc")
        .containsEntry("WINGU_TENANT_DB_PORT", "5432")
        .containsEntry("WINGU_INGRESS_CLASS", "traefik")
        .containsEntry("WINGU_CLUSTER_ISSUER", "gov-ca")
        .containsEntry("WINGU_SITE_IMAGE", "registry.example.go.tz/wingu/site:1.27")
        .containsEntry("WINGU_CLUSTER_DNS_CIDR", "169.254.20.10/32")
        .containsEntry("WINGU_SCORECARD_WEIGHTS", "tls=30, content-fresh=10")
        // site pods fetch bundles from this release's Service, with the image the installer pushed
        .containsEntry(
            "WINGU_INTERNAL_URL", "http://wingu." + RenderedChart.NAMESPACE + ".svc:8080")
        .containsEntry("WINGU_FETCH_IMAGE", "registry.example.go.tz/wingu/control-plane:0.1.0-rc1");

    Ingress ingress = chart.one(Ingress.class, "wingu");
    assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("nginx");
    assertThat(ingress.getSpec().getRules().getFirst().getHost()).isEqualTo("wingu.egov.go.tz");
    assertThat(
            ingress
                .getSpec()
                .getRules()
                .getFirst()
                .getHttp()
                .getPaths()
                .getFirst()
                .getBackend()
                .getService()
                .getName())
        .isEqualTo("wingu");
    assertThat(ingress.getSpec().getTls().getFirst().getSecretName()).isEqualTo("wingu-tls");

    HasMetadata monitor = chart.all("ServiceMonitor").getFirst();
    assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack");
    assertThat(chart.yaml()).contains("path: /metrics");

    DaemonSet agent = chart.one(DaemonSet.class, "wingu-agent");
    assertThat(agent.getMetadata().getNamespace()).isEqualTo("wingu-node-agents");
    assertThat(chart.one(Namespace.class, "wingu-node-agents").getMetadata().getLabels())
        .containsEntry("pod-security.kubernetes.io/enforce", "privileged");
    Container agentContainer = agent.getSpec().getTemplate().getSpec().getContainers().getFirst();
    assertThat(agentContainer.getImage())
        .isEqualTo(
            "registry.example.go.tz/wingu/agent@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    assertThat(env(agentContainer, "WINGU_AGENT_INTERVAL").getValue()).isEqualTo("30");
  }

  @Test
  void agentCanBeLeftOutAndItsNamespaceLeftToTheInstaller() {
    assertThat(render(MINIMAL, "agent.enabled", "false").all(DaemonSet.class)).isEmpty();
    RenderedChart chart = render(MINIMAL, "agent.createNamespace", "false");
    assertThat(chart.all(Namespace.class)).isEmpty();
    assertThat(chart.one(DaemonSet.class, "wingu-agent").getMetadata().getNamespace())
        .isEqualTo("wingu-agent");
  }

  @Test
  void notesNameTheNextSteps() {
    String minimal = notes(MINIMAL);
    assertThat(minimal)
        .contains("kubectl -n " + NAMESPACE + " rollout status deployment/wingu")
        .contains("port-forward service/wingu")
        .contains("DaemonSet wingu-agent in namespace \"wingu-agent\"")
        .contains("enforces Pod Security \"privileged\"")
        .contains("config.tenantDatabase.url is empty");
    assertThat(notes(FULL))
        .contains("https://wingu.egov.go.tz/")
        .doesNotContain("port-forward")
        .contains("Secret wingu-credentials")
        .doesNotContain("config.tenantDatabase.url is empty");
  }

  @Test
  void schemaRejectsAReplicaCountThatIsNotANumber() {
    assertThat(renderError(MINIMAL, "replicaCount", "two"))
        .contains("values don't meet the specifications of the schema")
        .contains("at '/replicaCount': got string, want integer");
  }

  @Test
  void schemaRejectsAnUnknownLogFormat() {
    assertThat(renderError(MINIMAL, "config.logFormat", "xml"))
        .contains("at '/config/logFormat': value must be one of 'json', 'text'");
  }

  @Test
  void schemaRejectsAnEmptyImageTag() {
    assertThat(renderError(MINIMAL, "image.tag", ""))
        .contains("at '/image/tag': minLength: got 0, want 1");
    assertThat(renderError(MINIMAL, "agent.image.tag", ""))
        .contains("at '/agent/image/tag': minLength: got 0, want 1");
  }

  @Test
  void schemaRejectsMisspelledKeysAndBadSettings() {
    assertThat(renderError(MINIMAL, "replicas", "3"))
        .contains("additional properties 'replicas' not allowed");
    assertThat(renderError(MINIMAL, "config.database.url", "postgres://db/wingu"))
        .contains("at '/config/database/url'");
    assertThat(renderError(MINIMAL, "secret.bootstrapPassword", "short"))
        .contains("at '/secret/bootstrapPassword'");
    assertThat(renderError(MINIMAL, "config.httpPort", "70000")).contains("at '/config/httpPort'");
  }

  @Test
  void agentNamespaceMustNotBeTheReleaseNamespace() {
    assertThat(renderError(MINIMAL, "agent.namespace", NAMESPACE))
        .contains("agent.namespace must differ from the release namespace");
  }

  /**
   * A copy of the chart in {@code dir}, its values.yaml edited, with or without values.schema.json.
   */
  private static Path copyOfChart(Path dir, UnaryOperator<String> editValues, boolean withSchema)
      throws IOException {
    Path source = RenderedChart.chart();
    Path copy = dir.resolve("wingu");
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : files.toList()) {
        Path target = copy.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else if (withSchema || !file.getFileName().toString().equals("values.schema.json")) {
          Files.copy(file, target);
        }
      }
    }
    Path values = copy.resolve("values.yaml");
    Files.writeString(values, editValues.apply(Files.readString(values)));
    return copy;
  }

  /** NOTES.txt as helm install prints it (a client-only dry run: no cluster). */
  private static String notes(List<Path> valueFiles) {
    var install =
        new Helm(RenderedChart.chart())
            .install()
            .withName(RenderedChart.RELEASE)
            .withNamespace(NAMESPACE)
            .withKubeVersion(RenderedChart.KUBE_VERSION)
            .dryRun()
            .withDryRunOption(DryRun.CLIENT)
            .clientOnly();
    valueFiles.forEach(install::withValuesFile);
    String output = install.call().getOutput();
    assertThat(output).contains("NOTES:");
    return output.substring(output.indexOf("NOTES:"));
  }

  private static List<PolicyRule> rulesOf(String file) throws IOException {
    String yaml = Files.readString(RenderedChart.chart().resolve("files").resolve(file));
    return RenderedChart.SERIALIZATION.unmarshal(
        yaml, new com.fasterxml.jackson.core.type.TypeReference<List<PolicyRule>>() {});
  }

  private static EnvVar env(Container container, String name) {
    Optional<EnvVar> found =
        container.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst();
    assertThat(found).as("env %s of container %s", name, container.getName()).isPresent();
    return found.get();
  }

  private static String secretKeyOf(Container container, String name) {
    var ref = env(container, name).getValueFrom().getSecretKeyRef();
    return ref.getName() + "/" + ref.getKey();
  }

  private static VolumeMount mount(Container container, String volume) {
    return container.getVolumeMounts().stream()
        .filter(m -> m.getName().equals(volume))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no mount of volume " + volume));
  }

  private static Volume volume(PodSpec pod, String name) {
    return pod.getVolumes().stream()
        .filter(v -> v.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no volume " + name));
  }
}
