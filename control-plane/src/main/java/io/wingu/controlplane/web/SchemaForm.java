package io.wingu.controlplane.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * An HTML form generated from a template's JSON Schema, and the parameters read back from it.
 * Objects become headed groups, strings text fields (long ones text areas, enumerations selects),
 * arrays of objects one group per item plus an empty one to add. Parts the form cannot express
 * (alternatives such as an SVG-or-upload logo) are not shown and keep their current value. Field
 * names are the API's field paths ({@code services[0].title.sw}), so the template's validation
 * errors land next to their fields. Whether the values fit is for the template to say.
 */
final class SchemaForm {

  private static final int LONG_TEXT = 200;

  /** One line of the form: a heading of a group, or a field. */
  record Row(
      boolean heading,
      int level,
      String name,
      String label,
      String kind,
      String value,
      List<Map<String, Object>> options,
      boolean required,
      String lang) {

    Map<String, Object> model(Map<String, String> errors) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("heading", heading);
      m.put("level", Math.min(level + 2, 4));
      m.put("name", name);
      m.put("id", "p-" + name.replaceAll("[^A-Za-z0-9_-]", "-"));
      m.put("label", label);
      m.put(kind, true);
      m.put("value", value);
      m.put("options", options);
      m.put("required", required);
      m.put("fieldLang", lang);
      m.put("error", errors.get(name));
      return m;
    }
  }

  private final JsonNode root;
  private final Function<String, String> labels;

  /** {@code labels}: the word for a property name in the page's language. */
  SchemaForm(JsonNode schema, Function<String, String> labels) {
    this.root = schema;
    this.labels = labels;
  }

  /** The rows for {@code values} (the current parameters, or the template's example). */
  List<Row> rows(JsonNode values) {
    List<Row> rows = new ArrayList<>();
    walkObject(root, values, "", "", 0, rows);
    return rows;
  }

  private JsonNode resolve(JsonNode schema) {
    JsonNode s = schema;
    for (int hops = 0;
        s.has("$ref") && s.get("$ref").asText().startsWith("#/") && hops < 20;
        hops++) {
      s = root.at(s.get("$ref").asText().substring(1));
    }
    return s;
  }

  private void walkObject(
      JsonNode schema, JsonNode values, String path, String label, int level, List<Row> rows) {
    JsonNode s = resolve(schema);
    List<String> required = new ArrayList<>();
    s.path("required").forEach(r -> required.add(r.asText()));
    for (Iterator<Map.Entry<String, JsonNode>> it = s.path("properties").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> property = it.next();
      String name = property.getKey();
      String childPath = path.isEmpty() ? name : path + "." + name;
      String childLabel = label.isEmpty() ? labels.apply(name) : label + " – " + labels.apply(name);
      walk(
          property.getValue(),
          values == null ? null : values.get(name),
          childPath,
          childLabel,
          name,
          required.contains(name),
          level,
          rows);
    }
  }

  private void walk(
      JsonNode schema,
      JsonNode value,
      String path,
      String label,
      String name,
      boolean required,
      int level,
      List<Row> rows) {
    JsonNode s = resolve(schema);
    if (s.has("oneOf") || s.has("anyOf")) {
      return;
    }
    String type = s.path("type").asText("");
    switch (type) {
      case "object" -> {
        if (isText(s)) {
          for (String lang : List.of("sw", "en")) {
            JsonNode leaf = resolve(s.path("properties").path(lang));
            rows.add(
                field(
                    path + "." + lang,
                    label + " (" + labels.apply(lang) + ")",
                    leaf,
                    value == null ? null : value.get(lang),
                    required,
                    lang));
          }
        } else {
          rows.add(new Row(true, level, path, label, "group", "", List.of(), required, null));
          walkObject(s, value, path, label, level + 1, rows);
        }
      }
      case "array" -> {
        JsonNode items = resolve(s.path("items"));
        int existing = value != null && value.isArray() ? value.size() : 0;
        int max = s.path("maxItems").asInt(50);
        rows.add(new Row(true, level, path, label, "group", "", List.of(), required, null));
        for (int i = 0; i < Math.min(existing + 1, max); i++) {
          String itemLabel = labels.apply(name) + " " + (i + 1);
          walk(
              items,
              i < existing ? value.get(i) : null,
              path + "[" + i + "]",
              itemLabel,
              name,
              false,
              level + 1,
              rows);
        }
      }
      default -> rows.add(field(path, label, s, value, required, null));
    }
  }

  /** A bilingual text: an object of exactly the sw and en strings. */
  private boolean isText(JsonNode s) {
    JsonNode props = s.path("properties");
    return props.size() == 2 && props.has("sw") && props.has("en");
  }

  private Row field(
      String path, String label, JsonNode s, JsonNode value, boolean required, String lang) {
    String text =
        value == null || value.isNull()
            ? ""
            : value.isTextual() ? value.asText() : value.toString();
    if (s.has("enum")) {
      List<Map<String, Object>> options = new ArrayList<>();
      if (!required) {
        options.add(Map.of("value", "", "label", "–", "selected", text.isEmpty()));
      }
      s.get("enum")
          .forEach(
              e ->
                  options.add(
                      Map.of(
                          "value",
                          e.asText(),
                          "label",
                          e.asText(),
                          "selected",
                          e.asText().equals(text))));
      return new Row(false, 0, path, label, "select", text, options, required, lang);
    }
    if (s.path("type").asText().equals("boolean")) {
      return new Row(
          false,
          0,
          path,
          label,
          "checkbox",
          value != null && value.asBoolean() ? "true" : "",
          List.of(),
          required,
          lang);
    }
    boolean longText = s.path("maxLength").asInt(0) > LONG_TEXT;
    return new Row(
        false, 0, path, label, longText ? "textarea" : "text", text, List.of(), required, lang);
  }

  /**
   * The parameters a submitted form gives: {@code base} (what the form was built from) with every
   * field of the form set from the answers; empty answers leave the value out, and items or groups
   * left wholly empty are dropped.
   */
  JsonNode read(RoutingContext ctx, JsonNode base) {
    ObjectNode out =
        base != null && base.isObject()
            ? (ObjectNode) base.deepCopy()
            : JsonNodeFactory.instance.objectNode();
    for (Row row : rows(out)) {
      if (row.heading()) {
        continue;
      }
      String answer = Form.value(ctx, row.name());
      JsonNode value;
      if (row.kind().equals("checkbox")) {
        value = answer.isEmpty() ? null : JsonNodeFactory.instance.booleanNode(true);
      } else {
        value = answer.isEmpty() ? null : JsonNodeFactory.instance.textNode(answer);
      }
      set(out, row.name(), value);
    }
    prune(out);
    return out;
  }

  /** Sets (or with null removes) the value at a field path such as {@code services[1].title.sw}. */
  static void set(ObjectNode root, String path, JsonNode value) {
    List<Object> steps = new ArrayList<>();
    for (String part : path.split("\\.")) {
      int bracket = part.indexOf('[');
      steps.add(bracket < 0 ? part : part.substring(0, bracket));
      while (bracket >= 0) {
        int close = part.indexOf(']', bracket);
        steps.add(Integer.parseInt(part.substring(bracket + 1, close)));
        bracket = part.indexOf('[', close);
      }
    }
    JsonNode node = root;
    for (int i = 0; i < steps.size() - 1; i++) {
      Object step = steps.get(i);
      Object next = steps.get(i + 1);
      JsonNode child =
          step instanceof Integer n
              ? (n < node.size() ? node.get(n) : null)
              : node.get((String) step);
      if (child == null || child.isNull()) {
        if (value == null) {
          return;
        }
        child =
            next instanceof Integer
                ? JsonNodeFactory.instance.arrayNode()
                : JsonNodeFactory.instance.objectNode();
        if (step instanceof Integer n) {
          ArrayNode array = (ArrayNode) node;
          while (array.size() < n) {
            array.addObject();
          }
          array.add(child);
        } else {
          ((ObjectNode) node).set((String) step, child);
        }
      }
      node = child;
    }
    Object last = steps.get(steps.size() - 1);
    if (last instanceof Integer n) {
      ArrayNode array = (ArrayNode) node;
      if (value != null) {
        while (array.size() <= n) {
          array.addNull();
        }
        array.set(n, value);
      } else if (n < array.size()) {
        array.set(n, JsonNodeFactory.instance.nullNode());
      }
    } else if (value == null) {
      ((ObjectNode) node).remove((String) last);
    } else {
      ((ObjectNode) node).set((String) last, value);
    }
  }

  /** Drops empty objects, null and empty items, and arrays left empty. */
  static boolean prune(JsonNode node) {
    if (node instanceof ObjectNode object) {
      List<String> empty = new ArrayList<>();
      object
          .fields()
          .forEachRemaining(
              e -> {
                if (prune(e.getValue())) {
                  empty.add(e.getKey());
                }
              });
      object.remove(empty);
      return object.isEmpty();
    }
    if (node instanceof ArrayNode array) {
      for (int i = array.size() - 1; i >= 0; i--) {
        if (prune(array.get(i))) {
          array.remove(i);
        }
      }
      return array.isEmpty();
    }
    return node == null || node.isNull();
  }
}
