package io.wingu.controlplane.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * A browser without JavaScript: fetches console pages, keeps cookies, fills and submits the pages'
 * own HTML forms (hidden fields, checked choices and selected options included) and follows the 303
 * redirects of POST-redirect-GET. What it can do, a visitor with JavaScript off can do.
 */
final class ConsoleClient {

  /** One answer: status, the page, and the response for its headers. */
  record Page(int status, Document document, HttpResponse<String> response) {
    String text() {
      return document.text();
    }
  }

  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private final Map<String, String> cookies = new LinkedHashMap<>();
  private String acceptLanguage = "en";
  private final List<String> setCookieHeaders = new java.util.ArrayList<>();
  private Page current;

  ConsoleClient(URI base) {
    this.base = base;
  }

  ConsoleClient acceptLanguage(String header) {
    this.acceptLanguage = header;
    return this;
  }

  Map<String, String> cookies() {
    return cookies;
  }

  Page current() {
    return current;
  }

  Page get(String path) {
    return follow(send(HttpRequest.newBuilder(base.resolve(path)).GET()));
  }

  /** POSTs exactly these fields (no form of a page involved): how a forged request looks. */
  Page postRaw(String path, Map<String, String> fields) {
    return follow(
        send(
            HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encode(fields)))));
  }

  /** Signs in through the form at /login. */
  Page signIn(String username, String password) {
    get("/login");
    return submit("form[action=/login]", Map.of("username", username, "password", password));
  }

  /**
   * Submits the current page's form matching {@code selector} with {@code answers} over its own
   * values; a key naming a submit button's {@code name=value} pair (e.g. "action=change") presses
   * it.
   */
  Page submit(String selector, Map<String, String> answers) {
    Element form = form(selector);
    Map<String, String> fields = fields(form, answers);
    String action = form.attr("action");
    if (form.attr("method").equalsIgnoreCase("get")) {
      return get(current.response().uri().resolve(action) + "?" + encode(fields));
    }
    return follow(
        send(
            HttpRequest.newBuilder(current.response().uri().resolve(action))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encode(fields)))));
  }

  /**
   * Submits like {@link #submit} but returns the raw answer without following a redirect (whose
   * Location may name another site), waiting at most 20 s for it.
   */
  HttpResponse<String> submitWithoutFollowing(String selector, Map<String, String> answers) {
    Element form = form(selector);
    return send(
        HttpRequest.newBuilder(current.response().uri().resolve(form.attr("action")))
            .timeout(java.time.Duration.ofSeconds(20))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(encode(fields(form, answers)))));
  }

  /**
   * Submits the current page's multipart form matching {@code selector} as a browser does: its
   * fields with {@code answers} over them, and {@code bytes} as the file chosen in {@code
   * fileField}.
   */
  Page submitFile(
      String selector,
      Map<String, String> answers,
      String fileField,
      String fileName,
      byte[] bytes) {
    Element form = form(selector);
    if (!form.attr("enctype").equals("multipart/form-data")) {
      throw new AssertionError("the form " + selector + " does not send files");
    }
    String boundary = "----console-client-" + System.nanoTime();
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    fields(form, answers)
        .forEach(
            (name, value) -> {
              if (!name.equals(fileField)) {
                body.writeBytes(
                    ("--"
                            + boundary
                            + "\r\nContent-Disposition: form-data; name=\""
                            + name
                            + "\"\r\n\r\n"
                            + value
                            + "\r\n")
                        .getBytes(StandardCharsets.UTF_8));
              }
            });
    body.writeBytes(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\""
                + fileField
                + "\"; filename=\""
                + fileName
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    body.writeBytes(bytes);
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return follow(
        send(
            HttpRequest.newBuilder(current.response().uri().resolve(form.attr("action")))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))));
  }

  private Element form(String selector) {
    Element form = current.document().selectFirst(selector);
    if (form == null) {
      throw new AssertionError(
          "no form " + selector + " on " + current.response().uri() + ":\n" + current.text());
    }
    return form;
  }

  /**
   * The form's own values (hidden fields, checked choices, selected options) with {@code answers}
   * over them.
   */
  private static Map<String, String> fields(Element form, Map<String, String> answers) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (Element input : form.select("input, textarea, select")) {
      String name = input.attr("name");
      String type = input.attr("type");
      if (name.isEmpty() || type.equals("submit")) {
        continue;
      }
      if ((type.equals("radio") || type.equals("checkbox")) && !input.hasAttr("checked")) {
        continue;
      }
      if (input.tagName().equals("textarea")) {
        fields.put(name, input.wholeText());
      } else if (input.tagName().equals("select")) {
        Element selected = input.selectFirst("option[selected]");
        fields.put(name, selected == null ? "" : selected.attr("value"));
      } else {
        fields.put(name, input.attr("value"));
      }
    }
    answers.forEach(
        (name, value) -> {
          if (value == null) {
            fields.remove(name);
          } else {
            fields.put(name, value);
          }
        });
    return fields;
  }

  private static String encode(Map<String, String> fields) {
    return fields.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    request.header("Accept-Language", acceptLanguage);
    if (!cookies.isEmpty()) {
      request.header(
          "Cookie",
          cookies.entrySet().stream()
              .map(e -> e.getKey() + "=" + e.getValue())
              .collect(Collectors.joining("; ")));
    }
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      for (String header : response.headers().allValues("Set-Cookie")) {
        setCookieHeaders.add(header);
        String pair = header.split(";", 2)[0];
        int eq = pair.indexOf('=');
        String name = pair.substring(0, eq).trim();
        String value = pair.substring(eq + 1).trim();
        if (value.isEmpty() || header.toLowerCase().contains("max-age=0")) {
          cookies.remove(name);
        } else {
          cookies.put(name, value);
        }
      }
      return response;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private Page follow(HttpResponse<String> response) {
    HttpResponse<String> r = response;
    for (int hops = 0; r.statusCode() == 303 || r.statusCode() == 302; hops++) {
      if (hops > 5) {
        throw new AssertionError("too many redirects at " + r.uri());
      }
      URI next = r.uri().resolve(r.headers().firstValue("Location").orElseThrow());
      r = send(HttpRequest.newBuilder(next).GET());
    }
    current = new Page(r.statusCode(), Jsoup.parse(r.body(), r.uri().toString()), r);
    return current;
  }

  /**
   * The last Set-Cookie header for {@code name} this client received, for checking its attributes.
   */
  String lastSetCookie(String name) {
    for (int i = setCookieHeaders.size() - 1; i >= 0; i--) {
      if (setCookieHeaders.get(i).startsWith(name + "=")) {
        return setCookieHeaders.get(i);
      }
    }
    return "";
  }
}
