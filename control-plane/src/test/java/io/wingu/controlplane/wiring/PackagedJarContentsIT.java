package io.wingu.controlplane.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packaged control plane (target/wingu-control-plane.jar and its lib/ folder, what {@code java
 * -jar} runs) carries no test or dev tooling: neither the jar's manifest class path nor lib/ names
 * a test-only artifact of this build (see {@link ProductClassPath}), and no jar holds a class of
 * the dev module.
 */
class PackagedJarContentsIT {

  private static final Path JAR = Path.of("target", "wingu-control-plane.jar");

  @Test
  void theJarAndItsLibFolderHoldNoTestOrDevTooling() throws Exception {
    List<String> classPath;
    try (JarFile jar = new JarFile(JAR.toFile())) {
      String entries = jar.getManifest().getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
      classPath =
          Arrays.stream(entries.trim().split("\\s+"))
              .map(e -> e.substring(e.lastIndexOf('/') + 1))
              .toList();
      assertThat(jar.stream().map(e -> e.getName()))
          .as("classes of the dev module")
          .noneMatch(name -> name.startsWith("io/wingu/dev/"));
    }
    List<String> lib;
    try (Stream<Path> files = Files.list(JAR.resolveSibling("lib"))) {
      lib = files.map(p -> p.getFileName().toString()).sorted().toList();
    }
    // the listings mean something: the product's own libraries are in them
    assertThat(classPath).anyMatch(n -> n.startsWith("vertx-core-"));
    assertThat(lib).containsAll(classPath);

    assertThat(ProductClassPath.forbidden(classPath)).as("on the jar's class path").isEmpty();
    assertThat(ProductClassPath.forbidden(lib)).as("in " + JAR.resolveSibling("lib")).isEmpty();
    for (String name : lib) {
      try (JarFile library = new JarFile(JAR.resolveSibling("lib").resolve(name).toFile())) {
        assertThat(library.stream().map(e -> e.getName()))
            .as("classes of the dev module in " + name)
            .noneMatch(entry -> entry.startsWith("io/wingu/dev/"));
      }
    }
    ProductClassPath.assertDevToolingIsTestOnly();
  }
}
