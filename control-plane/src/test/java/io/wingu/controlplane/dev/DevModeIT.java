package io.wingu.controlplane.dev;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.FreePort;
import io.wingu.controlplane.testing.Http;
import io.wingu.controlplane.testing.RealNode;
import io.wingu.controlplane.testing.SharedRealNode;
import io.wingu.controlplane.testing.TenantSite;
import io.wingu.dev.DevMode;
import io.wingu.dev.LocalKubernetes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The README's run command as a newcomer uses it: the packaged dev launcher
 * (dev/target/wingu-dev.jar, what {@code ./wingu dev} runs) starts real PostgreSQL and a real
 * cluster and then the packaged production control plane ({@code wingu-control-plane.jar serve}) as
 * its own process, reports ready, serves the webmaster's journey (deploy, preview, rollback) from
 * the production jar's own class path, and Ctrl-C leaves nothing running; a control plane that
 * cannot start ends dev mode with everything it started stopped. Where this machine can run a node
 * (root on Linux) the cluster is the full one-node cluster and the address dev mode prints for the
 * site serves its home page from the site's pod; elsewhere dev mode says in one line why it runs
 * the API server alone. The journey is here, not only in the API tests, because those run on the
 * test class path: a library missing from the jar's lib/ once failed every deployment while they
 * stayed green.
 */
@ResourceLock(RealNode.CLUSTER)
class DevModeIT {

  private static final String TEMPLATE = "minimal-landing";

  /** The project checkout: the tests run in control-plane/. */
  private static final Path CHECKOUT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void devModeStartsRealPartsAndStopsThemAllOnInterrupt() throws Exception {
    Path work = io.wingu.controlplane.testing.TempDirs.create("wingu-devmode");
    Path devDir = work.resolve(".wingu/dev");
    Path log = work.resolve("dev.log");
    int httpPort = FreePort.find();
    ProcessBuilder pb =
        devLauncher(
            work,
            log,
            Map.of(
                "WINGU_HTTP_PORT", String.valueOf(httpPort),
                "WINGU_DEV_DB_PORT", String.valueOf(FreePort.find()),
                "WINGU_DEV_OIDC_PORT", String.valueOf(FreePort.find()),
                "WINGU_LOG_FORMAT", "text"));
    // as root on Linux with the node's packages and images: the full one-node cluster, which
    // may first wait a minute or two for another process's cluster (one per machine)
    String noNode = DevMode.whyNoNode(DevMode.NodeImages.in(CHECKOUT));
    SharedRealNode.release(); // this JVM's would hold the machine's one cluster
    Process dev = pb.start();
    try {
      Path envFile = devDir.resolve("dev.env");
      waitFor(
          () -> Files.exists(envFile) || !dev.isAlive(),
          Duration.ofSeconds(noNode == null ? 420 : 300));
      assertThat(dev.isAlive()).as(read(log)).isTrue();
      if (noNode == null) {
        assertThat(read(log))
            .contains("starting a one-node Kubernetes cluster")
            .doesNotContain("no Kubernetes node here");
      } else {
        assertThat(read(log))
            .as("one line naming why")
            .contains("no Kubernetes node here (" + noNode + "): starting kube-apiserver + etcd");
      }

      Properties env = new Properties();
      env.load(Files.newBufferedReader(envFile, StandardCharsets.UTF_8));
      assertThat(env.getProperty("WINGU_URL")).isEqualTo("http://localhost:" + httpPort);
      assertThat(env.getProperty("WINGU_USERNAME")).isEqualTo("operator");
      assertThat(env.getProperty("WINGU_PASSWORD")).hasSizeGreaterThanOrEqualTo(24);
      assertThat(read(log))
          .contains(env.getProperty("WINGU_PASSWORD"))
          .contains(env.getProperty("KUBECONFIG"));

      assertThat(Http.get(URI.create(env.getProperty("WINGU_URL")), "/readyz").statusCode())
          .isEqualTo(200);

      signInThroughTheProvider(
          URI.create(env.getProperty("WINGU_URL")), env.getProperty("WINGU_OIDC_ISSUER"), log);

      var kubectl =
          new ProcessBuilder(
                  LocalKubernetes.binaryFolder().resolve("kubectl").toString(),
                  "--kubeconfig",
                  env.getProperty("KUBECONFIG"),
                  "get",
                  "namespaces",
                  "-o",
                  "name")
              .redirectErrorStream(true)
              .start();
      String namespaces =
          new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(kubectl.waitFor()).as(namespaces).isZero();
      assertThat(namespaces).contains("namespace/default").contains("namespace/kube-system");

      TenantSite site =
          webmasterJourney(
              URI.create(env.getProperty("WINGU_URL")),
              env.getProperty("WINGU_USERNAME"),
              env.getProperty("WINGU_PASSWORD"),
              log);
      if (noNode == null) {
        servedAtPrintedAddress(site.code() + "/" + site.siteName(), "Packaged Board", log);
      }
      // README's curl walkthrough, as written, ends with the ministry's site deployed: opened at
      // the address dev mode prints for it where there is a node
      readmeWalkthrough(work, log);
      if (noNode == null) {
        servedAtPrintedAddress("moh/portal", "Wizara ya Afya", log);
      }

      List<ProcessHandle> children = dev.descendants().toList();
      assertThat(children).as("etcd and kube-apiserver run under dev mode").isNotEmpty();
      assertThat(children)
          .as("the production jar serves, in a process of its own")
          .anyMatch(
              p ->
                  p.info()
                      .commandLine()
                      .orElse("")
                      .endsWith("control-plane/target/wingu-control-plane.jar serve"));
      Path postmasterPid = devDir.resolve("postgres/postmaster.pid");
      assertThat(postmasterPid).exists();

      new ProcessBuilder("kill", "-INT", String.valueOf(dev.pid())).start().waitFor();
      assertThat(dev.waitFor(120, TimeUnit.SECONDS)).as(read(log)).isTrue();
      waitFor(() -> children.stream().noneMatch(ProcessHandle::isAlive), Duration.ofSeconds(20));
      assertThat(children).noneMatch(ProcessHandle::isAlive);
      assertThat(postmasterPid).as("PostgreSQL stopped").doesNotExist();
    } finally {
      dev.descendants().forEach(ProcessHandle::destroyForcibly);
      dev.destroyForcibly();
    }
  }

