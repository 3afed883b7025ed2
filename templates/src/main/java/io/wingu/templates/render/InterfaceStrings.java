package io.wingu.templates.render;

import io.wingu.templates.Language;
import io.wingu.templates.catalog.Template;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The catalogue's interface strings in one language. Keys such as {@code nav.about} are also nested
 * ({@code nav -> about}) because Mustache reads {@code {{t.nav.about}}} as a path.
 */
final class InterfaceStrings {

  private final Map<String, String> flat = new LinkedHashMap<>();
  private final Map<String, Object> nested = new LinkedHashMap<>();

  InterfaceStrings(Template template, Language language) {
    template
        .strings()
        .forEach(
            (key, text) -> {
              String value = text.in(language);
              flat.put(key, value);
              put(nested, key.split("\\."), value);
            });
  }

  String get(String key) {
    String value = flat.get(key);
    if (value == null) {
      throw new IllegalStateException("the catalogue's strings.yaml has no '" + key + "'");
    }
    return value;
  }

  /** The model for {@code {{t.*}}}. */
  Map<String, Object> forMustache() {
    return nested;
  }

  @SuppressWarnings("unchecked")
  private static void put(Map<String, Object> map, String[] path, String value) {
    Map<String, Object> current = map;
    for (int i = 0; i < path.length - 1; i++) {
      current =
          (Map<String, Object>)
              current.computeIfAbsent(path[i], key -> new LinkedHashMap<String, Object>());
    }
    current.put(path[path.length - 1], value);
  }
}
