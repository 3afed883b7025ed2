package io.wingu.templates.render;

import com.fasterxml.jackson.databind.JsonNode;
import io.wingu.templates.Language;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Template parameters as Mustache sees them in one language: every {@code {sw, en}} object becomes
 * the plain text of that language, so page sources write {@code {{site.institution.name}}}.
 */
final class LocalizedParameters {

  private LocalizedParameters() {}

  static Object of(JsonNode node, Language language) {
    if (node.isObject()) {
      if (isLocalizedText(node)) {
        return node.get(language.code()).asText();
      }
      // sorted, so parameters stored with another key order (PostgreSQL jsonb does that) render
      // identically
      Map<String, Object> map = new TreeMap<>();
      node.properties().forEach(field -> map.put(field.getKey(), of(field.getValue(), language)));
      return map;
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      node.forEach(item -> list.add(of(item, language)));
      return list;
    }
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    if (node.isNumber()) {
      return node.numberValue();
    }
    return node.isNull() ? "" : node.asText();
  }

  private static boolean isLocalizedText(JsonNode node) {
    return node.size() == 2 && node.path("sw").isTextual() && node.path("en").isTextual();
  }
}
