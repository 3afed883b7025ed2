package io.wingu.templates;

import io.wingu.templates.archive.BundleArchive;
import io.wingu.templates.render.Bundle;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a site's init container runs: {@code FetchBundle <url> <token-file> <dir>}. Downloads the
 * bundle from {@code .../bundles/<digest>}, refuses it unless its SHA-256 is that digest, and
 * extracts it into {@code dir}. Exits 0 on success, 1 on any failure (the pod then retries).
 */
public final class FetchBundle {

  private static final Pattern DIGEST_IN_URL = Pattern.compile("/bundles/([0-9a-f]{64})/?$");
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private FetchBundle() {}

  public static void main(String[] args) {
    if (args.length != 3) {
      System.err.println("usage: FetchBundle <url ending in /bundles/<sha256>> <token-file> <dir>");
      System.exit(2);
    }
    try {
      int files = fetch(URI.create(args[0]), Path.of(args[1]), Path.of(args[2]));
      System.out.println("fetch-bundle: extracted " + files + " files into " + args[2]);
    } catch (IOException | RuntimeException e) {
      System.err.println("fetch-bundle: " + e.getMessage());
      System.exit(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      System.exit(1);
    }
  }

  /** Downloads, verifies and extracts; returns the number of files written. */
  public static int fetch(URI url, Path tokenFile, Path dir)
      throws IOException, InterruptedException {
    String digest = digestIn(url);
    String token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(TIMEOUT)
            .header("Authorization", "Bearer " + token)
            .GET()
            .build();
    HttpResponse<byte[]> response;
    try (HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(20))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build()) {
      response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }
    if (response.statusCode() != 200) {
      throw new IOException("GET " + url + " answered HTTP " + response.statusCode());
    }
    String actual = Bundle.sha256Hex(response.body());
    if (!actual.equals(digest)) {
      throw new IOException("bundle digest mismatch: asked for " + digest + ", received " + actual);
    }
    return BundleArchive.extract(new ByteArrayInputStream(response.body()), dir);
  }

  static String digestIn(URI url) {
    Matcher matcher = DIGEST_IN_URL.matcher(url.getPath() == null ? "" : url.getPath());
    if (!matcher.find()) {
      throw new IllegalArgumentException(
          "the URL must end in /bundles/<64 lowercase hex SHA-256>: " + url);
    }
    return matcher.group(1);
  }
}
