package io.wingu.controlplane.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The control plane's own identity on the test API server: a ServiceAccount bound to exactly the
 * rules in helm/wingu/files/controller-rules.yaml (the file the chart uses), and a kubeconfig that
 * authenticates with a token requested for it — not as cluster-admin.
 */
public final class ControllerAccount {

  public static final String NAMESPACE = "wingu-system";
  public static final String NAME = "wingu-controller";

  /** Where the tests' leader election Lease is (WINGU_LEASE_NAMESPACE). */
  public static final String LEASE_NAMESPACE = "default";

  private static Path kubeconfig;

  private ControllerAccount() {}

  /** "namespace:name", as WINGU_CONTROLLER_SERVICE_ACCOUNT wants it. */
  public static String reference() {
    return NAMESPACE + ":" + NAME;
  }

  public static synchronized Path kubeconfig() {
    if (kubeconfig == null) {
      try (KubernetesClient admin = TestCluster.adminClient()) {
        admin
            .namespaces()
            .resource(
                new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
            .serverSideApply();
        admin
            .serviceAccounts()
            .inNamespace(NAMESPACE)
            .resource(
                new ServiceAccountBuilder()
                    .withNewMetadata()
                    .withName(NAME)
                    .withNamespace(NAMESPACE)
                    .endMetadata()
                    .build())
            .serverSideApply();
        admin
            .rbac()
            .clusterRoles()
            .resource(
                new ClusterRoleBuilder()
                    .withNewMetadata()
                    .withName(NAME)
                    .endMetadata()
                    .withRules(rules("controller-rules.yaml"))
                    .build())
            .serverSideApply();
        admin
            .rbac()
            .clusterRoles()
            .resource(
                new ClusterRoleBuilder()
                    .withNewMetadata()
                    .withName("wingu-tenant-secrets")
                    .endMetadata()
                    .withRules(rules("tenant-secrets-rules.yaml"))
                    .build())
            .serverSideApply();
        admin
            .rbac()
            .clusterRoleBindings()
            .resource(
                new ClusterRoleBindingBuilder()
                    .withNewMetadata()
                    .withName(NAME)
                    .endMetadata()
                    .withNewRoleRef()
                    .withApiGroup("rbac.authorization.k8s.io")
                    .withKind("ClusterRole")
                    .withName(NAME)
                    .endRoleRef()
                    .addNewSubject()
                    .withKind("ServiceAccount")
                    .withNamespace(NAMESPACE)
                    .withName(NAME)
                    .endSubject()
                    .build())
            .serverSideApply();
        // the chart grants the leader election Lease by a Role in the release namespace only (not
        // in
        // controller-rules.yaml); the tests' Lease is in "default" (WINGU_LEASE_NAMESPACE)
        admin
            .rbac()
            .roles()
            .inNamespace(LEASE_NAMESPACE)
            .resource(
                new RoleBuilder()
                    .withNewMetadata()
                    .withName(NAME + "-leader-election")
                    .withNamespace(LEASE_NAMESPACE)
                    .endMetadata()
                    .addNewRule()
                    .withApiGroups("coordination.k8s.io")
                    .withResources("leases")
                    .withVerbs("get", "list", "watch", "create", "update", "patch")
                    .endRule()
                    .build())
            .serverSideApply();
        admin
            .rbac()
            .roleBindings()
            .inNamespace(LEASE_NAMESPACE)
            .resource(
                new RoleBindingBuilder()
                    .withNewMetadata()
                    .withName(NAME + "-leader-election")
                    .withNamespace(LEASE_NAMESPACE)
                    .endMetadata()
                    .withNewRoleRef()
                    .withApiGroup("rbac.authorization.k8s.io")
                    .withKind("Role")
                    .withName(NAME + "-leader-election")
                    .endRoleRef()
                    .addNewSubject()
                    .withKind("ServiceAccount")
                    .withNamespace(NAMESPACE)
                    .withName(NAME)
                    .endSubject()
                    .build())
            .serverSideApply();
        String token =
            admin
                .serviceAccounts()
                .inNamespace(NAMESPACE)
                .withName(NAME)
                .tokenRequest(
                    new TokenRequestBuilder()
                        .withNewSpec()
                        .withExpirationSeconds(24L * 3600)
                        .endSpec()
                        .build())
                .getStatus()
                .getToken();
        String adminYaml = TestCluster.kubeconfigYaml();
        Matcher server = Pattern.compile("server: (\\S+)").matcher(adminYaml);
        Matcher ca = Pattern.compile("certificate-authority: (\\S+)").matcher(adminYaml);
        if (!server.find() || !ca.find()) {
          throw new IllegalStateException("unexpected kubeconfig: " + adminYaml);
        }
        kubeconfig = TempDirs.create("wingu-controller").resolve("kubeconfig");
        Files.writeString(
            kubeconfig,
            String.join(
                "\n",
                "apiVersion: v1",
                "kind: Config",
                "clusters:",
                "- name: test",
                "  cluster:",
                "    server: " + server.group(1),
                "    certificate-authority: " + ca.group(1),
                "users:",
                "- name: wingu-controller",
                "  user:",
                "    token: " + token,
                "contexts:",
                "- name: test",
                "  context:",
                "    cluster: test",
                "    user: wingu-controller",
                "    namespace: " + NAMESPACE,
                "current-context: test",
                ""));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return kubeconfig;
  }

  /** The rules of one of the chart's files. */
  public static List<PolicyRule> rules(String file) throws IOException {
    Path path = Path.of("..", "helm", "wingu", "files", file);
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    return List.of(yaml.readValue(path.toFile(), PolicyRule[].class));
  }
}
