package io.wingu.controlplane.provisioning;

import static io.wingu.controlplane.provisioning.GatewayRoutingIT.WAIT;
import static io.wingu.controlplane.provisioning.GatewayRoutingIT.kind;
import static io.wingu.controlplane.testing.SharedControlPlane.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.ControllerAccount;
import io.wingu.controlplane.testing.Eventually;
import io.wingu.controlplane.testing.GatewayApiCrds;
import io.wingu.controlplane.testing.TestCluster;
import io.wingu.controlplane.testing.TestControlPlane;
import io.wingu.controlplane.wiring.ControlPlane;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart's tenant guardrails (templates/tenant-guardrails.yaml, rendered by Helm) on the real
 * kube-apiserver with the Gateway API CRDs: in a tenant namespace Wingu made, each write that
 * breaks the tenant's bounds is refused by the API server — made here as the cluster administrator,
 * the most privileged user other than Wingu's controller — while Wingu's own objects, written by
 * the controller's ServiceAccount under the same policies, are admitted.
 */
class TenantGuardrailsIT {

  static ControlPlane plane;
  static KubernetesClient admin;
  static String code;
  static String ns;
  static final List<HasMetadata> POLICIES = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    GatewayApiCrds.install();
    admin = TestCluster.adminClient();
    GatewayRoutingIT.authorityGateway(admin);
    // the chart in this checkout (-Pimages names it too)
    Path chart =
        Path.of(System.getProperty("wingu.chart", Path.of("..", "helm", "wingu").toString()))
            .toAbsolutePath()
            .normalize();
    String yaml =
        new Helm(chart)
            .template()
            .withName("wingu")
            .withNamespace(ControllerAccount.NAMESPACE)
            .withKubeVersion(io.wingu.dev.LocalKubernetes.VERSION)
            .withValuesFile(chart.resolve("ci").resolve("minimal-values.yaml"))
            .set("serviceAccount.name", ControllerAccount.NAME)
            .call();
    for (String document : yaml.split("(?m)^---\\s*$")) {
      if (document.contains("kind: ValidatingAdmissionPolicy")
          && document.contains("name: wingu-tenant-")) {
        POLICIES.add(admin.getKubernetesSerialization().unmarshal(document));
      }
    }
    assertThat(POLICIES).extracting(HasMetadata::getKind).contains("ValidatingAdmissionPolicy");
    POLICIES.forEach(
        p -> admin.resource(p).fieldManager("wingu-tests").forceConflicts().serverSideApply());

