package io.wingu.controlplane.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wingu.controlplane.testing.Eventually;
import io.wingu.controlplane.testing.FreePort;
import io.wingu.controlplane.testing.TempDirs;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The site web server image (scripts/site-image.sh; WINGU_SITE_IMAGE's default) run as a site's pod
 * runs it: unpacked layer by layer and its entry point started in fresh mount and PID namespaces,
 * as the image's user (10101) on a read-only root file system, with the pod's volumes bound in —
 * writable /tmp and /var/cache/nginx, Wingu's server block (SiteWebConfigs) over conf.d, a bundle
 * in the html root — and a minimal /dev whose stdout and stderr the user owns, as runc hands them
 * over. That is a container runtime minus cgroups and a network namespace: the server listens on a
 * loopback port of this machine instead of the pod's 8080.
 */
class SiteImageIT {

  static final Path UNSHARE = Path.of("/usr/bin/unshare");
  static final boolean ROOT = "root".equals(System.getProperty("user.name"));
  static final int USER = 10101;
  static final String DOCUMENT_ID = SiteWebServerIT.DOCUMENT_ID;
  static final String HOME_PAGE =
      "<!doctype html><html lang=\"sw\"><title>Wizara ya Afya</title><p>Karibu</p></html>";
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /**
   * Run by /bin/sh of this machine inside the new mount namespace (the image has no shell): binds
   * the pod's volumes and a minimal /dev into the unpacked root, makes the root read-only, then
   * starts the image's program there ({@code $@}: unshare's user options and the command).
   */
  static final String MOUNTS =
      """
      set -e
      root=$1 tmp=$2 cache=$3 conf=$4 html=$5
      shift 5
      mount --bind "$root" "$root"
      mount --bind "$tmp" "$root/tmp"
      mount --bind "$cache" "$root/var/cache/nginx"
      mount --bind "$conf" "$root/etc/nginx/conf.d"
      mount -o remount,bind,ro "$root/etc/nginx/conf.d"
      mount --bind "$html" "$root/usr/share/nginx/html"
      mount -o remount,bind,ro "$root/usr/share/nginx/html"
      mount -t tmpfs -o mode=755,nosuid tmpfs "$root/dev"
      for node in null zero urandom; do
        touch "$root/dev/$node"
        mount --bind "/dev/$node" "$root/dev/$node"
      done
      ln -s /proc/self/fd "$root/dev/fd"
      ln -s /proc/self/fd/0 "$root/dev/stdin"
      ln -s /proc/self/fd/1 "$root/dev/stdout"
      ln -s /proc/self/fd/2 "$root/dev/stderr"
      mount -o remount,bind,ro "$root"
      exec /usr/bin/unshare --root="$root" --mount-proc=/proc --wd=/ "$@"
      """;

  static Path work;
  static Path imageTar;
  static JsonNode manifest;
  static JsonNode config;
  static Path rootfs;
  static Map<String, Long> rootBefore;
  static Path tmp;
  static Run server;
  static URI base;

  @BeforeAll
  static void startTheImage() throws Exception {
    String property = System.getProperty("wingu.image.site-web");
    assertThat(property)
        .as(
            "system property wingu.image.site-web (set by the images profile of control-plane/pom.xml)")
        .isNotNull();
    imageTar = Path.of(property);
    assertThat(imageTar)
        .as("the site image: build it with mvn -Pimages (scripts/site-image.sh)")
        .isRegularFile();
    assertThat(UNSHARE).as("util-linux unshare runs the image").isExecutable();
    work = TempDirs.create("wingu-site-image");

    // the docker-archive: manifest.json names the config and the layers, applied first to last
    Path archive = Files.createDirectories(work.resolve("archive"));
    untar(imageTar, archive);
    manifest = JSON.readTree(archive.resolve("manifest.json").toFile());
    assertThat(manifest.size()).as("one image in " + imageTar).isEqualTo(1);
    manifest = manifest.get(0);
    config = JSON.readTree(archive.resolve(manifest.path("Config").asText()).toFile());
    rootfs = Files.createDirectories(work.resolve("rootfs"));
    for (JsonNode layer : manifest.path("Layers")) {
      untar(archive.resolve(layer.asText()), rootfs);
    }
    Files.createDirectories(rootfs.resolve("proc"));
    Files.createDirectories(rootfs.resolve("dev"));
    rootBefore = listing(rootfs);

    // the pod's volumes: the bundle, Wingu's server block, the writable emptyDirs
    Path html = Files.createDirectories(work.resolve("html"));
    Files.writeString(html.resolve("index.html"), HOME_PAGE);
    Path documents = Files.createDirectories(html.resolve("documents").resolve(DOCUMENT_ID));
    Files.write(documents.resolve("report.pdf"), SiteWebServerIT.PDF);
    int port = FreePort.find();
    String serverBlock = SiteWebConfigs.defaultConf();
    assertThat(serverBlock).contains("listen " + SiteDeployments.PORT + ";");
    Path confD = Files.createDirectories(work.resolve("conf.d"));
    Files.writeString(
        confD.resolve(SiteWebConfigs.KEY),
        serverBlock.replace(
            "listen " + SiteDeployments.PORT + ";", "listen 127.0.0.1:" + port + ";"));
    tmp = writableVolume("tmp");

    server = start(entrypoint(), confD, html, tmp, writableVolume("cache"));
    base = URI.create("http://127.0.0.1:" + port);
    Eventually.holds(
        "nginx from the image listens on " + base,
        () -> {
          assertThat(server.process.isAlive()).as("nginx exited: " + server.output()).isTrue();
          try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return s.isConnected();
          } catch (IOException e) {
            return false;
          }
        },
        Duration.ofSeconds(20));
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      // unshare --kill-child: the namespace's first process (nginx's master) dies, and with it the
      // rest
      server.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    if (work != null) {
      TempDirs.delete(work);
    }
  }

  @Test
  void theImageRunsNginxAloneAsUser10101OnPort8080() throws Exception {
    JsonNode run = config.path("config");
    assertThat(run.path("User").asText()).isEqualTo("10101:10101");
    assertThat(entrypoint()).containsExactly("/usr/sbin/nginx", "-g", "daemon off;");
    assertThat(run.path("ExposedPorts").has(SiteDeployments.PORT + "/tcp")).isTrue();
    assertThat(config.path("created").asText())
        .as("reproducible: no build time")
        .startsWith("1970-01-01T00:00");
    assertThat(manifest.path("RepoTags"))
        .extracting(JsonNode::asText)
        .as("the name WINGU_SITE_IMAGE defaults to")
        .contains(SiteDeployments.DEFAULT_IMAGE);
    // nothing to run but nginx: no shell, no package manager
    assertThat(rootfs.resolve("bin/sh")).doesNotExist();
    assertThat(rootfs.resolve("usr/bin/sh")).doesNotExist();
    assertThat(rootfs.resolve("usr/bin/dpkg")).doesNotExist();
    assertThat(Files.readAllLines(rootfs.resolve("etc/passwd")))
        .anySatisfy(l -> assertThat(l).startsWith("web:x:10101:10101:"))
        .anySatisfy(l -> assertThat(l).startsWith("nginx:x:101:101:"));
    assertThat(Files.readString(rootfs.resolve("etc/nginx/nginx.conf")))
        .contains(
            "pid /tmp/nginx.pid;",
            "include /etc/nginx/mime.types;",
            "include /etc/nginx/conf.d/*.conf;");
  }

  @Test
  void itServesTheBundleWithWingusServerBlockOnAReadOnlyRoot() throws Exception {
    var home = get("/");
    assertThat(home.statusCode()).as(server.output()).isEqualTo(200);
    assertThat(new String(home.body(), StandardCharsets.UTF_8)).isEqualTo(HOME_PAGE);
    assertThat(header(home, "Content-Type")).startsWith("text/html");
    assertThat(header(home, "X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(header(home, "Server")).as("server_tokens off: no version").isEqualTo("nginx");

    var document = get("/documents/" + DOCUMENT_ID + "/report.pdf");
    assertThat(document.statusCode()).isEqualTo(200);
    assertThat(document.body()).isEqualTo(SiteWebServerIT.PDF);
    assertThat(header(document, "Content-Type"))
        .as("the image's mime.types")
        .isEqualTo("application/pdf");
    assertThat(header(document, "Content-Disposition")).isEqualTo("attachment");
    assertThat(header(document, "Content-Security-Policy")).isEqualTo(SiteWebServerIT.SANDBOX);

    // the master process: the image's user, on a root mounted read-only
    ProcessHandle master =
        server
            .process
            .descendants()
            .filter(p -> commandLine(p).startsWith("nginx: master"))
            .findFirst()
            .orElseThrow();
    List<String> status =
        Files.readAllLines(Path.of("/proc", Long.toString(master.pid()), "status"));
    if (ROOT) {
      assertThat(status)
          .contains("Uid:\t" + USER + "\t" + USER + "\t" + USER + "\t" + USER)
          .contains("Gid:\t" + USER + "\t" + USER + "\t" + USER + "\t" + USER);
    }
    String rootMount =
        Files.readAllLines(Path.of("/proc", Long.toString(master.pid()), "mountinfo")).stream()
            .filter(l -> l.split(" ")[4].equals("/"))
            .reduce((first, last) -> last)
            .orElseThrow();
    assertThat(rootMount.split(" ")[5]).as(rootMount).startsWith("ro");
    // what it wrote went to the pod's volumes: the pid and temp folders in /tmp, the access log to
    // stdout
    assertThat(Files.readString(tmp.resolve("nginx.pid")).strip())
        .as("nginx is the namespace's first process")
        .isEqualTo("1");
    assertThat(tmp.resolve("client_temp")).isDirectory();
    Eventually.holds(
        "the access log on stdout",
        () -> server.stdout().contains("\"GET / HTTP/1.1\" 200"),
        Duration.ofSeconds(5));
    assertThat(listing(rootfs)).as("the image's files are untouched").isEqualTo(rootBefore);
  }

  @Test
  void theImagesOwnConfigurationIsValidForItsUserOnAReadOnlyRoot() throws Exception {
    // the image's own server block (the one Wingu mounts over), checked by nginx inside the image
    Run check =
        start(
            List.of("/usr/sbin/nginx", "-t"),
            rootfs.resolve("etc/nginx/conf.d"),
            rootfs.resolve("usr/share/nginx/html"),
            writableVolume("check-tmp"),
            writableVolume("check-cache"));
    assertThat(check.process.waitFor(30, TimeUnit.SECONDS)).as("nginx -t ends").isTrue();
    assertThat(check.process.exitValue()).as(check.output()).isZero();
    assertThat(check.stderr()).contains("test is successful");
    assertThat(Files.readString(rootfs.resolve("etc/nginx/conf.d/default.conf")))
        .contains("listen " + SiteDeployments.PORT + ";", "root " + SiteWebConfigs.ROOT + ";");
  }

  @Test
  void buildingTheImageAgainGivesTheSameBytes() throws Exception {
    String script = System.getProperty("wingu.image.site-web.script");
    assertThat(script).as("system property wingu.image.site-web.script").isNotNull();
    Path again = work.resolve("again/wingu-site-web.tar");
    Process build =
        new ProcessBuilder("bash", script, again.toString())
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("build.log").toFile())
            .start();
    assertThat(build.waitFor(120, TimeUnit.SECONDS)).as("site-image.sh ends").isTrue();
    assertThat(build.exitValue()).as(Files.readString(work.resolve("build.log"))).isZero();
    assertThat(sha256(again))
        .as("the same packages give the same image")
        .isEqualTo(sha256(imageTar));
  }

  private static String commandLine(ProcessHandle process) {
    try {
      return Files.readString(
          Path.of("/proc", Long.toString(process.pid()), "cmdline"), StandardCharsets.UTF_8);
    } catch (IOException gone) {
      return "";
    }
  }

  private static List<String> entrypoint() {
    List<String> entrypoint = new ArrayList<>();
    config.path("config").path("Entrypoint").forEach(e -> entrypoint.add(e.asText()));
    return entrypoint;
  }

  /**
   * An emptyDir of the pod: as root, owned by the image's user (the pod's fsGroup does that in
   * Kubernetes).
   */
  private static Path writableVolume(String name) throws IOException {
    Path dir = Files.createDirectories(work.resolve(name));
    if (ROOT) {
      Files.setAttribute(dir, "unix:uid", USER);
      Files.setAttribute(dir, "unix:gid", USER);
    }
    return dir;
  }

  /**
   * Starts {@code command} in the image. As root: as the image's user; otherwise in a user
   * namespace, as a root mapped to the caller (who may mount there).
   */
  private static Run start(List<String> command, Path confD, Path html, Path tmp, Path cache)
      throws IOException {
    List<String> line = new ArrayList<>(List.of(UNSHARE.toString()));
    if (!ROOT) {
      line.addAll(List.of("--user", "--map-root-user"));
    }
    line.addAll(
        List.of(
            "--mount",
            "--pid",
            "--fork",
            "--kill-child",
            "/bin/sh",
            "-c",
            MOUNTS,
            "sh",
            rootfs.toString(),
            tmp.toString(),
            cache.toString(),
            confD.toString(),
            html.toString()));
    if (ROOT) {
      String[] user = config.path("config").path("User").asText().split(":");
      line.add("--setuid=" + user[0]);
      line.add("--setgid=" + user[1]);
    }
    line.addAll(command);
    ProcessBuilder builder = new ProcessBuilder(line);
    builder.environment().clear();
    config
        .path("config")
        .path("Env")
        .forEach(
            e -> {
              String[] pair = e.asText().split("=", 2);
              builder.environment().put(pair[0], pair[1]);
            });
    Path dir = Files.createTempDirectory(work, "run");
    Path out = Files.createFile(dir.resolve("stdout"));
    Path err = Files.createFile(dir.resolve("stderr"));
    for (Path stdio : List.of(out, err)) {
      if (ROOT) { // nginx reopens /dev/stdout: the file must be the user's, as runc's
        // fixStdioPermissions makes it
        Files.setAttribute(stdio, "unix:uid", USER);
      }
    }
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    return new Run(line, process, out, err);
  }

  private record Run(List<String> command, Process process, Path out, Path err) {
    String stdout() throws IOException {
      return Files.readString(out, StandardCharsets.UTF_8);
    }

    String stderr() throws IOException {
      return Files.readString(err, StandardCharsets.UTF_8);
    }

    String output() throws IOException {
      return String.join(" ", command.subList(command.indexOf("sh") + 1, command.size()))
          + "\nstdout: "
          + stdout()
          + "\nstderr: "
          + stderr();
    }
  }

  private static HttpResponse<byte[]> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String header(HttpResponse<?> answer, String name) {
    List<String> values = answer.headers().allValues(name);
    assertThat(values).as(name + " exactly once").hasSize(1);
    return values.get(0);
  }

  /** Extracts with this machine's tar, which keeps modes and links as a container runtime does. */
  private static void untar(Path tar, Path into) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("tar", "-xf", tar.toString(), "-C", into.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0)
        .as("tar -xf " + tar + ": " + output)
        .isTrue();
  }

  /** Every path under {@code root} with its size and modification time. */
  private static Map<String, Long> listing(Path root) throws IOException {
    Map<String, Long> files = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.toList()) {
        files.put(
            root.relativize(p) + ":" + Files.size(p), Files.getLastModifiedTime(p).toMillis());
      }
    }
    return files;
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}
