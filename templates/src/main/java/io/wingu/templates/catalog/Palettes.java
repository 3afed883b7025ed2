package io.wingu.templates.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import io.wingu.templates.LocalizedText;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/** The accessible palettes a site may choose from, read from {@code _shared/palettes.yaml}. */
public final class Palettes {

  static final String FILE = TemplateCatalog.SHARED_FOLDER + "/palettes.yaml";
  private static final List<String> COLOURS =
      List.of(
          "primary",
          "onPrimary",
          "accent",
          "link",
          "surface",
          "text",
          "background",
          "focus",
          "focusHalo");

  private final SortedMap<String, Palette> byId;

  private Palettes(SortedMap<String, Palette> byId) {
    this.byId = Collections.unmodifiableSortedMap(byId);
  }

  public Map<String, Palette> all() {
    return byId;
  }

  public Optional<Palette> find(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /**
   * Reads the palettes; a palette with a missing colour or too little contrast is refused into
   * {@code errors}.
   */
  static Palettes read(byte[] yaml, List<LoadError> errors) {
    SortedMap<String, Palette> palettes = new TreeMap<>();
    if (yaml == null) {
      errors.add(new LoadError(FILE, "", "the palettes file is missing"));
      return new Palettes(palettes);
    }
    JsonNode root;
    try {
      root = Yaml.parse(yaml);
    } catch (IOException e) {
      errors.add(new LoadError(FILE, "", "not valid YAML: " + e.getMessage()));
      return new Palettes(palettes);
    }
    root.properties()
        .forEach(
            entry ->
                readOne(entry.getKey(), entry.getValue(), errors)
                    .ifPresent(palette -> palettes.put(palette.id(), palette)));
    return new Palettes(palettes);
  }

  private static Optional<Palette> readOne(String id, JsonNode node, List<LoadError> errors) {
    String field = "/" + id;
    for (String colour : COLOURS) {
      if (!Contrast.isHexColour(node.path(colour).asText(null))) {
        errors.add(
            new LoadError(FILE, field + "/" + colour, "must be a colour written as #rrggbb"));
        return Optional.empty();
      }
    }
    LocalizedText name;
    try {
      name = LocalizedText.fromJson(node.get("name"), "name");
    } catch (IllegalArgumentException e) {
      errors.add(new LoadError(FILE, field + "/name", e.getMessage()));
      return Optional.empty();
    }
    Palette palette =
        new Palette(
            id,
            name,
            colour(node, "primary"),
            colour(node, "onPrimary"),
            colour(node, "accent"),
            colour(node, "link"),
            colour(node, "surface"),
            colour(node, "text"),
            colour(node, "background"),
            colour(node, "focus"),
            colour(node, "focusHalo"));
    List<String> problems = palette.contrastProblems();
    if (!problems.isEmpty()) {
      errors.add(
          new LoadError(FILE, field, "fails WCAG 2.1 AA contrast: " + String.join("; ", problems)));
      return Optional.empty();
    }
    return Optional.of(palette);
  }

  private static String colour(JsonNode node, String name) {
    return node.get(name).asText().toLowerCase(java.util.Locale.ROOT);
  }
}
