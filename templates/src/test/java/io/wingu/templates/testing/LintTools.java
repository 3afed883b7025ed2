package io.wingu.templates.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The checkers scripts/install-lint-tools.sh installs from npm (./wingu test runs it and names the
 * folder in WINGU_LINT_TOOLS): the W3C Nu HTML Checker's jar and Redocly CLI. Reusable by any
 * module. Fails (never skips) when they are missing, naming the script.
 */
public final class LintTools {

  /** The folder the script installs into when WINGU_LINT_TOOLS is not set: its pinned versions. */
  private static final String DEFAULT_FOLDER = ".cache/wingu/lint-tools-redocly-2.77.0-vnu-26.9.27";

  private static final ObjectMapper JSON = new ObjectMapper();

  private LintTools() {}

  public static Path folder() {
    String set = System.getenv("WINGU_LINT_TOOLS");
    Path folder =
        set != null && !set.isBlank()
            ? Path.of(set)
            : Path.of(System.getProperty("user.home")).resolve(DEFAULT_FOLDER);
    if (!Files.isRegularFile(vnuJar(folder)) || !Files.isExecutable(redocly(folder))) {
      throw new IllegalStateException(
          "the Nu HTML Checker or Redocly CLI is missing under "
              + folder
              + ": run scripts/install-lint-tools.sh, as ./wingu test does");
    }
    return folder;
  }

  private static Path vnuJar(Path folder) {
    return folder.resolve("node_modules/vnu-jar/build/dist/vnu.jar");
  }

  private static Path redocly(Path folder) {
    return folder.resolve("node_modules/.bin/redocly");
  }

  /** The Redocly CLI command. */
  public static Path redocly() {
    return redocly(folder());
  }

  /** One message of the Nu HTML Checker: its file, line, and text. */
  public record NuMessage(String file, long line, String type, String message, String extract) {
    @Override
    public String toString() {
      return file + ":" + line + " " + type + ": " + message + " [" + extract + "]";
    }
  }

  /**
   * The Nu HTML Checker's errors (warnings and notes left out) on HTML files, checked in one run of
   * its jar on this JVM's own java.
   */
  public static List<NuMessage> nuErrors(List<Path> htmlFiles) {
    if (htmlFiles.isEmpty()) {
      throw new IllegalArgumentException("no file to check");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xss8m");
    command.add("-jar");
    command.add(vnuJar(folder()).toString());
    command.add("--format");
    command.add("json");
    command.add("--stdout");
    command.add("--exit-zero-always");
    htmlFiles.forEach(f -> command.add(f.toString()));
    try {
      // its log to a file: a full pipe nobody reads would stall it
      Path log = Files.createTempFile("wingu-vnu-", ".log");
      Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      boolean ended = p.waitFor(5, TimeUnit.MINUTES);
      String stderr = Files.readString(log, StandardCharsets.UTF_8);
      Files.deleteIfExists(log);
      if (!ended || p.exitValue() != 0) {
        throw new IllegalStateException("the Nu HTML Checker failed: " + stderr);
      }
      JsonNode messages = JSON.readTree(out).path("messages");
      List<NuMessage> errors = new ArrayList<>();
      for (JsonNode m : messages) {
        String type = m.path("type").asText();
        if (type.equals("error") || type.equals("non-document-error")) {
          errors.add(
              new NuMessage(
                  m.path("url").asText(),
                  m.path("lastLine").asLong(),
                  type,
                  m.path("message").asText(),
                  m.path("extract").asText()));
        }
      }
      return errors;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
