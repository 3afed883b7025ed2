package io.wingu.controlplane.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wingu.controlplane.wiring.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WinguConfigTest {

  @Test
  void defaultsApplyWhenNothingIsSet() {
    WinguConfig c = WinguConfig.from(Map.of());
    assertThat(c.httpPort()).isEqualTo(8080);
    assertThat(c.httpHost()).isEqualTo("0.0.0.0");
    assertThat(c.dbUrl()).isEmpty();
    assertThat(c.dbPoolSize()).isEqualTo(10);
    assertThat(c.logFormat()).isEqualTo("json");
  }

  @Test
  void valuesAreRead() {
    WinguConfig c =
        WinguConfig.from(
            Map.of(
                "WINGU_HTTP_PORT",
                "9000",
                "WINGU_DB_URL",
                "jdbc:postgresql://db:5432/wingu",
                "WINGU_DB_POOL_SIZE",
                "20",
                "WINGU_LOG_FORMAT",
                "text"));
    assertThat(c.httpPort()).isEqualTo(9000);
    assertThat(c.dbUrl()).contains("jdbc:postgresql://db:5432/wingu");
    assertThat(c.dbPoolSize()).isEqualTo(20);
    assertThat(c.logFormat()).isEqualTo("text");
  }

  @Test
  void aBadValueNamesItsVariable() {
    assertThatThrownBy(() -> WinguConfig.from(Map.of("WINGU_HTTP_PORT", "eighty")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("WINGU_HTTP_PORT='eighty' is not a whole number from 1 to 65535");
    assertThatThrownBy(() -> WinguConfig.from(Map.of("WINGU_HTTP_PORT", "70000")))
        .hasMessageStartingWith("WINGU_HTTP_PORT=");
    assertThatThrownBy(() -> WinguConfig.from(Map.of("WINGU_DB_URL", "postgres://x/y")))
        .hasMessageStartingWith("WINGU_DB_URL must start with jdbc:postgresql://");
    assertThatThrownBy(() -> WinguConfig.from(Map.of("WINGU_KUBECONFIG", "/no/such/file")))
        .hasMessage("WINGU_KUBECONFIG='/no/such/file' is not a readable file");
    assertThatThrownBy(() -> WinguConfig.from(Map.of("WINGU_LOG_FORMAT", "xml")))
        .hasMessage("WINGU_LOG_FORMAT='xml' is not allowed: use one of json, text");
  }

  @Test
  void aShortBootstrapPasswordIsRefusedWithoutEchoingIt() {
    assertThatThrownBy(() -> WinguConfig.from(Map.of("WINGU_BOOTSTRAP_PASSWORD", "short")))
        .hasMessage("WINGU_BOOTSTRAP_PASSWORD must be at least 12 characters (got '***')");
  }

  @Test
  void mainPrintsOneLineAndExitsNonZeroOnABadValue() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Main.run(
            "serve",
            Map.of("WINGU_DB_POOL_SIZE", "0"),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "wingu: WINGU_DB_POOL_SIZE='0' is not a whole number from 1 to 200"
                + System.lineSeparator());
  }

  @Test
  void bundleFetchSettingsHaveTheChartsDefaultsAndTheUrlIsChecked() {
    WinguConfig.Provisioning p = WinguConfig.from(Map.of()).provisioning();
    assertThat(p.fetchImage()).isEqualTo("wingu-control-plane:0.1.0");
    assertThat(p.internalUrl()).isEqualTo("http://wingu.wingu-system.svc:8080");
    assertThat(p.controlPlaneNamespace()).isEqualTo("wingu-system");
    assertThat(p.controlPlanePort()).isEqualTo(8080);
    WinguConfig.Provisioning set =
        WinguConfig.from(
                Map.of(
                    "WINGU_HTTP_PORT",
                    "9000",
                    "WINGU_INTERNAL_URL",
                    "https://wingu.example.go.tz",
                    "WINGU_FETCH_IMAGE",
                    "registry.go.tz/wingu/control-plane:1.0.0",
                    "WINGU_CONTROL_PLANE_NAMESPACE",
                    "platform"))
            .provisioning();
    assertThat(set.controlPlanePort()).isEqualTo(9000);
    assertThat(set.internalUrl()).isEqualTo("https://wingu.example.go.tz");
    assertThat(set.fetchImage()).isEqualTo("registry.go.tz/wingu/control-plane:1.0.0");
    assertThat(set.controlPlaneNamespace()).isEqualTo("platform");
    assertThatThrownBy(() -> WinguConfig.from(Map.of("WINGU_INTERNAL_URL", "wingu.svc/api")))
        .hasMessageStartingWith("WINGU_INTERNAL_URL must be http(s)://host[:port] without a path");
  }

  @Test
  void everyVariableIsDocumentedInTheReadme() throws Exception {
    String readme = java.nio.file.Files.readString(Path.of("..", "README.md"));
    assertThat(WinguConfig.VARIABLES.keySet())
        .allSatisfy(name -> assertThat(readme).contains("`" + name + "`"));
  }
}