    plane = TestControlPlane.start(GatewayRoutingIT.gatewayEnv("guardrails"));
    ApiClient operator =
        ApiClient.signIn(
            plane.url(), TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD);
    code = unique("gr").toLowerCase();
    ns = "inst-" + code;
    // the policies take effect a moment after they are stored: wait until one refuses
    Eventually.holds(
        "the guardrails refuse a NodePort Service in a labelled namespace",
        () -> {
          admin
              .namespaces()
              .resource(
                  new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                      .withNewMetadata()
                      .withName("guardrails-probe")
                      .addToLabels(Labels.MANAGED_BY, Labels.WINGU)
                      .endMetadata()
                      .build())
              .serverSideApply();
          try {
            admin
                .services()
                .inNamespace("guardrails-probe")
                .resource(service("probe", "NodePort"))
                .dryRun()
                .create();
            return false;
          } catch (KubernetesClientException e) {
            return e.getMessage().contains("NodePort");
          }
        },
        WAIT);
    // Wingu's own objects under the guardrails: the controller's ServiceAccount writes them all
    String siteId = GatewayRoutingIT.provision(operator, plane.url(), code);
    GatewayRoutingIT.awaitCondition(operator, siteId, Condition.DEPLOYED, "True", "Applied");
    GatewayRoutingIT.awaitCondition(
        operator, siteId, Condition.ROUTED, "Unknown", "NoGatewayAnswer");
  }

  @AfterAll
  static void stop() {
    if (plane != null) {
      plane.close();
    }
    POLICIES.forEach(p -> admin.resource(p).delete());
    admin.namespaces().withName("guardrails-probe").delete();
    admin.close();
  }

  @Test
  void wingusOwnObjectsAreAdmitted() {
    assertThat(kind(admin, "HTTPRoute").inNamespace(ns).withName("portal").get()).isNotNull();
    assertThat(kind(admin, "ListenerSet").inNamespace(ns).withName("portal").get()).isNotNull();
    assertThat(admin.apps().deployments().inNamespace(ns).withName("portal").get()).isNotNull();
    ConfigMap domains = admin.configMaps().inNamespace(ns).withName(TenantDomains.NAME).get();
    assertThat(domains.getData()).containsEntry("domains", code + ".go.tz");
    // and a route for the institution's own hostname is admitted from anyone
    admin.resource(route("own-name", List.of("news." + code + ".go.tz"))).dryRun().create();
  }

  @Test
  void aRouteForAnotherInstitutionsHostnameIsRefused() {
    refused(
        () -> admin.resource(route("foreign", List.of("www.other.go.tz"))).create(),
        "outside the institution's delegated domains",
        "www.other.go.tz");
    // a look-alike that only ends with the domain's text
    refused(
        () -> admin.resource(route("lookalike", List.of("evil" + code + ".go.tz"))).create(),
        "evil" + code + ".go.tz");
  }

  @Test
  void wildcardAndCatchAllRoutesAreRefused() {
    refused(
        () -> admin.resource(route("wild", List.of("*." + code + ".go.tz"))).create(),
        "*." + code + ".go.tz");
    refused(() -> admin.resource(route("all", List.of())).create(), "must name its hostnames");
  }

  @Test
  void anIngressForAnotherInstitutionsHostnameIsRefused() {
    refused(
        () ->
            admin
                .resource(
                    new IngressBuilder()
                        .withNewMetadata()
                        .withName("foreign")
                        .withNamespace(ns)
                        .endMetadata()
                        .withNewSpec()
                        .addNewRule()
                        .withHost("portal.other.go.tz")
                        .endRule()
                        .endSpec()
                        .build())
                .create(),
        "portal.other.go.tz");
  }

  @Test
  void tenantsHaveNoGatewayOrListenerSetOfTheirOwn() {
    refused(
        () ->
            admin
                .resource(
                    gatewayObject(
                        "Gateway",
                        "own",
                        Map.of(
                            "gatewayClassName",
                            "any",
                            "listeners",
                            List.of(Map.of("name", "http", "port", 80, "protocol", "HTTP")))))
                .create(),
        "written by Wingu only");
    refused(
        () ->
            admin
                .resource(
                    gatewayObject(
                        "ListenerSet",
                        "own",
                        Map.of(
                            "parentRef",
                            Map.of("name", "wingu", "namespace", "wingu-gateway"),
                            "listeners",
                            List.of(
                                Map.of(
                                    "name",
                                    "http",
                                    "port",
                                    80,
                                    "protocol",
                                    "HTTP",
                                    "hostname",
                                    "x." + code + ".go.tz")))))
                .create(),
        "written by Wingu only");
  }

  @Test
  void theDomainsParameterIsWingusOnly() {
    refused(
        () ->
            admin
                .configMaps()
                .inNamespace(ns)
                .withName(TenantDomains.NAME)
                .edit(
                    c -> {
                      c.getData().put("domains", code + ".go.tz go.tz");
                      return c;
                    }),
        "written by Wingu only");
  }

  @Test
  void nodePortAndLoadBalancerServicesAreRefused() {
    refused(
        () -> admin.services().inNamespace(ns).resource(service("np", "NodePort")).create(),
        "NodePort");
    refused(
        () -> admin.services().inNamespace(ns).resource(service("lb", "LoadBalancer")).create(),
        "LoadBalancer");
  }

  @Test
  void hostNetworkHostPidAndHostPathAreRefusedEvenInWorkloadTemplates() {
    // a Deployment: Pod Security only warns on workload templates, the guardrail refuses
    refused(
        () -> admin.resource(deployment("hostnet", pod().withHostNetwork(true).build())).create(),
        "hostNetwork");
    refused(
        () -> admin.resource(deployment("hostpid", pod().withHostPID(true).build())).create(),
        "hostNetwork, hostPID and hostIPC");
    refused(
        () ->
            admin
                .resource(
                    deployment(
                        "hostpath",
                        pod()
                            .addNewVolume()
                            .withName("root")
                            .withNewHostPath()
                            .withPath("/")
                            .endHostPath()
                            .endVolume()
                            .build()))
                .create(),
        "hostPath");
  }

  @Test
  void thePodSecurityLabelsCannotBeTakenOff() {
    refused(
        () ->
            admin
                .namespaces()
                .withName(ns)
                .edit(
                    (Namespace n) -> {
                      n.getMetadata().getLabels().remove("pod-security.kubernetes.io/enforce");
                      return n;
                    }),
        "pod-security.kubernetes.io/enforce");
    refused(
        () ->
            admin
                .namespaces()
                .withName(ns)
                .edit(
                    (Namespace n) -> {
                      n.getMetadata()
                          .getLabels()
                          .put("pod-security.kubernetes.io/enforce", "privileged");
                      return n;
                    }),
        "unchanged");
    assertThat(admin.namespaces().withName(ns).get().getMetadata().getLabels())
        .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
  }

  static void refused(ThrowingCallable write, String... inMessage) {
    assertThatThrownBy(write)
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).as(e.getMessage()).isIn(403, 422);
              assertThat(e.getMessage()).contains(inMessage);
            });
  }

  static GenericKubernetesResource route(String name, List<String> hostnames) {
    Map<String, Object> spec = new java.util.LinkedHashMap<>();
    spec.put("parentRefs", List.of(Map.of("kind", "ListenerSet", "name", "portal")));
    if (!hostnames.isEmpty()) {
      spec.put("hostnames", hostnames);
    }
    spec.put(
        "rules", List.of(Map.of("backendRefs", List.of(Map.of("name", "portal", "port", 80)))));
    return gatewayObject("HTTPRoute", name, spec);
  }

  static GenericKubernetesResource gatewayObject(
      String kind, String name, Map<String, Object> spec) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion(SiteRoutes.GATEWAY_API_VERSION)
        .withKind(kind)
        .withNewMetadata()
        .withName(name)
        .withNamespace(ns)
        .endMetadata()
        .addToAdditionalProperties("spec", spec)
        .build();
  }

  static io.fabric8.kubernetes.api.model.Service service(String name, String type) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withType(type)
        .addNewPort()
        .withPort(80)
        .endPort()
        .endSpec()
        .build();
  }

  static PodSpecBuilder pod() {
    return new PodSpecBuilder()
        .addToContainers(
            new ContainerBuilder().withName("web").withImage("wingu/site-web:local").build());
  }

  static io.fabric8.kubernetes.api.model.apps.Deployment deployment(String name, PodSpec spec) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(ns)
        .endMetadata()
        .withNewSpec()
        .withNewSelector()
        .addToMatchLabels("app", name)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", name)
        .endMetadata()
        .withSpec(spec)
        .endTemplate()
        .endSpec()
        .build();
  }
}
