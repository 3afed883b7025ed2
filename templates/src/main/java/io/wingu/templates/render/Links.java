package io.wingu.templates.render;

import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * Links from one page to other files of the bundle, always relative, so a site works from any host,
 * sub-path or a plain folder. A preview shows one page on its own, so there images are embedded as
 * data: URIs instead.
 */
final class Links {

  private final String root;
  private final Map<String, byte[]> embedded;

  /**
   * @param pagePath the linking page's path in the bundle, e.g. {@code sw/news/index.html}
   */
  Links(String pagePath, Map<String, byte[]> embedded) {
    this.root = "../".repeat((int) pagePath.chars().filter(c -> c == '/').count());
    this.embedded = embedded;
  }

  String root() {
    return root;
  }

  String to(String bundlePath) {
    if (bundlePath == null) {
      return null;
    }
    byte[] bytes = embedded.get(bundlePath);
    if (bytes != null) {
      return "data:"
          + mediaType(bundlePath)
          + ";base64,"
          + Base64.getEncoder().encodeToString(bytes);
    }
    return root + bundlePath;
  }

  private static String mediaType(String path) {
    String lower = path.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".svg")) {
      return "image/svg+xml";
    }
    if (lower.endsWith(".png")) {
      return "image/png";
    }
    if (lower.endsWith(".webp")) {
      return "image/webp";
    }
    return "image/jpeg";
  }
}
