package io.wingu.controlplane.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import io.wingu.controlplane.testing.Eventually;
import io.wingu.controlplane.testing.TempDirs;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real nginx (Debian's, installed by scripts/install-web-server.sh as {@code ./wingu test} does)
 * serves a site's bundle with the server block a site's pods get (SiteWebConfigs), wrapped in a
 * main nginx.conf like the unprivileged image's. An uploaded document is only ever a download in a
 * sandbox — even one named {@code .html} — while the site's pages stay pages.
 */
class SiteWebServerIT {

  static final Path NGINX = Path.of("/usr/sbin/nginx");
  static final String DOCUMENT_ID = "0b9d2f6e-4c1a-4e8e-9a57-3f1d2c7b6a10";
  static final byte[] PDF =
      "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
          .getBytes(StandardCharsets.US_ASCII);
  static final String SANDBOX = "sandbox; default-src 'none'";

  static Path prefix;
  static Process nginx;
  static List<ProcessHandle> workers = List.of();
  static URI base;
  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  @BeforeAll
  static void startNginx() throws Exception {
    assertThat(Files.isExecutable(NGINX))
        .as("nginx is missing: run scripts/install-web-server.sh (./wingu test does)")
        .isTrue();
    prefix = Files.createTempDirectory("wingu-nginx");
    Path root = Files.createDirectories(prefix.resolve("html"));
    Files.writeString(
        root.resolve("index.html"), "<!doctype html><title>Wizara</title><p>Karibu</p>");
    Files.createDirectories(root.resolve("about"));
    Files.writeString(root.resolve("about/index.html"), "<!doctype html><title>About</title>");
    Path documents = Files.createDirectories(root.resolve("documents").resolve(DOCUMENT_ID));
    Files.write(documents.resolve("report.pdf"), PDF);
    Files.writeString(
        documents.resolve("page.html"), "<!doctype html><script>document.cookie</script>");

    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    // the pod's server block, with the pod's port, root and /tmp moved to this test's loopback port
    // and folder
    String server =
        replaceOnce(
            SiteWebConfigs.defaultConf(),
            "listen " + SiteDeployments.PORT + ";",
            "listen 127.0.0.1:" + port + ";");
    server = replaceOnce(server, "root " + SiteWebConfigs.ROOT + ";", "root " + root + ";");
    server =
        replaceOnce(server, "client_body_temp_path /tmp/", "client_body_temp_path " + prefix + "/");
    Path confD = Files.createDirectories(prefix.resolve("conf.d"));
    Files.writeString(confD.resolve(SiteWebConfigs.KEY), server);

    // as root, nginx's workers would switch to the compiled-in user, who cannot read this private
    // folder: they run as its owner instead (nginx ignores "user" when not started as root)
    boolean asRoot = ((Integer) Files.getAttribute(prefix, "unix:uid")) == 0;
    String main =
        String.join(
            "\n",
            asRoot ? "user root root;" : "",
            "daemon off;",
            "worker_processes 1;",
            "pid " + prefix.resolve("nginx.pid") + ";",
            "error_log " + prefix.resolve("error.log") + " notice;",
            "events { worker_connections 64; }",
            "http {",
            // as the site image's main nginx.conf (scripts/site-image.sh): temp paths, types, then
            // conf.d
            "  client_body_temp_path " + prefix.resolve("client_temp") + ";",
            "  proxy_temp_path " + prefix.resolve("proxy_temp") + ";",
            "  fastcgi_temp_path " + prefix.resolve("fastcgi_temp") + ";",
            "  uwsgi_temp_path " + prefix.resolve("uwsgi_temp") + ";",
            "  scgi_temp_path " + prefix.resolve("scgi_temp") + ";",
            "  include /etc/nginx/mime.types;",
            "  default_type application/octet-stream;",
            "  access_log " + prefix.resolve("access.log") + ";",
            "  sendfile on;",
            "  keepalive_timeout 65;",
            "  include " + confD + "/*.conf;",
            "}",
            "");
    Path conf = prefix.resolve("nginx.conf");
    Files.writeString(conf, main);

    List<String> command =
        List.of(
            NGINX.toString(),
            "-p",
            prefix + "/",
            "-c",
            conf.toString(),
            "-e",
            prefix.resolve("error.log").toString());
    Process check = new ProcessBuilder(concat(command, "-t")).redirectErrorStream(true).start();
    String checked = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(check.waitFor(30, TimeUnit.SECONDS) && check.exitValue() == 0)
        .as("nginx -t: " + checked)
        .isTrue();

    nginx =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(prefix.resolve("nginx.out").toFile())
            .start();
    base = URI.create("http://127.0.0.1:" + port);
    Eventually.holds(
        "nginx listens on " + base,
        () -> {
          assertThat(nginx.isAlive()).as("nginx exited: " + log()).isTrue();
          try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return s.isConnected();
          } catch (IOException e) {
            return false;
          }
        },
        Duration.ofSeconds(20));
    workers = nginx.descendants().toList();
  }

  @AfterAll
  static void stopNginx() throws Exception {
    if (nginx != null) {
      nginx.destroy(); // SIGTERM: nginx's fast shutdown, the master stops its workers
      if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
        nginx.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      workers.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
    if (prefix != null) {
      TempDirs.delete(prefix);
    }
  }

  @Test
  void anUploadedDocumentIsADownloadInASandboxNeverSniffed() throws Exception {
    var answer = get("/documents/" + DOCUMENT_ID + "/report.pdf");
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo(PDF);
    assertThat(header(answer, "Content-Type")).isEqualTo("application/pdf");
    assertThat(header(answer, "Content-Disposition")).isEqualTo("attachment");
    assertThat(header(answer, "X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(header(answer, "Content-Security-Policy")).isEqualTo(SANDBOX);
    assertThat(header(answer, "Referrer-Policy")).isNotBlank();
  }

  @Test
  void aDocumentNamedHtmlIsNeverRenderedInline() throws Exception {
    var answer = get("/documents/" + DOCUMENT_ID + "/page.html");
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(header(answer, "Content-Type"))
        .as("not text/html")
        .isEqualTo("application/octet-stream");
    assertThat(header(answer, "Content-Disposition")).isEqualTo("attachment");
    assertThat(header(answer, "X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(header(answer, "Content-Security-Policy")).isEqualTo(SANDBOX);
  }

  @Test
  void aMissingDocumentsErrorPageIsSandboxedToo() throws Exception {
    var answer = get("/documents/" + DOCUMENT_ID + "/gone.pdf");
    assertThat(answer.statusCode()).isEqualTo(404);
    assertThat(header(answer, "Content-Disposition")).isEqualTo("attachment");
    assertThat(header(answer, "X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(header(answer, "Content-Security-Policy")).isEqualTo(SANDBOX);
  }

  @Test
  void theHomePageIsAPageWithNosniffAndNoDownload() throws Exception {
    var answer = get("/"); // the readiness probe's request
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(new String(answer.body(), StandardCharsets.UTF_8)).contains("Karibu");
    assertThat(header(answer, "Content-Type")).startsWith("text/html");
    assertThat(header(answer, "X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(header(answer, "Referrer-Policy")).isEqualTo("strict-origin-when-cross-origin");
    assertThat(answer.headers().firstValue("Content-Disposition")).isEmpty();
    assertThat(answer.headers().firstValue("Content-Security-Policy")).isEmpty();
    assertThat(header(answer, "Server")).as("server_tokens off: no version").isEqualTo("nginx");

    var missing = get("/no-such-page");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(header(missing, "X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(missing.headers().firstValue("Content-Disposition")).isEmpty();
  }

  @Test
  void aDirectoryRedirectKeepsTheVisitorsHostAndPort() throws Exception {
    var answer = get("/about");
    assertThat(answer.statusCode()).isEqualTo(301);
    // behind the ingress the pod's own port (8080) must not leak into the Location
    assertThat(header(answer, "Location")).isEqualTo("/about/");
    assertThat(get("/about/").statusCode()).isEqualTo(200);
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

  private static String replaceOnce(String text, String what, String with) {
    int at = text.indexOf(what);
    assertThat(at).as("the server block has " + what).isNotNegative();
    assertThat(text.indexOf(what, at + 1)).as(what + " once").isNegative();
    return text.substring(0, at) + with + text.substring(at + what.length());
  }

  private static List<String> concat(List<String> command, String arg) {
    return java.util.stream.Stream.concat(command.stream(), java.util.stream.Stream.of(arg))
        .toList();
  }

  private static String log() throws IOException {
    Path out = prefix.resolve("nginx.out");
    Path error = prefix.resolve("error.log");
    return (Files.exists(out) ? Files.readString(out) : "")
        + (Files.exists(error) ? Files.readString(error) : "");
  }
}
