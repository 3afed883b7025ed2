package io.wingu.templates.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Templates write {@code $ref: "shared#/$defs/<name>"} to reuse the catalogue's common parameter
 * definitions. The schema served to clients must stand alone, so the shared definitions are copied
 * into the template's own {@code $defs} and the references rewritten to {@code #/$defs/<name>}.
 */
final class SharedSchemaRefs {

  private static final String PREFIX = "shared#/$defs/";

  private SharedSchemaRefs() {}

  record Inlined(JsonNode schema, Set<String> unknown) {}

  static Inlined inline(JsonNode parameters, JsonNode sharedDefs) {
    JsonNode schema = parameters.deepCopy();
    Set<String> used = new TreeSet<>();
    rewrite(schema, used);
    Set<String> unknown = new TreeSet<>();
    if (!used.isEmpty() && schema.isObject()) {
      used.stream()
          .filter(name -> !sharedDefs.has(name))
          .forEach(name -> unknown.add(PREFIX + name));
      ObjectNode defs = ((ObjectNode) schema).withObject("/$defs");
      // shared definitions may refer to one another, so all of them come along; the template's own
      // win
      for (Map.Entry<String, JsonNode> def : sharedDefs.properties()) {
        if (!defs.has(def.getKey())) {
          defs.set(def.getKey(), def.getValue().deepCopy());
        }
      }
    }
    return new Inlined(schema, unknown);
  }

  private static void rewrite(JsonNode node, Set<String> used) {
    if (node.isObject()) {
      ObjectNode object = (ObjectNode) node;
      JsonNode ref = object.get("$ref");
      if (ref != null && ref.isTextual() && ref.asText().startsWith(PREFIX)) {
        String name = ref.asText().substring(PREFIX.length());
        used.add(name);
        object.set("$ref", TextNode.valueOf("#/$defs/" + name));
      }
    }
    node.forEach(child -> rewrite(child, used));
  }
}
