package io.wingu.templates.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.wingu.templates.LocalizedText;
import io.wingu.templates.content.ContentJson;
import io.wingu.templates.content.SiteContent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What every template of a catalogue shares: the {@code _shared/} files, the accessible palettes,
 * the interface strings in both languages, the common parameter definitions and example content.
 */
record SharedResources(
    SortedMap<String, byte[]> files,
    Palettes palettes,
    Map<String, LocalizedText> strings,
    JsonNode schemaDefs,
    SiteContent exampleContent) {

  static final String STRINGS = "strings.yaml";
  static final String PARAMETERS = "parameters.yaml";
  static final String EXAMPLE_CONTENT = "example-content.yaml";

  static SharedResources read(SortedMap<String, byte[]> files, List<LoadError> errors) {
    Palettes palettes = Palettes.read(files.get("palettes.yaml"), errors);
    Map<String, LocalizedText> strings = readStrings(files.get(STRINGS), errors);
    JsonNode defs = readSchemaDefs(files.get(PARAMETERS), palettes, errors);
    SiteContent example = readExampleContent(files.get(EXAMPLE_CONTENT), errors);
    return new SharedResources(files, palettes, strings, defs, example);
  }

  private static Map<String, LocalizedText> readStrings(byte[] yaml, List<LoadError> errors) {
    SortedMap<String, LocalizedText> strings = new TreeMap<>();
    JsonNode root = parse(yaml, STRINGS, errors);
    root.properties()
        .forEach(
            entry -> {
              try {
                strings.put(
                    entry.getKey(), LocalizedText.fromJson(entry.getValue(), entry.getKey()));
              } catch (IllegalArgumentException e) {
                errors.add(new LoadError(file(STRINGS), "/" + entry.getKey(), e.getMessage()));
              }
            });
    return Collections.unmodifiableSortedMap(strings);
  }

  /** The shared {@code $defs}; the palette enum there must name exactly the palettes that exist. */
  private static JsonNode readSchemaDefs(byte[] yaml, Palettes palettes, List<LoadError> errors) {
    JsonNode defs = parse(yaml, PARAMETERS, errors).path("$defs");
    if (!defs.isObject()) {
      errors.add(
          new LoadError(file(PARAMETERS), "/$defs", "must be an object of shared definitions"));
      return JsonNodeFactory.instance.objectNode();
    }
    List<String> named = new ArrayList<>();
    defs.path("palette").path("enum").forEach(value -> named.add(value.asText()));
    Collections.sort(named);
    List<String> existing = List.copyOf(palettes.all().keySet());
    if (!named.equals(existing)) {
      errors.add(
          new LoadError(
              file(PARAMETERS),
              "/$defs/palette/enum",
              "must list exactly the accessible palettes " + existing + ", found " + named));
    }
    return defs;
  }

  private static SiteContent readExampleContent(byte[] yaml, List<LoadError> errors) {
    JsonNode root = parse(yaml, EXAMPLE_CONTENT, errors);
    if (root.isEmpty()) {
      return SiteContent.empty();
    }
    try {
      return ContentJson.read(root);
    } catch (IllegalArgumentException e) {
      errors.add(new LoadError(file(EXAMPLE_CONTENT), "", e.getMessage()));
      return SiteContent.empty();
    }
  }

  private static JsonNode parse(byte[] yaml, String name, List<LoadError> errors) {
    if (yaml == null) {
      errors.add(new LoadError(file(name), "", "the file is missing"));
      return JsonNodeFactory.instance.objectNode();
    }
    try {
      return Yaml.parse(yaml);
    } catch (IOException e) {
      errors.add(new LoadError(file(name), "", "not valid YAML: " + e.getMessage()));
      return JsonNodeFactory.instance.objectNode();
    }
  }

  private static String file(String name) {
    return TemplateCatalog.SHARED_FOLDER + "/" + name;
  }
}
