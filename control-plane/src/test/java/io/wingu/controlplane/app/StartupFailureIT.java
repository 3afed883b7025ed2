package io.wingu.controlplane.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.wingu.controlplane.testing.FreePort;
import io.wingu.controlplane.testing.TestCluster;
import io.wingu.controlplane.wiring.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a person sees when start-up cannot succeed: one line, no stack trace, non-zero exit. */
class StartupFailureIT {

  private static Map<String, String> workingEnv() {
    return new HashMap<>(io.wingu.controlplane.testing.TestControlPlane.env("startup"));
  }

  private static String failStarting(Map<String, String> env, int expectedCode) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run("serve", env, new PrintStream(err, true, StandardCharsets.UTF_8));
    String out = err.toString(StandardCharsets.UTF_8);
    assertThat(code).as(out).isEqualTo(expectedCode);
    assertThat(out.lines().count()).as(out).isEqualTo(1);
    assertThat(out).doesNotContain("\tat ");
    return out;
  }

  @Test
  void anUnreachableDatabase() {
    Map<String, String> env = workingEnv();
    env.put("WINGU_DB_URL", "jdbc:postgresql://127.0.0.1:" + FreePort.find() + "/wingu");
    assertThat(failStarting(env, 1))
        .startsWith("wingu: cannot prepare the database at jdbc:postgresql://127.0.0.1:")
        .contains("WINGU_DB_URL");
  }

  @Test
  void aWrongDatabasePassword() {
    Map<String, String> env = workingEnv();
    env.put("WINGU_DB_MIGRATION_PASSWORD", "wrong-password");
    assertThat(failStarting(env, 1))
        .contains("password authentication failed")
        .contains("WINGU_DB_PASSWORD");
  }

  @Test
  void badScorecardWeights() {
    Map<String, String> env = workingEnv();
    env.put("WINGU_SCORECARD_WEIGHTS", "tls=30, speed=10");
    assertThat(failStarting(env, 2))
        .startsWith("wingu: WINGU_SCORECARD_WEIGHTS: 'speed=10' is not <criterion>=<weight>");
    env.put("WINGU_SCORECARD_WEIGHTS", "tls=101");
    assertThat(failStarting(env, 2))
        .startsWith("wingu: WINGU_SCORECARD_WEIGHTS:")
        .contains("0 to 100");
  }

  @Test
  void missingSigningKeys() {
    Map<String, String> env = workingEnv();
    env.remove("WINGU_JWT_PRIVATE_KEY");
    assertThat(failStarting(env, 1)).startsWith("wingu: WINGU_JWT_PRIVATE_KEY is not set");
  }

  @Test
  void missingAuditSigningKeyOrCheckpointFolder() {
    Map<String, String> env = workingEnv();
    env.remove("WINGU_AUDIT_SIGNING_KEY");
    assertThat(failStarting(env, 1)).startsWith("wingu: WINGU_AUDIT_SIGNING_KEY is not set");
    Map<String, String> noFolder = workingEnv();
    noFolder.remove("WINGU_AUDIT_CHECKPOINT_DIR");
    assertThat(failStarting(noFolder, 1))
        .startsWith("wingu: WINGU_AUDIT_CHECKPOINT_DIR is not set");
    Map<String, String> otherPublicKey = workingEnv();
    otherPublicKey.put("WINGU_AUDIT_PUBLIC_KEY", otherPublicKey.get("WINGU_JWT_PUBLIC_KEY"));
    assertThat(failStarting(otherPublicKey, 1))
        .contains("is not the public half of WINGU_AUDIT_SIGNING_KEY");
  }

  @Test
  void anUnreachableCluster() throws Exception {
    Map<String, String> env = workingEnv();
    var kubeconfig = Files.createTempFile("unreachable", ".yaml");
    Files.writeString(
        kubeconfig,
        TestCluster.kubeconfigYaml()
            .replaceFirst(
                "server: https://127\\.0\\.0\\.1:\\d+",
                "server: https://127.0.0.1:" + FreePort.find()));
    env.put("WINGU_KUBECONFIG", kubeconfig.toString());
    assertThat(failStarting(env, 1))
        .startsWith("wingu: cannot reach the Kubernetes API at https://127.0.0.1:")
        .contains("WINGU_KUBECONFIG");
  }

  @Test
  void aPortInUse() throws Exception {
    Map<String, String> env = workingEnv();
    try (ServerSocket taken = new ServerSocket(0)) {
      env.put("WINGU_HTTP_PORT", String.valueOf(taken.getLocalPort()));
      assertThat(failStarting(env, 1))
          .isEqualTo(
              "wingu: port "
                  + taken.getLocalPort()
                  + " on 0.0.0.0 is already in use: stop the other process or set WINGU_HTTP_PORT to a free port"
                  + System.lineSeparator());
    }
  }

  @Test
  void aMissingDatabaseUrl() {
    Map<String, String> env = workingEnv();
    env.remove("WINGU_DB_URL");
    assertThat(failStarting(env, 1)).startsWith("wingu: WINGU_DB_URL is not set");
  }
}
