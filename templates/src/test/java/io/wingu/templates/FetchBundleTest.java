package io.wingu.templates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.wingu.templates.render.Bundle;
import io.wingu.templates.testing.ExampleSites;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The init container's fetch against a stand-in for the control plane's bundle endpoint. */
class FetchBundleTest {

  private static final String TOKEN = "site-token-123";

  @TempDir Path dir;

  private final Map<String, byte[]> served = new ConcurrentHashMap<>();
  private HttpServer server;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/api/v1/bundles/",
        exchange -> {
          String digest = exchange.getRequestURI().getPath().substring("/api/v1/bundles/".length());
          byte[] body = served.get(digest);
          boolean authorized =
              ("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"));
          int status = !authorized ? 404 : body == null ? 404 : 200;
          exchange.sendResponseHeaders(status, status == 200 ? body.length : -1);
          try (OutputStream out = exchange.getResponseBody()) {
            if (status == 200) {
              out.write(body);
            }
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void downloadsVerifiesAndExtracts() throws Exception {
    Bundle bundle = ExampleSites.bundle("agency-services");
    served.put(bundle.digest(), bundle.toTarGz());

    int files = FetchBundle.fetch(url(bundle.digest()), token(TOKEN), dir.resolve("html"));

    assertThat(files).isEqualTo(bundle.files().size());
    assertThat(dir.resolve("html/en/index.html")).exists();
  }

  @Test
  void refusesBytesThatDoNotMatchTheDigest() {
    Bundle bundle = ExampleSites.bundle("agency-services");
    String otherDigest = ExampleSites.bundle("minimal-landing").digest();
    served.put(otherDigest, bundle.toTarGz());

    assertThatThrownBy(() -> FetchBundle.fetch(url(otherDigest), token(TOKEN), dir.resolve("html")))
        .hasMessageContaining("digest mismatch");
    assertThat(dir.resolve("html")).doesNotExist();
  }

  @Test
  void failsOnWrongTokenAndOnUrlsWithoutDigest() {
    Bundle bundle = ExampleSites.bundle("agency-services");
    served.put(bundle.digest(), bundle.toTarGz());

    assertThatThrownBy(
            () -> FetchBundle.fetch(url(bundle.digest()), token("wrong"), dir.resolve("html")))
        .hasMessageContaining("HTTP 404");
    assertThatThrownBy(
            () ->
                FetchBundle.fetch(
                    URI.create("http://127.0.0.1/api/v1/bundles/latest"),
                    token(TOKEN),
                    dir.resolve("html")))
        .hasMessageContaining("/bundles/<64 lowercase hex");
  }

  private URI url(String digest) {
    return URI.create(
        "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/bundles/" + digest);
  }

  private Path token(String value) throws IOException {
    return Files.writeString(dir.resolve("token"), value + "\n");
  }
}