  /**
   * A control plane that refuses its settings (one line, exit 2) ends dev mode with that code, and
   * the databases dev mode started for it are stopped. WINGU_KUBECONFIG names a file so that no
   * cluster is started: the control plane stops at its settings before reading it.
   */
  @Test
  void aControlPlaneThatCannotStartEndsDevModeAndStopsWhatItStarted() throws Exception {
    Path work = io.wingu.controlplane.testing.TempDirs.create("wingu-devmode-fail");
    Path log = work.resolve("dev.log");
    Path kubeconfig = Files.writeString(work.resolve("kubeconfig"), "apiVersion: v1\n");
    Process dev =
        devLauncher(
                work,
                log,
                Map.of(
                    "WINGU_HTTP_PORT", String.valueOf(FreePort.find()),
                    "WINGU_DEV_DB_PORT", String.valueOf(FreePort.find()),
                    "WINGU_KUBECONFIG", kubeconfig.toString(),
                    "WINGU_DB_POOL_SIZE", "0"))
            .start();
    try {
      assertThat(dev.waitFor(300, TimeUnit.SECONDS)).as(read(log)).isTrue();
      assertThat(dev.exitValue()).as(read(log)).isEqualTo(2);
      assertThat(read(log))
          .contains("wingu: WINGU_DB_POOL_SIZE='0' is not a whole number from 1 to 200")
          .contains("wingu dev: the control plane exited with code 2; stopping everything")
          .doesNotContain("Wingu is running");
      Path devDir = work.resolve(".wingu/dev");
      assertThat(devDir.resolve("postgres/postmaster.pid")).as("PostgreSQL stopped").doesNotExist();
      assertThat(devDir.resolve("tenant-postgres/postmaster.pid"))
          .as("the tenant database server stopped")
          .doesNotExist();
    } finally {
      dev.descendants().forEach(ProcessHandle::destroyForcibly);
      dev.destroyForcibly();
    }
  }

