package io.wingu.helm;

import static io.wingu.helm.RenderedChart.NAMESPACE;
import static io.wingu.helm.RenderedChart.ciValues;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rendered chart on a real kube-apiserver: every object is accepted by server-side apply, and
 * every pod template passes the Pod Security level its namespace enforces (a server-side dry-run
 * Pod create, which runs PodSecurity admission), while the agent's is refused under "restricted".
 */
class ChartIT {

  private static final String FIELD_MANAGER = "wingu-test";
  private static LocalApiServer apiServer;
  private static KubernetesClient client;
  private static Release installed;

  @BeforeAll
  static void startApiServerWithRestrictedReleaseNamespaceAndServiceMonitorCrd() {
    apiServer = LocalApiServer.start();
    client = apiServer.client();
    // The release namespace enforces "restricted", as NOTES.txt tells installers to label it.
    Namespace release =
        new NamespaceBuilder()
            .withNewMetadata()
            .withName(NAMESPACE)
            .withLabels(
                Map.of(
                    "pod-security.kubernetes.io/enforce",
                    "restricted",
                    "pod-security.kubernetes.io/enforce-version",
                    "latest"))
            .endMetadata()
            .build();
    apply(release);
    apply(serviceMonitorCrd());
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .withName("servicemonitors.monitoring.coreos.com")
        .waitUntilCondition(
            crd ->
                crd.getStatus() != null
                    && crd.getStatus().getConditions().stream()
                        .anyMatch(
                            c -> c.getType().equals("Established") && c.getStatus().equals("True")),
            60,
            TimeUnit.SECONDS);
    // first, what an installer does: helm install with Helm's own client (the tests below then
    // server-side apply the rendered objects over it)
    installed =
        new Helm(RenderedChart.chart())
            .install()
            .withName(RenderedChart.RELEASE)
            .withNamespace(NAMESPACE)
            .withValuesFile(ciValues("minimal-values.yaml"))
            .withKubeConfigContents(apiServer.kubeconfigYaml())
            .call();
  }

  @Test
  void helmInstallsTheReleaseAndPrintsTheNextSteps() {
    assertThat(installed.getStatus()).isEqualTo("deployed");
    assertThat(installed.getOutput())
        .contains("kubectl -n " + NAMESPACE + " rollout status deployment/wingu")
        .contains("enforces Pod Security \"privileged\"")
        .doesNotContain("NOT READY YET");
    Deployment deployment =
        client.apps().deployments().inNamespace(NAMESPACE).withName("wingu").get();
    assertThat(deployment.getMetadata().getAnnotations())
        .containsEntry("meta.helm.sh/release-name", RenderedChart.RELEASE);
    assertThat(client.apps().daemonSets().inNamespace("wingu-agent").withName("wingu-agent").get())
        .isNotNull();
    assertThat(client.rbac().clusterRoles().withName("wingu-tenant-secrets").get()).isNotNull();
  }

  @AfterAll
  static void stopApiServer() {
    if (apiServer != null) {
      apiServer.close();
    }
  }

  @Test
  void apiServerAcceptsEveryObjectOfTheMinimalInstall() {
    RenderedChart chart = RenderedChart.render(List.of(ciValues("minimal-values.yaml")));
    applyAll(chart);
    ClusterRole controller = client.rbac().clusterRoles().withName("wingu-controller").get();
    assertThat(controller.getRules())
        .isEqualTo(chart.one(ClusterRole.class, "wingu-controller").getRules());
    assertThat(client.namespaces().withName("wingu-agent").get().getMetadata().getLabels())
        .containsEntry("pod-security.kubernetes.io/enforce", "privileged");
  }

  @Test
  void apiServerAcceptsEveryObjectWithIngressServiceMonitorAndExistingSecret() {
    RenderedChart chart = RenderedChart.render(List.of(ciValues("full-values.yaml")));
    assertThat(chart.all("ServiceMonitor")).hasSize(1);
    assertThat(chart.all("Ingress")).hasSize(1);
    applyAll(chart);
    GenericKubernetesResource monitor =
        client
            .genericKubernetesResources("monitoring.coreos.com/v1", "ServiceMonitor")
            .inNamespace(NAMESPACE)
            .withName("wingu")
            .get();
    assertThat(monitor).isNotNull();
    assertThat(
            client
                .apps()
                .deployments()
                .inNamespace(NAMESPACE)
                .withName("wingu")
                .get()
                .getSpec()
                .getReplicas())
        .isEqualTo(3);
  }

