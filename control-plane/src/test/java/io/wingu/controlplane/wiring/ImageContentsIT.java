package io.wingu.controlplane.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wingu.controlplane.testing.TempDirs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The control plane's image as Jib built it (target/jib-image.tar, {@code -Pimages}): the class
 * path its entry point runs with ({@code /app/jib-classpath-file}) and every jar in its layers hold
 * no test-only artifact of this build and no dev tooling (see {@link ProductClassPath}), and no
 * class of the dev module is in it.
 */
class ImageContentsIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theImageClassPathHoldsNoTestOrDevTooling() throws Exception {
    Path image = Path.of(System.getProperty("wingu.image.control-plane"));
    Path oci = TempDirs.create("wingu-image-contents");
    try {
      check(image, oci);
    } finally {
      TempDirs.delete(oci);
    }
  }

  private static void check(Path image, Path oci) throws Exception {
    tar("-xf", image.toString(), "-C", oci.toString());
    JsonNode index = JSON.readTree(oci.resolve("index.json").toFile());
    JsonNode manifest = JSON.readTree(blob(oci, index.path("manifests").get(0)).toFile());
    JsonNode config = JSON.readTree(blob(oci, manifest.path("config")).toFile());
    assertThat(config.path("config").path("Entrypoint").toString())
        .contains("@/app/jib-classpath-file");

    List<String> files = new ArrayList<>();
    String classPath = "";
    for (JsonNode layer : manifest.path("layers")) {
      Path tgz = blob(oci, layer);
      List<String> entries = tar("-tzf", tgz.toString()).lines().toList();
      files.addAll(entries);
      if (entries.contains("app/jib-classpath-file")) {
        classPath = tar("-xzOf", tgz.toString(), "app/jib-classpath-file");
      }
    }
    List<String> onClassPath =
        List.of(classPath.trim().split(":")).stream()
            .filter(e -> e.endsWith(".jar"))
            .map(e -> e.substring(e.lastIndexOf('/') + 1))
            .toList();
    List<String> jars =
        files.stream()
            .filter(f -> f.startsWith("app/") && f.endsWith(".jar"))
            .map(f -> f.substring(f.lastIndexOf('/') + 1))
            .toList();
    // the listings mean something: the product's own libraries are in them
    assertThat(onClassPath).anyMatch(n -> n.startsWith("vertx-core-"));
    assertThat(jars).containsAll(onClassPath);

    assertThat(ProductClassPath.forbidden(onClassPath)).as("on the image's class path").isEmpty();
    assertThat(ProductClassPath.forbidden(jars)).as("jars in the image").isEmpty();
    assertThat(files).as("classes of the dev module").noneMatch(f -> f.contains("io/wingu/dev/"));
    ProductClassPath.assertDevToolingIsTestOnly();
  }

  /**
   * A Helm install backs up with the image's own pg_dump and pg_restore: PostgreSQL 18 (at least
   * the tenant server's major version), named by WINGU_PG_BIN, and runnable on the image's files
   * alone (its loader and glibc, the libraries laid beside the binaries), every library it loads
   * from the image.
   */
  @Test
  void theImageCarriesPgDumpOfTheTenantServersMajorVersion() throws Exception {
    Path image = Path.of(System.getProperty("wingu.image.control-plane"));
    Path oci = TempDirs.create("wingu-image-pg");
    try {
      tar("-xf", image.toString(), "-C", oci.toString());
      JsonNode index = JSON.readTree(oci.resolve("index.json").toFile());
      JsonNode manifest = JSON.readTree(blob(oci, index.path("manifests").get(0)).toFile());
      JsonNode config = JSON.readTree(blob(oci, manifest.path("config")).toFile());
      String bin = "/opt/pg-client/pgserver/pginstall/bin";
      assertThat(config.path("config").path("Env").toString()).contains("WINGU_PG_BIN=" + bin);
      Path root = Files.createDirectories(oci.resolve("rootfs"));
      for (JsonNode layer : manifest.path("layers")) {
        tar("-xzf", blob(oci, layer).toString(), "-C", root.toString());
      }
      for (String tool : List.of("pg_dump", "pg_restore")) {
        Path binary = root.resolve(bin.substring(1)).resolve(tool);
        assertThat(Files.isExecutable(binary)).as(tool + " is executable").isTrue();
        ProcessBuilder run =
            new ProcessBuilder(
                root.resolve("lib64/ld-linux-x86-64.so.2").toString(),
                "--inhibit-cache",
                "--library-path",
                root.resolve("lib/x86_64-linux-gnu")
                    + ":"
                    + root.resolve("usr/lib/x86_64-linux-gnu"),
                binary.toString(),
                "--version");
        run.environment().clear();
        run.environment().put("LD_DEBUG", "libs");
        Process p = run.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String loaded = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(tool + " runs: " + loaded).isZero();
        assertThat(out).startsWith(tool + " (PostgreSQL) 18.");
        List<String> libraries =
            loaded
                .lines()
                .filter(l -> l.contains("calling init: "))
                .map(l -> l.substring(l.indexOf("calling init: ") + 14).trim())
                .toList();
        assertThat(libraries).as("libraries " + tool + " loads").isNotEmpty();
        assertThat(libraries)
            .as("every library " + tool + " loads is the image's")
            .allMatch(l -> l.startsWith(root.toString()));
      }
    } finally {
      TempDirs.delete(oci);
    }
  }

  private static Path blob(Path oci, JsonNode descriptor) {
    return oci.resolve("blobs/sha256").resolve(descriptor.path("digest").asText().substring(7));
  }

  private static String tar(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("tar"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(String.join(" ", command)).isZero();
    return out;
  }
}
