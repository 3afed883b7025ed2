package io.wingu.controlplane.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.wingu.templates.testing.LintTools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The served OpenAPI document passes Redocly CLI's recommended rules (redocly.yaml names the rules
 * turned off and why): an error fails the build.
 */
class OpenApiLintIT {

  static final Path DOCUMENT = Path.of("src", "main", "resources", "openapi", "wingu.yaml");
  static final Path CONFIG = Path.of("redocly.yaml");

  record Lint(int exit, String output) {}

  static Lint lint(Path document) throws Exception {
    Path log = Files.createTempFile("wingu-redocly-", ".log");
    ProcessBuilder pb =
        new ProcessBuilder(
                LintTools.redocly().toString(),
                "lint",
                document.toString(),
                "--config",
                CONFIG.toString(),
                "--format=stylish")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    // no telemetry or update check: the build reaches no service
    pb.environment().put("REDOCLY_TELEMETRY", "off");
    pb.environment().put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
    Process p = pb.start();
    assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("redocly lint ended").isTrue();
    String output = Files.readString(log, StandardCharsets.UTF_8);
    Files.deleteIfExists(log);
    return new Lint(p.exitValue(), output);
  }

  @Test
  void theDocumentHasNoLintError() throws Exception {
    Lint lint = lint(DOCUMENT);
    assertThat(lint.exit()).as(lint.output()).isZero();
    assertThat(lint.output()).contains("valid");
  }

  @Test
  void anUnquotedCommaInAFlowDescriptionIsAnError() throws Exception {
    String broken =
        Files.readString(DOCUMENT)
            .replace(
                "description: \"parameters that validate, used for previews\"",
                "description: parameters that validate, used for previews");
    assertThat(broken).isNotEqualTo(Files.readString(DOCUMENT));
    Path copy = Files.createTempFile(Path.of("target"), "wingu-broken-", ".yaml");
    try {
      Files.writeString(copy, broken);
      Lint lint = lint(copy);
      assertThat(lint.exit()).isNotZero();
      assertThat(lint.output()).contains("used for previews");
    } finally {
      Files.deleteIfExists(copy);
    }
  }

  @Test
  void descriptionsWithCommasStayWholeAndServersAreNamed() throws Exception {
    JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(DOCUMENT.toFile());
    JsonNode schemas = doc.path("components").path("schemas");
    JsonNode example = schemas.path("Template").path("properties").path("example");
    assertThat(example.properties())
        .extracting(Map.Entry::getKey)
        .containsOnly("type", "description");
    assertThat(example.path("description").asText())
        .isEqualTo("parameters that validate, used for previews");
    assertThat(
            schemas
                .path("IctSystemInput")
                .path("properties")
                .path("builtBy")
                .path("description")
                .asText())
        .isEqualTo("who built it (a supplier, or the institution itself)");
    assertThat(doc.path("servers").isArray() && !doc.path("servers").isEmpty()).isTrue();
  }
}