  @Test
  void everyPodTemplatePassesThePodSecurityLevelOfItsNamespace() {
    for (List<java.nio.file.Path> values :
        List.of(List.of(ciValues("minimal-values.yaml")), List.of(ciValues("full-values.yaml")))) {
      RenderedChart chart = RenderedChart.render(values);
      applyAll(chart);
      Map<HasMetadata, PodTemplateSpec> templates = chart.podTemplates();
      assertThat(templates.keySet())
          .extracting(HasMetadata::getKind)
          .containsExactlyInAnyOrder("Deployment", "DaemonSet");
      templates.forEach(
          (workload, template) -> {
            String namespace = workload.getMetadata().getNamespace();
            Pod accepted = dryRunPod(template, namespace);
            assertThat(accepted.getMetadata().getNamespace())
                .as("%s %s", workload.getKind(), workload.getMetadata().getName())
                .isEqualTo(namespace);
          });
      Deployment controlPlane = chart.one(Deployment.class, "wingu");
      assertThat(levelOf(controlPlane.getMetadata().getNamespace())).isEqualTo("restricted");
      DaemonSet agent = chart.one(DaemonSet.class, "wingu-agent");
      assertThat(levelOf(agent.getMetadata().getNamespace())).isEqualTo("privileged");
    }
  }

  @Test
  void agentPodTemplateIsRefusedInARestrictedNamespace() {
    RenderedChart chart = RenderedChart.render(List.of(ciValues("minimal-values.yaml")));
    applyAll(chart);
    PodTemplateSpec agent = chart.one(DaemonSet.class, "wingu-agent").getSpec().getTemplate();
    assertThat(levelOf(NAMESPACE)).isEqualTo("restricted");
    assertThatThrownBy(() -> dryRunPod(agent, NAMESPACE))
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(403))
        .hasMessageContaining("violates PodSecurity \"restricted:latest\"")
        .hasMessageContaining(
            "volumes \"proc\", \"cgroup\" use restricted volume type \"hostPath\"");
  }

  @Test
  void agentPodTemplateIsRefusedEvenUnderBaselineWhichIsWhyItsNamespaceIsPrivileged() {
    String baseline = "pod-security-baseline";
    apply(
        new NamespaceBuilder()
            .withNewMetadata()
            .withName(baseline)
            .withLabels(Map.of("pod-security.kubernetes.io/enforce", "baseline"))
            .endMetadata()
            .build());
    RenderedChart chart =
        RenderedChart.render(
            List.of(ciValues("minimal-values.yaml")),
            "agent.namespace",
            baseline,
            "agent.createNamespace",
            "false");
    applyAll(chart);
    PodTemplateSpec agent = chart.one(DaemonSet.class, "wingu-agent").getSpec().getTemplate();
    assertThatThrownBy(() -> dryRunPod(agent, baseline))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("violates PodSecurity \"baseline:latest\"")
        .hasMessageContaining("hostPath volumes (volumes \"proc\", \"cgroup\")");
  }

  /** Namespaces and CRDs first, the way Helm orders an install. */
  private static void applyAll(RenderedChart chart) {
    chart.objects().stream()
        .sorted(Comparator.comparingInt(o -> o.getKind().equals("Namespace") ? 0 : 1))
        .forEach(ChartIT::apply);
  }

  private static void apply(HasMetadata object) {
    HasMetadata applied =
        client.resource(object).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    assertThat(applied.getMetadata().getUid())
        .as("%s %s accepted", object.getKind(), object.getMetadata().getName())
        .isNotBlank();
    assertThat(applied.getMetadata().getManagedFields())
        .anySatisfy(field -> assertThat(field.getManager()).isEqualTo(FIELD_MANAGER));
  }

  private static Pod dryRunPod(PodTemplateSpec template, String namespace) {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withGenerateName("pod-security-check-")
            .withNamespace(namespace)
            .withLabels(template.getMetadata().getLabels())
            .endMetadata()
            .withSpec(template.getSpec())
            .build();
    return client.pods().inNamespace(namespace).resource(pod).dryRun().create();
  }

  private static String levelOf(String namespace) {
    return client
        .namespaces()
        .withName(namespace)
        .get()
        .getMetadata()
        .getLabels()
        .get("pod-security.kubernetes.io/enforce");
  }

  /** The least of the Prometheus Operator's CRD that lets the API server store a ServiceMonitor. */
  private static CustomResourceDefinition serviceMonitorCrd() {
    return new CustomResourceDefinitionBuilder()
        .withNewMetadata()
        .withName("servicemonitors.monitoring.coreos.com")
        .endMetadata()
        .withNewSpec()
        .withGroup("monitoring.coreos.com")
        .withScope("Namespaced")
        .withNewNames()
        .withKind("ServiceMonitor")
        .withListKind("ServiceMonitorList")
        .withPlural("servicemonitors")
        .withSingular("servicemonitor")
        .endNames()
        .addNewVersion()
        .withName("v1")
        .withServed(true)
        .withStorage(true)
        .withNewSchema()
        .withNewOpenAPIV3Schema()
        .withType("object")
        .withXKubernetesPreserveUnknownFields(true)
        .endOpenAPIV3Schema()
        .endSchema()
        .endVersion()
        .endSpec()
        .build();
  }
}
