package io.wingu.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AgentConfigTest {

  private static Map<String, String> env(String... keyValues) {
    Map<String, String> env =
        new HashMap<>(
            Map.of("WINGU_AGENT_URL", "http://wingu:8080/", "WINGU_AGENT_TOKEN", "secret"));
    for (int i = 0; i < keyValues.length; i += 2) {
      env.put(keyValues[i], keyValues[i + 1]);
    }
    return env;
  }

  @Test
  void defaults() {
    AgentConfig config = AgentConfig.fromEnv(env("WINGU_AGENT_NODE_NAME", "node-1"));

    assertThat(config.reportUrl()).isEqualTo(URI.create("http://wingu:8080/api/v1/agent/reports"));
    assertThat(config.token()).contains("secret");
    assertThat(config.tokenFile()).isEmpty();
    assertThat(config.nodeName()).isEqualTo("node-1");
    assertThat(config.interval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(config.procRoot()).isEqualTo(Path.of("/proc"));
    assertThat(config.cgroupRoot()).isEqualTo(Path.of("/sys/fs/cgroup"));
    assertThat(config.fsPath()).isEqualTo(Path.of("/"));
    assertThat(config.bufferDir()).isEqualTo(Path.of("/var/lib/wingu-agent"));
    assertThat(config.bufferMaxReports()).isEqualTo(5760);
    assertThat(config.kubeApi()).isEmpty();
    assertThat(config.kubeTokenFile())
        .isEqualTo(Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token"));
  }

  @Test
  void inClusterApiServerAndTokenFileAndFractionalInterval() {
    Map<String, String> env =
        env(
            "KUBERNETES_SERVICE_HOST",
            "10.96.0.1",
            "KUBERNETES_SERVICE_PORT",
            "443",
            "WINGU_AGENT_INTERVAL",
            "1.5",
            "WINGU_AGENT_BUFFER_MAX_REPORTS",
            "10",
            "WINGU_AGENT_TOKEN_FILE",
            "/var/run/secrets/wingu/token");
    env.remove("WINGU_AGENT_TOKEN");

    AgentConfig config = AgentConfig.fromEnv(env);

    assertThat(config.kubeApi()).isEqualTo(Optional.of(URI.create("https://10.96.0.1:443")));
    assertThat(config.interval()).isEqualTo(Duration.ofMillis(1500));
    assertThat(config.bufferMaxReports()).isEqualTo(10);
    assertThat(config.tokenFile()).contains(Path.of("/var/run/secrets/wingu/token"));
    assertThat(config.nodeName()).isNotBlank(); // the host name
  }

  @Test
  void badValuesNameTheVariable() {
    assertBad(env("WINGU_AGENT_INTERVAL", "soon"), "WINGU_AGENT_INTERVAL");
    assertBad(env("WINGU_AGENT_INTERVAL", "0.5"), "WINGU_AGENT_INTERVAL");
    assertBad(env("WINGU_AGENT_URL", "wingu:8080"), "WINGU_AGENT_URL");
    assertBad(env("WINGU_AGENT_URL", "ftp://wingu"), "WINGU_AGENT_URL");
    assertBad(env("WINGU_AGENT_BUFFER_MAX_REPORTS", "0"), "WINGU_AGENT_BUFFER_MAX_REPORTS");
    assertBad(env("WINGU_AGENT_BUFFER_MAX_BYTES", "64MB"), "WINGU_AGENT_BUFFER_MAX_BYTES");
    assertBad(env("WINGU_AGENT_KUBE_API", "not a url"), "WINGU_AGENT_KUBE_API");
    assertBad(env("WINGU_AGENT_TOKEN_FILE", "/t"), "WINGU_AGENT_TOKEN_FILE");
    Map<String, String> noUrl = env();
    noUrl.remove("WINGU_AGENT_URL");
    assertBad(noUrl, "WINGU_AGENT_URL");
    Map<String, String> noToken = env();
    noToken.remove("WINGU_AGENT_TOKEN");
    assertBad(noToken, "WINGU_AGENT_TOKEN");
  }

  private static void assertBad(Map<String, String> env, String variable) {
    assertThatThrownBy(() -> AgentConfig.fromEnv(env))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(variable + ": ");
  }
}
