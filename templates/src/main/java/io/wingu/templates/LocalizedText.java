package io.wingu.templates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/** A text given in both site languages. */
public record LocalizedText(String sw, String en) {

  public LocalizedText {
    Objects.requireNonNull(sw, "sw");
    Objects.requireNonNull(en, "en");
  }

  /** The same text in both languages, e.g. a proper name or a file title given once. */
  public static LocalizedText both(String text) {
    return new LocalizedText(text, text);
  }

  public String in(Language language) {
    return language == Language.SW ? sw : en;
  }

  /** Reads {@code {"sw": ..., "en": ...}}; a missing language is an error, not an empty string. */
  public static LocalizedText fromJson(JsonNode node, String field) {
    if (node == null
        || !node.isObject()
        || !node.path("sw").isTextual()
        || !node.path("en").isTextual()) {
      throw new IllegalArgumentException(
          field + ": expected an object with text fields 'sw' and 'en'");
    }
    return new LocalizedText(node.get("sw").asText(), node.get("en").asText());
  }

  public ObjectNode toJson() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("sw", sw);
    node.put("en", en);
    return node;
  }
}
