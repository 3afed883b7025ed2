package io.wingu.agent.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP request, one fully read answer, over {@link HttpURLConnection} (which keeps connections
 * alive between calls). Not java.net.http: measured on JDK 25, its client (selector thread, worker
 * pool, TLS set up even for http://) costs about 22 MB more resident memory than this, half of the
 * agent's budget.
 */
public final class SimpleHttp {

  /** Status and body; error bodies included. */
  public record Response(int status, byte[] body) {}

  private final int timeoutMillis;
  private final SSLSocketFactory tls;

  /**
   * @param tls trust for https (the cluster CA), or null for the JDK's default trust
   */
  public SimpleHttp(Duration timeout, SSLSocketFactory tls) {
    this.timeoutMillis = (int) timeout.toMillis();
    this.tls = tls;
  }

  public Response get(URI uri, Map<String, String> headers) throws IOException {
    return exchange("GET", uri, headers, null);
  }

  public Response post(URI uri, Map<String, String> headers, byte[] body) throws IOException {
    return exchange("POST", uri, headers, body);
  }

  private Response exchange(String method, URI uri, Map<String, String> headers, byte[] body)
      throws IOException {
    HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
    if (tls != null && connection instanceof HttpsURLConnection https) {
      https.setSSLSocketFactory(tls);
    }
    connection.setConnectTimeout(timeoutMillis);
    connection.setReadTimeout(timeoutMillis);
    connection.setUseCaches(false);
    connection.setInstanceFollowRedirects(false);
    connection.setRequestMethod(method);
    for (Map.Entry<String, String> header : headers.entrySet()) {
      connection.setRequestProperty(header.getKey(), header.getValue());
    }
    if (body != null) {
      connection.setDoOutput(true);
      connection.setFixedLengthStreamingMode(body.length);
      try (OutputStream out = connection.getOutputStream()) {
        out.write(body);
      }
    }
    int status = connection.getResponseCode();
    // reading the body to its end (and closing) is what returns the connection to the keep-alive
    // pool
    InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
    if (in == null) {
      return new Response(status, new byte[0]);
    }
    try (in) {
      return new Response(status, in.readAllBytes());
    }
  }
}
