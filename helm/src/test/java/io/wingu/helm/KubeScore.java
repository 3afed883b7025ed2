package io.wingu.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * kube-score, built from its Go module by scripts/kube-score.sh (idempotent: a warm run only prints
 * the binary's path), run over YAML files; its JSON output read into critical findings.
 */
final class KubeScore {

  /** kube-score's grade for a critical finding (scorecard.GradeCritical). */
  private static final int CRITICAL = 1;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One critical finding: the check's id, the object as "Kind/name", and what kube-score says. */
  record Finding(String check, String object, String summary) {
    @Override
    public String toString() {
      return check + " " + object + ": " + summary;
    }
  }

  private final Path binary;

  private KubeScore(Path binary) {
    this.binary = binary;
  }

  /** Builds kube-score on the first run (about half a minute with a warm Go module cache). */
  static KubeScore build() throws IOException, InterruptedException {
    Path script = RenderedChart.chart().getParent().getParent().resolve("scripts/kube-score.sh");
    Process process =
        new ProcessBuilder("bash", script.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out =
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (!process.waitFor(20, TimeUnit.MINUTES) || process.exitValue() != 0) {
      throw new IllegalStateException(script + " failed (exit " + process.exitValue() + ")");
    }
    String[] lines = out.split("\n");
    return new KubeScore(Path.of(lines[lines.length - 1]));
  }

  /** The critical findings over every object of these files. */
  List<Finding> critical(String kubernetesVersion, Path... files)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                binary.toString(),
                "score",
                "--output-format",
                "json",
                "--kubernetes-version",
                "v" + kubernetesVersion.substring(0, kubernetesVersion.lastIndexOf('.'))));
    for (Path file : files) {
      command.add(file.toString());
    }
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    byte[] out = process.getInputStream().readAllBytes();
    process.waitFor(5, TimeUnit.MINUTES);
    // exit 1 only says that something was critical; the JSON says what
    if (process.exitValue() > 1) {
      throw new IllegalStateException(
          "kube-score failed (exit "
              + process.exitValue()
              + "): "
              + new String(out, StandardCharsets.UTF_8));
    }
    List<Finding> findings = new ArrayList<>();
    for (JsonNode object : JSON.readTree(out)) {
      String name =
          object.path("type_meta").path("kind").asText()
              + "/"
              + object.path("object_meta").path("name").asText();
      for (JsonNode check : object.path("checks")) {
        if (check.path("skipped").asBoolean() || check.path("grade").asInt() != CRITICAL) {
          continue;
        }
        List<String> comments = new ArrayList<>();
        check
            .path("comments")
            .forEach(c -> comments.add(c.path("path").asText() + " " + c.path("summary").asText()));
        findings.add(
            new Finding(
                check.path("check").path("id").asText(), name, String.join("; ", comments)));
      }
    }
    return findings;
  }

  static Path write(Path file, String yaml) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, yaml);
  }
}
