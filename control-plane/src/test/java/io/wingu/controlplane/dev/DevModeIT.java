package io.wingu.controlplane.dev;

import static org.assertj.core.api.Assertions.assertThat;

import io.wingu.controlplane.testing.FreePort;
import io.wingu.controlplane.testing.Http;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's run command as a newcomer uses it: the packaged control plane in dev mode starts
 * real PostgreSQL and a real API server, reports ready, and Ctrl-C leaves nothing running.
 */
class DevModeIT {

  @Test
  void devModeStartsRealPartsAndStopsThemAllOnInterrupt() throws Exception {
    Path work = io.wingu.controlplane.testing.TempDirs.create("wingu-devmode");
    Path devDir = work.resolve(".wingu/dev");
    Path log = work.resolve("dev.log");
    int httpPort = FreePort.find();
    ProcessBuilder pb = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", Path.of("target", "wingu-control-plane.jar").toAbsolutePath().toString(), "dev"))
        .directory(work.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("WINGU_") || k.equals("KUBECONFIG"));
    pb.environment().putAll(Map.of(
        "WINGU_HTTP_PORT", String.valueOf(httpPort),
        "WINGU_DEV_DB_PORT", String.valueOf(FreePort.find()),
        "WINGU_LOG_FORMAT", "text"));
    Process dev = pb.start();
    try {
      Path envFile = devDir.resolve("dev.env");
      waitFor(() -> Files.exists(envFile) || !dev.isAlive(), Duration.ofSeconds(120));
      assertThat(dev.isAlive()).as(read(log)).isTrue();

      Properties env = new Properties();
      env.load(Files.newBufferedReader(envFile, StandardCharsets.UTF_8));
      assertThat(env.getProperty("WINGU_URL")).isEqualTo("http://localhost:" + httpPort);
      assertThat(env.getProperty("WINGU_USERNAME")).isEqualTo("operator");
      assertThat(env.getProperty("WINGU_PASSWORD")).hasSizeGreaterThanOrEqualTo(24);
      assertThat(read(log)).contains(env.getProperty("WINGU_PASSWORD")).contains(env.getProperty("KUBECONFIG"));

      assertThat(Http.get(URI.create(env.getProperty("WINGU_URL")), "/readyz").statusCode()).isEqualTo(200);

      var kubectl = new ProcessBuilder(LocalKubernetes.binaryFolder().resolve("kubectl").toString(),
          "--kubeconfig", env.getProperty("KUBECONFIG"), "get", "namespaces", "-o", "name")
          .redirectErrorStream(true).start();
      String namespaces = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(kubectl.waitFor()).as(namespaces).isZero();
      assertThat(namespaces).contains("namespace/default").contains("namespace/kube-system");

      List<ProcessHandle> children = dev.descendants().toList();
      assertThat(children).as("etcd and kube-apiserver run under dev mode").isNotEmpty();
      Path postmasterPid = devDir.resolve("postgres/postmaster.pid");
      assertThat(postmasterPid).exists();

      new ProcessBuilder("kill", "-INT", String.valueOf(dev.pid())).start().waitFor();
      assertThat(dev.waitFor(60, TimeUnit.SECONDS)).as(read(log)).isTrue();
      waitFor(() -> children.stream().noneMatch(ProcessHandle::isAlive), Duration.ofSeconds(20));
      assertThat(children).noneMatch(ProcessHandle::isAlive);
      assertThat(postmasterPid).as("PostgreSQL stopped").doesNotExist();
    } finally {
      dev.descendants().forEach(ProcessHandle::destroyForcibly);
      dev.destroyForcibly();
    }
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static void waitFor(java.util.function.BooleanSupplier condition, Duration timeout) throws InterruptedException {
    Instant end = Instant.now().plus(timeout);
    while (!condition.getAsBoolean() && Instant.now().isBefore(end)) {
      Thread.sleep(200);
    }
  }
}
