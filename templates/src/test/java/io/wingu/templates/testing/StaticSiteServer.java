package io.wingu.templates.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;

/**
 * Serves a site's files from memory on 127.0.0.1, the way the site's web server would: paths as
 * they are, {@code index.html} for folders, 404 otherwise. For browser tests only.
 */
public final class StaticSiteServer implements AutoCloseable {

  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "json", "application/json",
          "svg", "image/svg+xml",
          "png", "image/png",
          "pdf", "application/pdf");

  private final HttpServer server;

  private StaticSiteServer(HttpServer server) {
    this.server = server;
  }

  public static StaticSiteServer serve(SortedMap<String, byte[]> files) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> respond(exchange, files));
    server.start();
    return new StaticSiteServer(server);
  }

  /** The URL of a file of the site, e.g. {@code url("sw/index.html")}. */
  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + path;
  }

  private static void respond(HttpExchange exchange, SortedMap<String, byte[]> files)
      throws IOException {
    String path = URI.create(exchange.getRequestURI().getRawPath()).getPath().substring(1);
    if (path.isEmpty() || path.endsWith("/")) {
      path = path + "index.html";
    }
    byte[] body = files.get(path);
    try (exchange;
        OutputStream out = exchange.getResponseBody()) {
      if (body == null) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      String extension = path.substring(path.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
      exchange
          .getResponseHeaders()
          .set("Content-Type", TYPES.getOrDefault(extension, "application/octet-stream"));
      exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
      exchange.sendResponseHeaders(200, body.length);
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
