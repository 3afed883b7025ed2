package io.wingu.controlplane.directory;

import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.app.Cursor;
import java.util.Optional;

/**
 * What a visitor asked the public directory: a free-text query (any text at all: it is cleaned,
 * never refused), a category and a region, the language names are sorted in, and where the page
 * starts.
 */
public record DirectorySearch(
    String q, String category, String region, String lang, String afterKey, String afterCode) {

  static final int MAX_QUERY_CHARS = 200;

  public DirectorySearch {
    q = cleanQuery(q);
    category = blankToNull(category);
    region = blankToNull(region);
    lang = "en".equals(lang) ? "en" : "sw";
  }

  /**
   * Control characters (NUL among them, which PostgreSQL refuses in text) become spaces; long
   * queries are cut.
   */
  static String cleanQuery(String q) {
    if (q == null) {
      return null;
    }
    String cleaned =
        q.codePoints()
            .map(cp -> Character.isISOControl(cp) ? ' ' : cp)
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
            .toString()
            .strip();
    if (cleaned.length() > MAX_QUERY_CHARS) {
      int end = MAX_QUERY_CHARS;
      if (Character.isHighSurrogate(cleaned.charAt(end - 1))) {
        end--;
      }
      cleaned = cleaned.substring(0, end);
    }
    return cleaned.isEmpty() ? null : cleaned;
  }

  /** Where the page starts: after the institution with this sort key and code, if given. */
  Optional<Cursor> after() {
    return afterKey == null || afterCode == null
        ? Optional.empty()
        : Optional.of(
            DirectoryService.CURSOR.cursor(
                new JsonObject().put("k", afterKey).put("c", afterCode)));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  /** The whole question, its starting point included, as a cache key. */
  String describe() {
    return String.join(
        "\u0001",
        String.valueOf(q),
        String.valueOf(category),
        String.valueOf(region),
        lang,
        String.valueOf(afterKey),
        String.valueOf(afterCode));
  }
}
