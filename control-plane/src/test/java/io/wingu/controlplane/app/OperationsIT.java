package io.wingu.controlplane.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.testing.FreePort;
import io.wingu.controlplane.testing.Http;
import io.wingu.controlplane.testing.TcpProxy;
import io.wingu.controlplane.testing.TestCluster;
import io.wingu.controlplane.wiring.ControlPlane;
import io.wingu.dev.LocalPostgres;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Health, readiness, metrics and the OpenAPI document of a control plane on real PostgreSQL and a
 * real API server. The database here is its own, so it can be stopped and started again on the same
 * port and data folder; the API server is reached through a proxy the test cuts.
 */
class OperationsIT {

  private static LocalPostgres postgres;
  private static TcpProxy kubeProxy;
  private static ControlPlane controlPlane;

  @BeforeAll
  static void start() throws Exception {
    Path dir = io.wingu.controlplane.testing.TempDirs.create("wingu-ops");
    postgres = LocalPostgres.start(dir.resolve("pg"), FreePort.find(), "ops-secret-password");
    postgres.ensureDatabase("wingu", LocalPostgres.SUPERUSER);
    kubeProxy = new TcpProxy(apiServerPort(TestCluster.kubeconfigYaml()));
    Path kubeconfig =
        Files.writeString(
            dir.resolve("kubeconfig"),
            TestCluster.kubeconfigYaml()
                .replaceFirst(
                    "server: https://127\\.0\\.0\\.1:\\d+",
                    "server: https://127.0.0.1:" + kubeProxy.port()));
    Map<String, String> env =
        new java.util.HashMap<>(io.wingu.controlplane.testing.TestControlPlane.env("ops"));
    env.putAll(
        Map.of(
            "WINGU_DB_URL", postgres.jdbcUrl("wingu"),
            "WINGU_DB_USER", LocalPostgres.SUPERUSER,
            "WINGU_DB_PASSWORD", postgres.superuserPassword(),
            "WINGU_KUBECONFIG", kubeconfig.toString()));
    env.remove("WINGU_DB_MIGRATION_USER");
    env.remove("WINGU_DB_MIGRATION_PASSWORD");
    controlPlane = ControlPlane.start(WinguConfig.from(env));
  }

  @AfterAll
  static void stop() throws Exception {
    if (controlPlane != null) {
      controlPlane.close();
    }
    if (kubeProxy != null) {
      kubeProxy.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  static int apiServerPort(String kubeconfigYaml) {
    Matcher m = Pattern.compile("server: https://127\\.0\\.0\\.1:(\\d+)").matcher(kubeconfigYaml);
    assertThat(m.find()).isTrue();
    return Integer.parseInt(m.group(1));
  }

  @Test
  void healthzAnswersWhileTheProcessLives() {
    var r = Http.get(controlPlane.url(), "/healthz");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(r.body()).getString("status")).isEqualTo("alive");
  }

  @Test
  void readyzFollowsTheDatabaseAndTheKubernetesApiWithoutARestart() throws Exception {
    assertReady(200, "up", "up");

    postgres.stop();
    assertReady(503, "down", "up");
    postgres.start();
    assertReady(200, "up", "up");

    kubeProxy.cut();
    assertReady(503, "up", "down");
    kubeProxy.restore();
    assertReady(200, "up", "up");
  }

  private static void assertReady(int status, String database, String kubernetes) {
    HttpResponse<String> r = Http.get(controlPlane.url(), "/readyz");
    JsonObject body = new JsonObject(r.body());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(body.getJsonObject("checks").getJsonObject("database").getString("status"))
        .as(r.body())
        .isEqualTo(database);
    assertThat(body.getJsonObject("checks").getJsonObject("kubernetes").getString("status"))
        .as(r.body())
        .isEqualTo(kubernetes);
    if (status == 503) {
      String failed = "down".equals(database) ? "database" : "kubernetes";
      assertThat(body.getJsonObject("checks").getJsonObject(failed).getString("error"))
          .isNotBlank();
    }
  }

  @Test
  void metricsCoverTheJvmTheHttpServerAndTheConnectionPool() {
    Http.get(controlPlane.url(), "/healthz");
    var r = Http.get(controlPlane.url(), "/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    assertThat(r.body())
        .contains("jvm_memory_used_bytes")
        .contains("hikaricp_connections")
        .contains("vertx_http_server_requests_total");
  }

  @Test
  void theOpenApiDocumentIsServed() {
    var r = Http.get(controlPlane.url(), "/api/v1/openapi.yaml");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).startsWith("openapi: 3.").contains("/readyz:");
  }

  @Test
  void anUnknownPathIsAProblemDocument() {
    var r = Http.get(controlPlane.url(), "/api/v1/nothing-here");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/problem+json");
    assertThat(new JsonObject(r.body()).getInteger("status")).isEqualTo(404);
  }
}
