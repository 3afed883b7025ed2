package io.wingu.controlplane.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Calls the REST API as one caller (anonymous, or signed in with a token). */
public final class ApiClient {

  /** What came back. */
  public record Response(int status, String body, HttpResponse<String> raw) {
    public JsonObject json() {
      return new JsonObject(body);
    }

    public JsonArray array() {
      return new JsonArray(body);
    }

    public String contentType() {
      return raw.headers().firstValue("Content-Type").orElse("");
    }
  }

  private final URI base;
  private final String token;

  /** Null for the suite's shared client. */
  private final java.net.http.HttpClient client;

  private ApiClient(URI base, String token) {
    this(base, token, null);
  }

  private ApiClient(URI base, String token, java.net.http.HttpClient client) {
    this.base = base;
    this.token = token;
    this.client = client;
  }

  /**
   * The same caller, connecting from {@code loopbackAddress} (any of 127.0.0.0/8) to the server's
   * 127.0.0.1: how tests play clients at different addresses.
   */
  public ApiClient from(String loopbackAddress) {
    try {
      var http =
          java.net.http.HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(5))
              .localAddress(java.net.InetAddress.getByName(loopbackAddress))
              .build();
      URI ipv4 = URI.create("http://127.0.0.1:" + base.getPort() + "/");
      return new ApiClient(ipv4, token, http);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  public static ApiClient anonymous(URI base) {
    return new ApiClient(base, null);
  }

  public static ApiClient withToken(URI base, String token) {
    return new ApiClient(base, token);
  }

  /** Signs in and returns a client carrying the token; fails the test if sign-in fails. */
  public static ApiClient signIn(URI base, String username, String password) {
    Response r =
        anonymous(base)
            .post(
                "/api/v1/auth/login",
                new JsonObject().put("username", username).put("password", password));
    if (r.status() != 200) {
      throw new AssertionError(
          "sign-in of " + username + " failed: " + r.status() + " " + r.body());
    }
    return new ApiClient(base, r.json().getString("accessToken"));
  }

  public URI base() {
    return base;
  }

  public String token() {
    return token;
  }

  public Response get(String path) {
    return send(builder(path).GET());
  }

  public Response getAccepting(String path, String accept) {
    return send(builder(path).header("Accept", accept).GET());
  }

  public Response put(String path, JsonObject body) {
    return send(
        builder(path)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(body.encode())));
  }

  public Response delete(String path) {
    return send(builder(path).DELETE());
  }

  /** POST multipart/form-data: one file part, and text parts for {@code fields}. */
  public Response postFile(
      String path,
      String part,
      String fileName,
      String contentType,
      byte[] bytes,
      java.util.Map<String, String> fields) {
    String boundary = "wingu-test-" + java.util.UUID.randomUUID();
    var body = new java.io.ByteArrayOutputStream();
    java.nio.charset.Charset utf8 = java.nio.charset.StandardCharsets.UTF_8;
    fields.forEach(
        (name, value) ->
            body.writeBytes(
                ("--"
                        + boundary
                        + "\r\nContent-Disposition: form-data; name=\""
                        + name
                        + "\"\r\n\r\n"
                        + value
                        + "\r\n")
                    .getBytes(utf8)));
    body.writeBytes(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\""
                + part
                + "\"; filename=\""
                + fileName
                + "\"\r\nContent-Type: "
                + contentType
                + "\r\n\r\n")
            .getBytes(utf8));
    body.writeBytes(bytes);
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(utf8));
    return send(
        builder(path)
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
  }

  /** GET with the given headers, the body as bytes. */
  public HttpResponse<byte[]> getBytes(String path, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).GET();
    if (headers.length > 0) {
      b.headers(headers);
    }
    return Http.sendForBytes(b.build());
  }

  /** DELETE; returns the status. */
  public int send(String path) {
    return send(builder(path).DELETE()).status();
  }

  public Response post(String path, JsonObject body) {
    return postRaw(path, body == null ? "" : body.encode(), "application/json");
  }

  public Response postRaw(String path, String body, String contentType) {
    return send(
        builder(path)
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private HttpRequest.Builder builder(String path) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  private Response send(HttpRequest.Builder b) {
    HttpResponse<String> r = client == null ? Http.send(b.build()) : sendWithOwnClient(b.build());
    return new Response(r.statusCode(), r.body(), r);
  }

  private HttpResponse<String> sendWithOwnClient(HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
