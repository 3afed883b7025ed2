package io.wingu.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container images that {@code mvn -Pimages package} builds (Jib, OCI layout tars): each is
 * unpacked layer by layer into a root file system and its entry point started there, in fresh mount
 * and PID namespaces with the image's own /opt/java runtime, glibc, environment, working directory
 * and user, which is what a container runtime does minus cgroups and networking.
 */
class ImageIT {

  private static final Path UNSHARE = Path.of("/usr/bin/unshare");
  private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

  @TempDir Path work;

  @Test
  void controlPlaneImageRunsItsMainClassAndStopsOnABadSettingWithOneLine() throws Exception {
    OciImage image = OciImage.open(imageTar("control-plane"), work);
    assertThat(image.entrypoint())
        .containsExactly(
            "java", "-cp", "@/app/jib-classpath-file", "io.wingu.controlplane.wiring.Main");
    Run run = start(image, List.of(), Map.of("WINGU_HTTP_PORT", "eighty"));
    assertThat(run.exitCode).as(run.toString()).isEqualTo(2);
    assertThat(run.stderr.strip().lines())
        .as(run.toString())
        .singleElement()
        .asString()
        .startsWith("wingu: WINGU_HTTP_PORT")
        .contains("eighty");
  }

  @Test
  void agentImageRunsItsMainClassAndStopsWithoutItsControlPlaneUrl() throws Exception {
    OciImage image = OciImage.open(imageTar("agent"), work);
    assertThat(image.entrypoint())
        .containsExactly("java", "-cp", "@/app/jib-classpath-file", "io.wingu.agent.Main");
    Run run = start(image, List.of(), Map.of());
    assertThat(run.exitCode).as(run.toString()).isEqualTo(2);
    assertThat(run.stderr.strip().lines())
        .as(run.toString())
        .singleElement()
        .asString()
        .startsWith("wingu-agent: WINGU_AGENT_URL: required");
  }

  @Test
  void imagesRunTheirOwnJavaRuntimeAsTheNonRootUser() throws Exception {
    OciImage image = OciImage.open(imageTar("agent"), work);
    assertThat(image.runConfig().path("User").asText()).isEqualTo("65532:65532");
    assertThat(image.env())
        .contains("JAVA_HOME=/opt/java")
        .anySatisfy(e -> assertThat(e).startsWith("PATH=/opt/java/bin:"));
    assertThat(image.config().path("created").asText())
        .as("reproducible: no build time")
        .startsWith("1970-01-01T00:00");
    Run run = start(image, List.of("java", "-XshowSettings:properties", "-version"), Map.of());
    assertThat(run.exitCode).as(run.toString()).isZero();
    // the runtime jlinked from the JDK that built the image, which also runs this test
    assertThat(run.stderr)
        .contains("java.home = /opt/java")
        .contains("java.specification.version = " + Runtime.version().feature());
    if (ROOT) {
      assertThat(run.stderr).contains("user.name = nonroot");
    }
  }

  private static Path imageTar(String module) {
    String tar = System.getProperty("wingu.image." + module);
    assertThat(tar)
        .as("system property wingu.image.%s (set by the images profile of helm/pom.xml)", module)
        .isNotNull();
    assertThat(Path.of(tar))
        .as("the %s image: build it with mvn -Pimages package", module)
        .isRegularFile();
    return Path.of(tar);
  }

  /**
   * Runs {@code command} (the image's entry point when empty) inside the image. As root: as the
   * image's user (65532); otherwise in a user namespace, as a root mapped to the caller.
   */
  private Run start(OciImage image, List<String> command, Map<String, String> extraEnv)
      throws IOException, InterruptedException {
    assertThat(UNSHARE).as("util-linux unshare runs the image").isExecutable();
    Path root = image.unpackRootFileSystem(work.resolve("rootfs"));
    Files.createDirectories(root.resolve("proc"));
    List<String> line =
        new ArrayList<>(
            List.of(
                UNSHARE.toString(),
                "--mount",
                "--pid",
                "--fork",
                "--root=" + root,
                "--mount-proc=/proc",
                "--wd=" + image.runConfig().path("WorkingDir").asText("/")));
    if (ROOT) {
      String[] user = image.runConfig().path("User").asText().split(":");
      line.add("--setuid=" + user[0]);
      line.add("--setgid=" + (user.length > 1 ? user[1] : user[0]));
    } else {
      line.add(1, "--user");
      line.add(2, "--map-root-user");
    }
    line.addAll(command.isEmpty() ? image.entrypoint() : command);
    ProcessBuilder builder = new ProcessBuilder(line);
    builder.environment().clear();
    for (String variable : image.env()) {
      String[] pair = variable.split("=", 2);
      builder.environment().put(pair[0], pair[1]);
    }
    builder.environment().putAll(extraEnv);
    Path out = work.resolve("stdout");
    Path err = work.resolve("stderr");
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("still running after 120 s: " + line);
    }
    return new Run(
        line,
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private record Run(List<String> command, int exitCode, String stdout, String stderr) {
    @Override
    public String toString() {
      return String.join(" ", command)
          + " exited "
          + exitCode
          + "\nstdout: "
          + stdout
          + "\nstderr: "
          + stderr;
    }
  }
}
