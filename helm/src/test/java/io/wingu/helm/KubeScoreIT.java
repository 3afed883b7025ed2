package io.wingu.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.wingu.controlplane.provisioning.BundleFetch;
import io.wingu.controlplane.provisioning.BundleTokens;
import io.wingu.controlplane.provisioning.DatabaseSecrets;
import io.wingu.controlplane.provisioning.LimitRanges;
import io.wingu.controlplane.provisioning.Namespaces;
import io.wingu.controlplane.provisioning.NetworkPolicies;
import io.wingu.controlplane.provisioning.ResourceQuotas;
import io.wingu.controlplane.provisioning.ServiceAccounts;
import io.wingu.controlplane.provisioning.SiteDeployments;
import io.wingu.controlplane.provisioning.SiteIngresses;
import io.wingu.controlplane.provisioning.SiteServices;
import io.wingu.controlplane.provisioning.SiteWebConfigs;
import io.wingu.controlplane.provisioning.Tenant;
import io.wingu.controlplane.provisioning.TenantSecretsAccess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * kube-score, an outside checker of Kubernetes objects, over what Wingu puts on a cluster: the
 * chart as an operator installs it, and one tenant's objects as the reconciler writes them. A
 * critical finding fails the test unless helm/kube-score-accepted.yaml names it with its reason; an
 * accepted finding kube-score no longer reports fails it too, so the list stays honest.
 */
class KubeScoreIT {

  private static final Path ACCEPTED =
      RenderedChart.chart().getParent().resolve("kube-score-accepted.yaml");
  private static final Path OUT = RenderedChart.chart().getParent().resolve("target/kube-score");

  private static KubeScore kubeScore;

  @BeforeAll
  static void buildKubeScore() throws Exception {
    kubeScore = KubeScore.build();
  }

  @Test
  void chartWithAFirstInstallsValuesHasNoUnacceptedCriticalFinding() throws Exception {
    // the full values turn on every optional object (Ingress, ServiceMonitor) on top of a first
    // install's
    String yaml =
        RenderedChart.render(
                List.of(
                    RenderedChart.ciValues("minimal-values.yaml"),
                    RenderedChart.ciValues("full-values.yaml")),
                "secret.existingSecret",
                "")
            .yaml();
    Path file = KubeScore.write(OUT.resolve("chart.yaml"), yaml);
    assertOnlyAccepted("chart", kubeScore.critical(RenderedChart.KUBE_VERSION, file));
  }

  @Test
  void tenantObjectsHaveNoUnacceptedCriticalFinding() throws Exception {
    Path file =
        KubeScore.write(
            OUT.resolve("tenant.yaml"),
            tenantObjects().stream()
                .map(RenderedChart.SERIALIZATION::asYaml)
                .collect(Collectors.joining("\n")));
    assertOnlyAccepted("tenant", kubeScore.critical(RenderedChart.KUBE_VERSION, file));
  }

  /**
   * Everything the reconciler writes for an institution with one live site that has a database and
   * content.
   */
  static List<HasMetadata> tenantObjects() {
    Tenant.Site site =
        new Tenant.Site(
            UUID.randomUUID(),
            "portal",
            List.of("www.moh.go.tz"),
            500,
            512L << 20,
            5L << 30,
            "ACTIVE",
            new Tenant.Database(1L << 30, 10),
            "sha256:" + "ab".repeat(32));
    Tenant tenant = new Tenant(UUID.randomUUID(), "moh", List.of("moh.go.tz"), List.of(site));
    List<HasMetadata> objects = new ArrayList<>();
    objects.add(Namespaces.desired(tenant));
    objects.add(ResourceQuotas.desired(tenant));
    objects.add(LimitRanges.desired(tenant));
    objects.add(ServiceAccounts.desired(tenant));
    objects.add(TenantSecretsAccess.desired(tenant, RenderedChart.NAMESPACE + ":wingu"));
    objects.addAll(
        NetworkPolicies.desired(
            tenant, new NetworkPolicies.Doors("ingress-nginx", "10.20.0.0/16", 5432)));
    objects.add(SiteWebConfigs.desired(tenant, site));
    objects.add(BundleTokens.desired(tenant, site, "token-of-the-test"));
    objects.add(
        DatabaseSecrets.desired(
            tenant,
            site,
            new DatabaseSecrets.Credentials(
                "tenants-rw.databases.svc", 5432, "moh_portal", "moh_portal", "secret")));
    objects.add(
        SiteDeployments.desired(tenant, site, SiteDeployments.DEFAULT_IMAGE, BundleFetch.DEFAULT));
    objects.add(SiteServices.desired(tenant, site));
    objects.add(
        SiteIngresses.desired(tenant, site, new SiteIngresses.Edge("nginx", "letsencrypt")));
    return objects;
  }

  private static void assertOnlyAccepted(String scope, List<KubeScore.Finding> findings)
      throws IOException {
    List<Map<String, String>> accepted = accepted();
    List<KubeScore.Finding> unaccepted =
        findings.stream().filter(f -> accepted.stream().noneMatch(a -> matches(a, f))).toList();
    assertThat(unaccepted)
        .as("critical kube-score findings of the %s not in %s", scope, ACCEPTED)
        .isEmpty();
    List<Map<String, String>> stale =
        accepted.stream()
            .filter(a -> scope.equals(a.get("scope")))
            .filter(a -> findings.stream().noneMatch(f -> matches(a, f)))
            .toList();
    assertThat(stale)
        .as(
            "accepted findings of the %s that kube-score no longer reports: remove them from %s",
            scope, ACCEPTED)
        .isEmpty();
  }

  private static boolean matches(Map<String, String> accepted, KubeScore.Finding finding) {
    return accepted.get("check").equals(finding.check())
        && accepted.get("object").equals(finding.object());
  }

  private static List<Map<String, String>> accepted() throws IOException {
    List<Map<String, String>> entries =
        RenderedChart.SERIALIZATION.unmarshal(
            Files.readString(ACCEPTED),
            new com.fasterxml.jackson.core.type.TypeReference<List<Map<String, String>>>() {});
    assertThat(entries)
        .as("every accepted finding has a scope, check, object and a reason")
        .allSatisfy(
            e ->
                assertThat(e)
                    .containsKeys("scope", "check", "object", "reason")
                    .allSatisfy((k, v) -> assertThat(v).isNotBlank()));
    return entries;
  }
}