  /** The packaged launcher as ./wingu dev runs it, in {@code work}, with only these WINGU_* set. */
  private static ProcessBuilder devLauncher(Path work, Path log, Map<String, String> settings) {
    ProcessBuilder pb =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar",
                    CHECKOUT.resolve("dev/target/wingu-dev.jar").toString()))
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("WINGU_") || k.equals("KUBECONFIG"));
    pb.environment().putAll(settings);
    return pb;
  }

  /**
   * Dev mode's own OpenID Connect provider answers discovery, the console's sign-in page offers it
   * beside the password form, and a person who signs in there as README says (any name, the
   * operators' group in the claims) reaches the console as an operator: a browser without
   * JavaScript, through the provider's own sign-in form.
   */
  private static void signInThroughTheProvider(URI url, String issuer, Path log) throws Exception {
    assertThat(issuer).as(read(log)).startsWith("http://127.0.0.1:");
    assertThat(read(log)).contains("identity provider (mock-oauth2-server, OpenID Connect) at");
    HttpClient browser =
        HttpClient.newBuilder()
            .cookieHandler(new java.net.CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    HttpResponse<String> discovery =
        browser.send(
            HttpRequest.newBuilder(URI.create(issuer + "/.well-known/openid-configuration"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(discovery.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(discovery.body()).getString("issuer")).isEqualTo(issuer);

    HttpResponse<String> login =
        browser.send(
            HttpRequest.newBuilder(url.resolve("/login?lang=en")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(login.body()).contains("id=\"oidc-sign-in\"").contains("name=\"password\"");

    HttpResponse<String> start =
        browser.send(
            HttpRequest.newBuilder(url.resolve("/login/oidc?next=/")).build(),
            HttpResponse.BodyHandlers.ofString());
    URI authorize = URI.create(start.headers().firstValue("Location").orElseThrow());
    assertThat(authorize.toString()).as(start.body()).startsWith(issuer + "/authorize?");
    HttpResponse<String> form =
        browser.send(
            HttpRequest.newBuilder(authorize).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(form.statusCode()).isEqualTo(200);
    assertThat(form.body()).contains("name=\"username\"").contains("name=\"claims\"");
    String claims = "{\"preferred_username\":\"amina\",\"groups\":[\"wingu-operators\"]}";
    HttpResponse<String> signedIn =
        browser.send(
            HttpRequest.newBuilder(authorize)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "username=amina-subject&claims="
                            + java.net.URLEncoder.encode(claims, StandardCharsets.UTF_8)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    URI callback = URI.create(signedIn.headers().firstValue("Location").orElseThrow());
    assertThat(callback.toString()).as(signedIn.body()).startsWith(url + "/login/oidc/callback?");
    HttpResponse<String> back =
        browser.send(
            HttpRequest.newBuilder(callback).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(back.statusCode()).as(back.body() + "\n" + read(log)).isIn(302, 303);
    HttpResponse<String> home =
        browser.send(
            HttpRequest.newBuilder(url.resolve("/requests?lang=en")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(home.statusCode()).as(home.body()).isEqualTo(200);
    assertThat(home.body()).contains("amina");
  }

  /** An approved site gets two revisions, previews each, and rolls back to the first. */
  private static TenantSite webmasterJourney(URI url, String username, String password, Path log) {
    ApiClient operator = ApiClient.signIn(url, username, password);
    JsonObject example =
        operator.get("/api/v1/templates").array().stream()
            .map(JsonObject.class::cast)
            .filter(t -> t.getString("id").equals(TEMPLATE))
            .findFirst()
            .orElseThrow()
            .getJsonObject("example");
    TenantSite site = TenantSite.create(operator, "portal");

    for (String name : List.of("Packaged Board", "Renamed Board")) {
      JsonObject parameters = example.copy();
      parameters.getJsonObject("institution").getJsonObject("name").put("en", name);
      var deployed =
          site.webmaster()
              .post(
                  site.path("/deployments"),
                  new JsonObject().put("templateId", TEMPLATE).put("parameters", parameters));
      assertThat(deployed.status()).as(deployed.body() + "\n" + read(log)).isEqualTo(201);
    }
    var preview = site.webmaster().get(site.path("/preview?revision=1"));
    assertThat(preview.status()).as(preview.body()).isEqualTo(200);
    assertThat(preview.contentType()).startsWith("text/html");
    assertThat(preview.body()).contains("Packaged Board");
    assertThat(site.webmaster().get(site.path("/preview")).body()).contains("Renamed Board");

    var back = site.webmaster().post(site.path("/rollback"), new JsonObject().put("revision", 1));
    assertThat(back.status()).as(back.body()).isEqualTo(200);
    assertThat(back.json().getInteger("currentRevision")).isEqualTo(1);
    assertThat(site.webmaster().get(site.path("/preview")).body()).contains("Packaged Board");
    assertThat(read(log))
        .doesNotContain("NoClassDefFoundError")
        .doesNotContain("ClassNotFoundException");
    return site;
  }

  /**
   * Runs README's "Walkthrough with curl" as written, from the folder dev mode runs in (so its
   * {@code source .wingu/dev/dev.env} finds the file); every step must answer.
   */
  private static void readmeWalkthrough(Path work, Path log) throws Exception {
    String readme = Files.readString(CHECKOUT.resolve("README.md"));
    int section = readme.indexOf("## Walkthrough with curl");
    int open = readme.indexOf("```sh\n", section) + "```sh\n".length();
    Path script =
        Files.writeString(
            work.resolve("walkthrough.sh"),
            "set -eu\n" + readme.substring(open, readme.indexOf("```", open)));
    Process p =
        new ProcessBuilder("bash", script.toString())
            .directory(work.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    assertThat(out)
        .as(out + "\n" + read(log))
        .contains("\"valid\":true")
        .contains("\"siteId\"")
        .contains("\"digest\"")
        .doesNotContain("\"status\":4")
        .doesNotContain("\"status\":5");
  }

  /**
   * The address dev mode printed last for the site (a pod on the node's bridge) answers with the
   * home page of the current revision: real traffic through the site's pod, not the preview.
   */
  private static void servedAtPrintedAddress(String site, String text, Path log)
      throws InterruptedException {
    Pattern line =
        Pattern.compile(
            "site " + Pattern.quote(site) + " is served at (http://10\\.244\\.0\\.\\d+:8080/)");
    HttpClient http =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    Instant end = Instant.now().plus(Duration.ofSeconds(240));
    String last = "no address printed yet";
    while (Instant.now().isBefore(end)) {
      Matcher m = line.matcher(read(log));
      String url = null;
      while (m.find()) {
        url = m.group(1);
      }
      if (url != null) {
        try {
          HttpResponse<String> r =
              http.send(
                  HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
                  HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200 && r.body().contains(text)) {
            assertThat(r.headers().firstValue("content-type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
            return;
          }
          last = url + " answered " + r.statusCode() + " " + r.body();
        } catch (IOException e) {
          last = url + ": " + e;
        }
      }
      Thread.sleep(500);
    }
    throw new AssertionError(
        "the printed address of "
            + site
            + " did not serve \""
            + text
            + "\" within 240 s: "
            + last
            + "\n"
            + read(log));
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static void waitFor(java.util.function.BooleanSupplier condition, Duration timeout)
      throws InterruptedException {
    Instant end = Instant.now().plus(timeout);
    while (!condition.getAsBoolean() && Instant.now().isBefore(end)) {
      Thread.sleep(200);
    }
  }
}
