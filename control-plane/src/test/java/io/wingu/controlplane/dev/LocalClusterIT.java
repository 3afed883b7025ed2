package io.wingu.controlplane.dev;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The one-node cluster on the real parts: its node becomes Ready, a Deployment under Pod Security
 * {@code restricted} runs an image built on this machine and answers HTTP on its pod IP, the
 * controller-manager counts the namespace's quota, a deleted namespace really goes away, and after
 * the cluster stops this machine's settings, mounts, interfaces and cgroups are as before.
 */
class LocalClusterIT {

  private static final String NS = "cluster-it";
  private static final String IMAGE = "wingu.local/hello:it";

  @Test
  void aRealNodeRunsARestrictedPodAndTheMachineIsRestoredAfterwards() throws Exception {
    Path work = io.wingu.controlplane.testing.TempDirs.create("wingu-cluster-it");
    Path image = ImageArchive.write(work.resolve("hello.tar"), IMAGE, helloServer(work), "10001:10001");

    HostState before = HostState.capture();
    Instant t0 = Instant.now();
    try (LocalCluster cluster = LocalCluster.start()) {
      Instant ready = Instant.now();
      System.out.printf("cluster start: %d ms%n", Duration.between(t0, ready).toMillis());
      KubernetesClient k = cluster.client();
      assertThat(k.nodes().withName(LocalCluster.NODE_NAME).get().getStatus().getAddresses())
          .anyMatch(a -> a.getType().equals("InternalIP") && a.getAddress().equals(LocalCluster.NODE_IP));
      cluster.importImage(image);

      k.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS)
          .addToLabels("pod-security.kubernetes.io/enforce", "restricted").endMetadata().build()).create();
      k.resourceQuotas().inNamespace(NS).resource(new ResourceQuotaBuilder().withNewMetadata().withName("site")
          .endMetadata().withNewSpec()
          .addToHard("pods", new Quantity("4"))
          .addToHard("requests.cpu", new Quantity("1"))
          .addToHard("requests.memory", new Quantity("256Mi"))
          .addToHard("limits.memory", new Quantity("256Mi"))
          .endSpec().build()).create();
      k.apps().deployments().inNamespace(NS).resource(helloDeployment()).create();

      Instant created = Instant.now();
      Pod pod = awaitReadyPod(k);
      System.out.printf("pod Ready: %d ms after the Deployment was created%n", Duration.between(created, Instant.now()).toMillis());
      String podIp = pod.getStatus().getPodIP();
      assertThat(podIp).startsWith("10.244.0.");

      HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
          .send(HttpRequest.newBuilder(URI.create("http://" + podIp + ":8080/")).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("hello from a pod on the wingu node\n");

      ResourceQuota quota = k.resourceQuotas().inNamespace(NS).withName("site").waitUntilCondition(
          q -> q.getStatus() != null && q.getStatus().getUsed() != null
              && new Quantity("1").equals(q.getStatus().getUsed().get("pods")), 60, TimeUnit.SECONDS);
      assertThat(quota.getStatus().getUsed().get("requests.memory")).isEqualTo(new Quantity("32Mi"));

      k.namespaces().withName(NS).delete();
      k.namespaces().withName(NS).waitUntilCondition(ns -> ns == null, 120, TimeUnit.SECONDS);
      assertThat(k.namespaces().withName(NS).get()).isNull();
    }
    HostState after = HostState.capture();
    assertThat(after.differencesFrom(before)).isEmpty();
    assertThat(after).isEqualTo(before);
  }

  private static Pod awaitReadyPod(KubernetesClient k) {
    k.pods().inNamespace(NS).withLabel("app", "hello").waitUntilCondition(p -> p != null && p.getStatus() != null
        && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())), 120, TimeUnit.SECONDS);
    return k.pods().inNamespace(NS).withLabel("app", "hello").list().getItems().get(0);
  }

  private static Deployment helloDeployment() {
    return new DeploymentBuilder().withNewMetadata().withName("hello").endMetadata()
        .withNewSpec().withReplicas(1)
        .withNewSelector().addToMatchLabels("app", "hello").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "hello").endMetadata()
        .withNewSpec()
        .withAutomountServiceAccountToken(false)
        .withTerminationGracePeriodSeconds(2L)
        .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(10001L).withRunAsGroup(10001L)
        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().endSecurityContext()
        .addNewContainer().withName("hello").withImage(IMAGE).withImagePullPolicy("Never")
        .addNewPort().withContainerPort(8080).endPort()
        .withNewSecurityContext().withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true)
        .withNewCapabilities().withDrop("ALL").endCapabilities().endSecurityContext()
        .withNewResources()
        .withRequests(Map.of("cpu", new Quantity("50m"), "memory", new Quantity("32Mi")))
        .withLimits(Map.of("memory", new Quantity("32Mi")))
        .endResources()
        .withNewReadinessProbe().withNewHttpGet().withPath("/").withNewPort(8080).endHttpGet()
        .withPeriodSeconds(1).endReadinessProbe()
        .endContainer()
        .endSpec().endTemplate().endSpec().build();
  }

  /** A tiny static web server, compiled here with Go (standard library only, nothing fetched). */
  private static Path helloServer(Path work) throws Exception {
    Path src = Files.createDirectories(work.resolve("hello-src"));
    Files.writeString(src.resolve("go.mod"), "module wingu.local/hello\n\ngo 1.22\n");
    Files.writeString(src.resolve("main.go"), """
        package main

        import (
        \t"fmt"
        \t"net/http"
        )

        func main() {
        \thttp.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
        \t\tfmt.Fprintln(w, "hello from a pod on the wingu node")
        \t})
        \tpanic(http.ListenAndServe(":8080", nil))
        }
        """);
    Path binary = work.resolve("hello");
    ProcessBuilder pb = new ProcessBuilder(List.of("go", "build", "-trimpath", "-ldflags", "-s -w", "-o", binary.toString(), "."))
        .directory(src.toFile()).redirectErrorStream(true);
    pb.environment().putAll(Map.of("CGO_ENABLED", "0", "GOTOOLCHAIN", "local", "GOPROXY", "off", "GOFLAGS", "-mod=mod"));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as("go build: %s", out).isZero();
    return binary;
  }
}
