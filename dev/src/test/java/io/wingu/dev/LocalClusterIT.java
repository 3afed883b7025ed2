package io.wingu.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
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
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The one-node cluster on the real parts: its node becomes Ready, a Deployment under Pod Security
 * {@code restricted} runs an image built on this machine and answers HTTP on its pod IP and,
 * through kube-proxy, on its ClusterIP Service from the machine and from a pod's network namespace,
 * the controller-manager counts the namespace's quota, a deleted namespace really goes away, and
 * after the cluster stops this machine's settings, mounts, interfaces and cgroups are as before.
 */
class LocalClusterIT {

  private static final String NS = "cluster-it";
  private static final String IMAGE = "wingu.local/hello:it";

  @Test
  void aRealNodeRunsARestrictedPodAndTheMachineIsRestoredAfterwards() throws Exception {
    Path work = Files.createTempDirectory("wingu-cluster-it");
    Path image =
        ImageArchive.write(work.resolve("hello.tar"), IMAGE, helloServer(work), "10001:10001");

    HostState before = LocalCluster.idleHostState();
    Instant t0 = Instant.now();
    try (LocalCluster cluster = LocalCluster.start()) {
      Instant ready = Instant.now();
      System.out.printf("cluster start: %d ms%n", Duration.between(t0, ready).toMillis());
      KubernetesClient k = cluster.client();
      HostState during = HostState.capture();
      // the comparison at the end means something: the cluster did change the machine
      assertThat(during.links()).contains(LocalCluster.BRIDGE);
      assertThat(during.cgroups()).anyMatch(c -> c.endsWith("/kubepods"));
      assertThat(during.folders()).containsKey("/var/lib/kubelet");
      // kube-proxy (Services) and kube-router (NetworkPolicies) add rules while the cluster runs:
      // every one of them is in or jumps to their own KUBE-* chains, none touches the host's own
      Set<String> hostRules = before.iptables().lines().collect(Collectors.toSet());
      assertThat(during.iptables().lines().filter(l -> !hostRules.contains(l)))
          .as("rules added while the cluster runs belong to kube-proxy and kube-router")
          .allMatch(
              l ->
                  l.startsWith("*")
                      || l.equals("COMMIT")
                      || l.startsWith("## ")
                      || l.matches(":[A-Z]+ (ACCEPT|DROP|-)")
                      || l.startsWith(":KUBE-")
                      || l.startsWith("-A KUBE-")
                      || l.matches("-A [A-Z]+ .*-j KUBE-[A-Z0-9-]+.*"));
      assertThat(k.nodes().withName(LocalCluster.NODE_NAME).get().getStatus().getAddresses())
          .anyMatch(
              a -> a.getType().equals("InternalIP") && a.getAddress().equals(LocalCluster.NODE_IP));
      cluster.importImage(image);

      k.namespaces()
          .resource(
              new NamespaceBuilder()
                  .withNewMetadata()
                  .withName(NS)
                  .addToLabels("pod-security.kubernetes.io/enforce", "restricted")
                  .endMetadata()
                  .build())
          .create();
      k.resourceQuotas()
          .inNamespace(NS)
          .resource(
              new ResourceQuotaBuilder()
                  .withNewMetadata()
                  .withName("site")
                  .endMetadata()
                  .withNewSpec()
                  .addToHard("pods", new Quantity("4"))
                  .addToHard("requests.cpu", new Quantity("1"))
                  .addToHard("requests.memory", new Quantity("256Mi"))
                  .addToHard("limits.memory", new Quantity("256Mi"))
                  .endSpec()
                  .build())
          .create();
      k.apps().deployments().inNamespace(NS).resource(helloDeployment()).create();

      Instant created = Instant.now();
      Pod pod = awaitReadyPod(k);
      System.out.printf(
          "pod Ready: %d ms after the Deployment was created%n",
          Duration.between(created, Instant.now()).toMillis());
      String podIp = pod.getStatus().getPodIP();
      assertThat(podIp).startsWith("10.244.0.");

      HttpResponse<String> r =
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(5))
              .build()
              .send(
                  HttpRequest.newBuilder(URI.create("http://" + podIp + ":8080/"))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("hello from a pod on the wingu node\n");

      assertThat(HostState.capture().mounts())
          .as("the pod's network namespace and root fs are mounts")
          .isNotEqualTo(before.mounts());
      // kubelet's kernel settings and the bridge plugin's forwarding are on while it runs (and put
      // back below)
      assertThat(HostState.capture().sysctls())
          .containsEntry("vm.overcommit_memory", "1")
          .containsEntry("kernel.panic_on_oops", "1")
          .containsEntry("net.ipv4.ip_forward", "1");
      // the workplace's network rule: a pod reaches its own bridge and nothing beyond (no default
      // route)
      List<String> podNetns;
      try (var names = Files.list(Path.of("/run/netns"))) {
        podNetns =
            names.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("cni-")).toList();
      }
      assertThat(podNetns).hasSize(1);
      Process routes =
          new ProcessBuilder("ip", "netns", "exec", podNetns.get(0), "ip", "route")
              .redirectErrorStream(true)
              .start();
      String podRoutes = new String(routes.getInputStream().readAllBytes());
      assertThat(routes.waitFor()).as(podRoutes).isZero();
      assertThat(podRoutes).contains("10.244.0.0/24").doesNotContain("default");

      // kube-proxy: a ClusterIP Service answers from this machine and from inside a pod's network
      // namespace (the pod's own Service: the bridge's hairpin brings it back)
      String serviceIp =
          k.services()
              .inNamespace(NS)
              .resource(
                  new ServiceBuilder()
                      .withNewMetadata()
                      .withName("hello")
                      .endMetadata()
                      .withNewSpec()
                      .addToSelector("app", "hello")
                      .addNewPort()
                      .withPort(80)
                      .withTargetPort(new IntOrString(8080))
                      .endPort()
                      .endSpec()
                      .build())
              .create()
              .getSpec()
              .getClusterIP();
      assertThat(serviceIp).startsWith("10.96.0.");
      assertThat(answerOf(List.of("curl", "-sS", "--max-time", "3", "http://" + serviceIp + "/")))
          .as("the Service's IP from this machine")
          .isEqualTo("hello from a pod on the wingu node\n");
      assertThat(
              answerOf(
                  List.of(
                      "ip",
                      "netns",
                      "exec",
                      podNetns.get(0),
                      "curl",
                      "-sS",
                      "--max-time",
                      "3",
                      "http://" + serviceIp + "/")))
          .as("the Service's IP from the pod's network namespace")
          .isEqualTo("hello from a pod on the wingu node\n");

      // Pod Security restricted refuses a pod running as root
      assertThatThrownBy(
              () ->
                  k.pods()
                      .inNamespace(NS)
                      .resource(
                          new PodBuilder()
                              .withNewMetadata()
                              .withName("root")
                              .endMetadata()
                              .withNewSpec()
                              .addNewContainer()
                              .withName("c")
                              .withImage(IMAGE)
                              .withImagePullPolicy("Never")
                              .endContainer()
                              .endSpec()
                              .build())
                      .create())
          .isInstanceOf(KubernetesClientException.class)
          .hasMessageContaining("violates PodSecurity \"restricted");

      // the API server reaches the kubelet (TLS both ways): container logs and the node's own stats
      assertThat(k.pods().inNamespace(NS).withName(pod.getMetadata().getName()).getLog())
          .contains("hello server listening on :8080");
      assertThat(k.raw("/api/v1/nodes/" + LocalCluster.NODE_NAME + "/proxy/stats/summary"))
          .contains(pod.getMetadata().getName());

      ResourceQuota quota =
          k.resourceQuotas()
              .inNamespace(NS)
              .withName("site")
              .waitUntilCondition(
                  q ->
                      q.getStatus() != null
                          && q.getStatus().getUsed() != null
                          && new Quantity("1").equals(q.getStatus().getUsed().get("pods")),
                  60,
                  TimeUnit.SECONDS);
      assertThat(quota.getStatus().getUsed().get("requests.memory"))
          .isEqualTo(new Quantity("32Mi"));
      // and the API server refuses a pod over the quota
      Pod tooBig =
          new PodBuilder()
              .withNewMetadata()
              .withName("too-big")
              .endMetadata()
              .withSpec(helloDeployment().getSpec().getTemplate().getSpec())
              .build();
      tooBig
          .getSpec()
          .getContainers()
          .get(0)
          .getResources()
          .setRequests(Map.of("cpu", new Quantity("50m"), "memory", new Quantity("512Mi")));
      tooBig
          .getSpec()
          .getContainers()
          .get(0)
          .getResources()
          .setLimits(Map.of("memory", new Quantity("512Mi")));
      assertThatThrownBy(() -> k.pods().inNamespace(NS).resource(tooBig).create())
          .isInstanceOf(KubernetesClientException.class)
          .hasMessageContaining("exceeded quota");

      k.namespaces().withName(NS).delete();
      k.namespaces().withName(NS).waitUntilCondition(ns -> ns == null, 120, TimeUnit.SECONDS);
      assertThat(k.namespaces().withName(NS).get()).isNull();
    }
    // under the machine's cluster lock: another process's cluster may start the moment this one
    // stops
    HostState after = LocalCluster.idleHostState();
    assertThat(after.differencesFrom(before)).isEmpty();
    assertThat(after).isEqualTo(before);
  }

  /**
   * What {@code command} prints once it succeeds, tried for up to 30 s: kube-proxy writes a new
   * Service's rules within a sync period.
   */
  private static String answerOf(List<String> command) throws Exception {
    Instant end = Instant.now().plusSeconds(30);
    String last;
    while (true) {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      last = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (p.waitFor() == 0) {
        return last;
      }
      if (Instant.now().isAfter(end)) {
        throw new AssertionError(String.join(" ", command) + " kept failing: " + last);
      }
      Thread.sleep(500);
    }
  }

  /**
   * Ctrl-C (SIGTERM) of a JVM running the cluster with a pod on it restores the machine through the
   * shutdown hook; after a JVM is killed outright (SIGKILL), the next start cleans up after it.
   */
  @Test
  void aStoppedOrKilledClusterLeavesTheMachineAsItWas() throws Exception {
    Path work = Files.createTempDirectory("wingu-cluster-stop-it");
    Path image =
        ImageArchive.write(work.resolve("hello.tar"), IMAGE, helloServer(work), "10001:10001");
    HostState before = LocalCluster.idleHostState();

    Process terminated = clusterJvmWithAPod(work, image, "terminated");
    terminated.destroy();
    assertThat(terminated.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(LocalCluster.idleHostState().differencesFrom(before)).as("after SIGTERM").isEmpty();

    Process killed = clusterJvmWithAPod(work, image, "killed");
    killed.destroyForcibly();
    assertThat(killed.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(HostState.capture().links())
        .as("a killed JVM restores nothing")
        .contains(LocalCluster.BRIDGE);
    try (LocalCluster next = LocalCluster.start()) {
      assertThat(next.client().nodes().withName(LocalCluster.NODE_NAME).get()).isNotNull();
      assertThat(next.client().pods().inAnyNamespace().list().getItems())
          .as("a fresh cluster")
          .isEmpty();
    }
    assertThat(LocalCluster.idleHostState().differencesFrom(before))
        .as("after SIGKILL and the next run")
        .isEmpty();
  }

  /** A JVM running LocalCluster.main, with the hello Deployment Ready on its node. */
  private static Process clusterJvmWithAPod(Path work, Path image, String name) throws Exception {
    Path log = work.resolve(name + ".log");
    Process jvm =
        new ProcessBuilder(
                List.of(
                    ProcessHandle.current().info().command().orElseThrow(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    LocalCluster.class.getName()))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    Instant deadline = Instant.now().plusSeconds(180);
    Path kubeconfig = null;
    while (kubeconfig == null) {
      assertThat(jvm.isAlive())
          .as("cluster JVM: %s", Files.exists(log) ? Files.readString(log) : "")
          .isTrue();
      assertThat(Instant.now()).as("cluster JVM ready in time").isBefore(deadline);
      kubeconfig =
          Files.readAllLines(log).stream()
              .filter(l -> l.contains("admin kubeconfig: "))
              .map(l -> Path.of(l.substring(l.indexOf("admin kubeconfig: ") + 18).strip()))
              .findFirst()
              .orElse(null);
      Thread.sleep(200);
    }
    try (KubernetesClient k =
        new io.fabric8.kubernetes.client.KubernetesClientBuilder()
            .withConfig(
                io.fabric8.kubernetes.client.Config.fromKubeconfig(Files.readString(kubeconfig)))
            .build()) {
      Process imported =
          new ProcessBuilder(
                  List.of(
                      "/usr/bin/ctr",
                      "--address",
                      kubeconfig.getParent().resolve("containerd/containerd.sock").toString(),
                      "-n",
                      "k8s.io",
                      "images",
                      "import",
                      image.toString()))
              .redirectErrorStream(true)
              .start();
      assertThat(imported.waitFor())
          .as(new String(imported.getInputStream().readAllBytes()))
          .isZero();
      k.namespaces()
          .resource(
              new NamespaceBuilder()
                  .withNewMetadata()
                  .withName(NS)
                  .addToLabels("pod-security.kubernetes.io/enforce", "restricted")
                  .endMetadata()
                  .build())
          .create();
      k.apps().deployments().inNamespace(NS).resource(helloDeployment()).create();
      awaitReadyPod(k);
    }
    return jvm;
  }

  private static Pod awaitReadyPod(KubernetesClient k) {
    k.pods()
        .inNamespace(NS)
        .withLabel("app", "hello")
        .waitUntilCondition(
            p ->
                p != null
                    && p.getStatus() != null
                    && p.getStatus().getConditions() != null
                    && p.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())),
            120,
            TimeUnit.SECONDS);
    return k.pods().inNamespace(NS).withLabel("app", "hello").list().getItems().get(0);
  }

  private static Deployment helloDeployment() {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("hello")
        .endMetadata()
        .withNewSpec()
        .withReplicas(1)
        .withNewSelector()
        .addToMatchLabels("app", "hello")
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", "hello")
        .endMetadata()
        .withNewSpec()
        .withAutomountServiceAccountToken(false)
        .withTerminationGracePeriodSeconds(2L)
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withRunAsUser(10001L)
        .withRunAsGroup(10001L)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .addNewContainer()
        .withName("hello")
        .withImage(IMAGE)
        .withImagePullPolicy("Never")
        .addNewPort()
        .withContainerPort(8080)
        .endPort()
        .withNewSecurityContext()
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .endSecurityContext()
        .withNewResources()
        .withRequests(Map.of("cpu", new Quantity("50m"), "memory", new Quantity("32Mi")))
        .withLimits(Map.of("memory", new Quantity("32Mi")))
        .endResources()
        .withNewReadinessProbe()
        .withNewHttpGet()
        .withPath("/")
        .withNewPort(8080)
        .endHttpGet()
        .withPeriodSeconds(1)
        .endReadinessProbe()
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /** A tiny static web server, compiled here with Go (standard library only, nothing fetched). */
  private static Path helloServer(Path work) throws Exception {
    Path src = Files.createDirectories(work.resolve("hello-src"));
    Files.writeString(src.resolve("go.mod"), "module wingu.local/hello\n\ngo 1.22\n");
    Files.writeString(
        src.resolve("main.go"),
        """
        package main

        import (
        \t"fmt"
        \t"net/http"
        )

        func main() {
        \tfmt.Println("hello server listening on :8080")
        \thttp.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
        \t\tfmt.Fprintln(w, "hello from a pod on the wingu node")
        \t})
        \tpanic(http.ListenAndServe(":8080", nil))
        }
        """);
    Path binary = work.resolve("hello");
    ProcessBuilder pb =
        new ProcessBuilder(
                List.of(
                    "go", "build", "-trimpath", "-ldflags", "-s -w", "-o", binary.toString(), "."))
            .directory(src.toFile())
            .redirectErrorStream(true);
    pb.environment()
        .putAll(
            Map.of(
                "CGO_ENABLED",
                "0",
                "GOTOOLCHAIN",
                "local",
                "GOPROXY",
                "off",
                "GOFLAGS",
                "-mod=mod"));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as("go build: %s", out).isZero();
    return binary;
  }
}
