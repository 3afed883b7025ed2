package io.wingu.templates.render;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/** The words of localized parameters worth finding in the site search (names, services, places). */
final class SearchText {

  /** Technical fields that visitors never search for. */
  private static final Set<String> SKIPPED =
      Set.of(
          "svg",
          "digest",
          "fileName",
          "palette",
          "target",
          "defaultLanguage",
          "email",
          "phone",
          "asset",
          "photo",
          "logo");

  private SearchText() {}

  static String of(Object value) {
    StringJoiner text = new StringJoiner(" ");
    collect(value, text);
    return text.toString().replaceAll("\\s+", " ").strip();
  }

  private static void collect(Object value, StringJoiner text) {
    if (value instanceof Map<?, ?> map) {
      map.forEach(
          (key, item) -> {
            if (!SKIPPED.contains(String.valueOf(key))) {
              collect(item, text);
            }
          });
    } else if (value instanceof List<?> list) {
      list.forEach(item -> collect(item, text));
    } else if (value instanceof String string && !string.isBlank()) {
      text.add(string);
    }
  }
}
