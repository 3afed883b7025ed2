package io.wingu.controlplane.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * An HTML form generated from a template's JSON Schema, and the parameters read back from it.
 * Objects become headed groups, strings text fields (long ones text areas, enumerations selects),
 * uploads (digest and file name) a picture to choose, arrays of objects one group per item with
 * buttons to move and remove it and one to add an item. Parts the form cannot express (alternatives
 * such as an SVG-or-upload logo) are not shown and keep their current value. Field names are the
 * API's field paths ({@code services[0].title.sw}), so the template's validation errors land next
 * to their fields; each field carries the template's example value at its place, shown as a
 * placeholder only. Whether the values fit is for the template to say.
 */
final class SchemaForm {

  private static final int LONG_TEXT = 200;

  /**
   * One line of the form: a heading of a group (of a list item when {@code list} is set), or a
   * field; {@code schema} is the field's own schema, {@code sample} the template's example.
   */
  record Row(
      boolean heading,
      int level,
      String name,
      String label,
      String kind,
      String value,
      List<Map<String, Object>> options,
      boolean required,
      String lang,
      String sample,
      JsonNode schema,
      ListItem item) {

    Map<String, Object> model(Map<String, String> errors) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("heading", heading);
      m.put("level", Math.min(level + 2, 4));
      m.put("name", name);
      m.put("id", id(name));
      m.put("label", label);
      m.put(kind, true);
      m.put("value", value);
      m.put("options", options);
      m.put("required", required);
      m.put("fieldLang", lang);
      m.put("sample", sample);
      m.put("error", errors.get(name));
      if (item != null) {
        m.put("item", item.model());
      }
      return m;
    }
  }

  /** An item of a list, for its move and remove buttons; {@code adds} marks the list's end. */
  record ListItem(String list, int index, int size, boolean adds, boolean canAdd) {
    Map<String, Object> model() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("list", list);
      m.put("index", index);
      m.put("number", index + 1);
      m.put("first", index == 0);
      m.put("last", index == size - 1);
      m.put("adds", adds);
      m.put("canAdd", canAdd);
      return m;
    }
  }

  /** The HTML id of a field named {@code name}. */
  static String id(String name) {
    return "p-" + name.replaceAll("[^A-Za-z0-9_-]", "-");
  }

  private final JsonNode root;
  private final Function<String, String> labels;

  /**
   * {@code labels}: the word for a label key in the page's language, or null when it has none; keys
   * are a property name ({@code title}), a property within its parent ({@code services.title},
   * which wins) and an enumeration's value ({@code defaultLanguage.sw}).
   */
  SchemaForm(JsonNode schema, Function<String, String> labels) {
    this.root = schema;
    this.labels = labels;
  }

  private String label(String parent, String name) {
    String own = parent == null ? null : labels.apply(parent + "." + name);
    if (own != null) {
      return own;
    }
    String plain = labels.apply(name);
    return plain == null ? name : plain;
  }

  /** All rows for {@code values} (the current parameters), with no samples. */
  List<Row> rows(JsonNode values) {
    return rows(values, null, null);
  }

  /**
   * The rows of the top-level {@code properties} (all when null) for {@code values}, each field
   * with the example's value at its place as its sample. Within a section the section's own name is
   * the page's heading, so its fields are labelled without it.
   */
  List<Row> rows(JsonNode values, JsonNode example, Collection<String> properties) {
    List<Row> rows = new ArrayList<>();
    JsonNode s = resolve(root);
    List<String> required = new ArrayList<>();
    s.path("required").forEach(r -> required.add(r.asText()));
    for (Iterator<Map.Entry<String, JsonNode>> it = s.path("properties").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> property = it.next();
      String name = property.getKey();
      if (properties != null && !properties.contains(name)) {
        continue;
      }
      JsonNode schema = resolve(property.getValue());
      boolean flat =
          properties != null
              && schema.path("type").asText().equals("object")
              && !isText(schema)
              && !isUpload(schema);
      if (flat) {
        walkObject(schema, child(values, name), child(example, name), name, "", name, 0, rows);
      } else {
        walk(
            property.getValue(),
            child(values, name),
            child(example, name),
            name,
            label(null, name),
            null,
            name,
            required.contains(name),
            0,
            rows);
      }
    }
    return rows;
  }

  /** The top-level property names of the schema, in order. */
  List<String> properties() {
    List<String> names = new ArrayList<>();
    resolve(root).path("properties").fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static JsonNode child(JsonNode node, String name) {
    return node == null ? null : node.get(name);
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
      JsonNode schema,
      JsonNode values,
      JsonNode example,
      String path,
      String label,
      String parent,
      int level,
      List<Row> rows) {
    JsonNode s = resolve(schema);
    List<String> required = new ArrayList<>();
    s.path("required").forEach(r -> required.add(r.asText()));
    for (Iterator<Map.Entry<String, JsonNode>> it = s.path("properties").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> property = it.next();
      String name = property.getKey();
      String childPath = path.isEmpty() ? name : path + "." + name;
      String word = label(parent, name);
      String childLabel = label.isEmpty() ? word : label + " – " + word;
      walk(
          property.getValue(),
          child(values, name),
          child(example, name),
          childPath,
          childLabel,
          parent,
          name,
          required.contains(name),
          level,
          rows);
    }
  }

  private void walk(
      JsonNode schema,
      JsonNode value,
      JsonNode example,
      String path,
      String label,
      String parent,
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
                    label + " (" + label(null, lang) + ")",
                    name,
                    leaf,
                    child(value, lang),
                    child(example, lang),
                    required,
                    lang));
          }
        } else if (isUpload(s)) {
          String digest = value == null ? "" : value.path("digest").asText("");
          rows.add(
              new Row(
                  false, 0, path, label, "image", digest, List.of(), required, null, "", s, null));
        } else {
          rows.add(group(level, path, label, required, null));
          walkObject(s, value, example, path, label, name, level + 1, rows);
        }
      }
      case "array" -> {
        JsonNode items = resolve(s.path("items"));
        int existing = value != null && value.isArray() ? value.size() : 0;
        int max = s.path("maxItems").asInt(50);
        String word = label(parent, name);
        rows.add(group(level, path, label, required, null));
        for (int i = 0; i < existing; i++) {
          String itemLabel = label(name, "item") + " " + (i + 1);
          if (itemLabel.startsWith("item ")) {
            itemLabel = word + " " + (i + 1);
          }
          JsonNode sample =
              example != null && example.isArray() && example.size() > 0
                  ? example.get(Math.min(i, example.size() - 1))
                  : null;
          ListItem item = new ListItem(path, i, existing, false, false);
          String itemPath = path + "[" + i + "]";
          if (isText(items) || !items.path("type").asText().equals("object")) {
            rows.add(group(level + 1, itemPath, itemLabel, false, item));
            walk(
                items,
                value.get(i),
                sample,
                itemPath,
                itemLabel,
                parent,
                name,
                true,
                level + 1,
                rows);
          } else {
            rows.add(group(level + 1, itemPath, itemLabel, false, item));
            walkObject(items, value.get(i), sample, itemPath, itemLabel, name, level + 2, rows);
          }
        }
        // the list's end: where its add button goes
        rows.add(
            new Row(
                true,
                level,
                path,
                word,
                "listEnd",
                "",
                List.of(),
                false,
                null,
                "",
                null,
                new ListItem(path, -1, existing, true, existing < max)));
      }
      default -> rows.add(field(path, label, name, s, value, example, required, null));
    }
  }

  private static Row group(int level, String path, String label, boolean required, ListItem item) {
    return new Row(
        true, level, path, label, "group", "", List.of(), required, null, "", null, item);
  }

  /** A bilingual text: an object of exactly the sw and en strings. */
  private boolean isText(JsonNode s) {
    JsonNode props = resolve(s).path("properties");
    return props.size() == 2 && props.has("sw") && props.has("en");
  }

  /** An uploaded file: an object of its digest and file name. */
  private boolean isUpload(JsonNode s) {
    JsonNode props = resolve(s).path("properties");
    return props.has("digest") && props.has("fileName");
  }

  private Row field(
      String path,
      String label,
      String name,
      JsonNode s,
      JsonNode value,
      JsonNode example,
      boolean required,
      String lang) {
    String text = text(value);
    String sample = text(example);
    if (s.has("enum")) {
      List<Map<String, Object>> options = new ArrayList<>();
      options.add(Map.of("value", "", "label", "–", "selected", text.isEmpty()));
      s.get("enum")
          .forEach(
              e ->
                  options.add(
                      Map.of(
                          "value",
                          e.asText(),
                          "label",
                          label(name, e.asText()),
                          "selected",
                          e.asText().equals(text))));
      return new Row(false, 0, path, label, "select", text, options, required, lang, "", s, null);
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
          lang,
          "",
          s,
          null);
    }
    boolean longText = s.path("maxLength").asInt(0) > LONG_TEXT;
    return new Row(
        false,
        0,
        path,
        label,
        longText ? "textarea" : "text",
        text,
        List.of(),
        required,
        lang,
        sample,
        s,
        null);
  }

  private static String text(JsonNode value) {
    return value == null || value.isNull() || value.isContainerNode()
        ? ""
        : value.isTextual() ? value.asText() : value.toString();
  }

  /**
   * The parameters a submitted form of the top-level {@code properties} gives: {@code base} (what
   * the form was built from) with every field of the form set from the answers; empty answers leave
   * the value out and groups left wholly empty are dropped, but a list keeps every item shown (an
   * empty one is an item still to fill: only its remove button takes it away). Pictures are not
   * read here: they keep their value.
   */
  JsonNode read(RoutingContext ctx, JsonNode base, Collection<String> properties) {
    ObjectNode out =
        base != null && base.isObject()
            ? (ObjectNode) base.deepCopy()
            : JsonNodeFactory.instance.objectNode();
    for (Row row : rows(out, null, properties)) {
      if (row.heading() || row.kind().equals("image")) {
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
    keepItems(out);
    return out;
  }

  /** All rows' answers, as {@link #read(RoutingContext, JsonNode, Collection)} of every part. */
  JsonNode read(RoutingContext ctx, JsonNode base) {
    return read(ctx, base, null);
  }

  /**
   * Applies a list button: {@code add:services}, {@code remove:services:2}, {@code up:services:2}
   * or {@code down:services:2}; false when {@code op} is none of them.
   */
  static boolean applyListOp(ObjectNode values, String op) {
    String[] parts = op.split(":");
    if (parts.length < 2 || !parts[1].matches("[A-Za-z][A-Za-z0-9]{0,40}")) {
      return false;
    }
    JsonNode found = values.get(parts[1]);
    ArrayNode list = found instanceof ArrayNode a ? a : JsonNodeFactory.instance.arrayNode();
    if (parts[0].equals("add") && parts.length == 2) {
      list.addObject();
      values.set(parts[1], list);
      return true;
    }
    if (parts.length != 3 || !parts[2].matches("\\d{1,3}")) {
      return false;
    }
    int i = Integer.parseInt(parts[2]);
    if (i >= list.size()) {
      return false;
    }
    switch (parts[0]) {
      case "remove" -> list.remove(i);
      case "up" -> {
        if (i > 0) {
          JsonNode moved = list.remove(i);
          list.insert(i - 1, moved);
        }
      }
      case "down" -> {
        if (i < list.size() - 1) {
          JsonNode moved = list.remove(i);
          list.insert(i + 1, moved);
        }
      }
      default -> {
        return false;
      }
    }
    if (list.isEmpty()) {
      values.remove(parts[1]);
    }
    return true;
  }

  /**
   * Prunes like {@link #prune} but keeps each list's items, an emptied one as {@code {}}: the list
   * is as long as the form showed it.
   */
  static void keepItems(JsonNode node) {
    if (node instanceof ObjectNode object) {
      removeFieldsWhere(
          object,
          e -> {
            JsonNode v = e.getValue();
            if (v instanceof ArrayNode array) {
              for (int i = 0; i < array.size(); i++) {
                JsonNode item = array.get(i);
                if (item.isContainerNode()) {
                  prune(item);
                } else if (item.isNull()) {
                  array.set(i, JsonNodeFactory.instance.objectNode());
                }
              }
              return array.isEmpty();
            }
            if (v instanceof ObjectNode) {
              keepItems(v);
              return v.isEmpty();
            }
            return v == null || v.isNull();
          });
    }
  }

  /**
   * Visits every field of {@code object} with {@code drop} (which may change the value), then
   * removes those it answered true for.
   */
  private static void removeFieldsWhere(
      ObjectNode object, java.util.function.Predicate<Map.Entry<String, JsonNode>> drop) {
    List<String> dropped = new ArrayList<>();
    object
        .fields()
        .forEachRemaining(
            e -> {
              if (drop.test(e)) {
                dropped.add(e.getKey());
              }
            });
    object.remove(dropped);
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
      removeFieldsWhere(object, e -> prune(e.getValue()));
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
