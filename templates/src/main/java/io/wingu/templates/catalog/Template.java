package io.wingu.templates.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import io.wingu.templates.LocalizedText;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One website template of the catalogue: what it is, what it asks for, and its files. */
public final class Template {

  private final String id;
  private final String version;
  private final LocalizedText name;
  private final LocalizedText description;
  private final ParameterSchema parameters;
  private final JsonNode example;
  private final TemplateFiles files;
  private final SharedResources shared;

  Template(
      String id,
      String version,
      LocalizedText name,
      LocalizedText description,
      ParameterSchema parameters,
      JsonNode example,
      TemplateFiles files,
      SharedResources shared) {
    this.id = id;
    this.version = version;
    this.name = name;
    this.description = description;
    this.parameters = parameters;
    this.example = example;
    this.files = files;
    this.shared = shared;
  }

  public String id() {
    return id;
  }

  /** Semantic version of the template; sites record it with each deployment. */
  public String version() {
    return version;
  }

  public LocalizedText name() {
    return name;
  }

  public LocalizedText description() {
    return description;
  }

  /**
   * The parameters JSON Schema (2020-12), self-contained: shared definitions are inlined. A copy.
   */
  public JsonNode parametersSchema() {
    return parameters.node().deepCopy();
  }

  /**
   * Example parameters that validate; used for the catalogue's previews. A copy, free to change.
   */
  public JsonNode example() {
    return example.deepCopy();
  }

  /** Why {@code values} cannot be used with this template; empty when they can. */
  public List<ValidationError> validate(JsonNode values) {
    List<ValidationError> errors = new ArrayList<>(parameters.validate(values));
    JsonNode svg = values.path("logo").path("svg");
    if (errors.isEmpty() && svg.isTextual()) {
      SvgLogoCheck.problem(svg.asText())
          .ifPresent(
              problem -> errors.add(new ValidationError("/logo/svg", "the SVG logo " + problem)));
    }
    return List.copyOf(errors);
  }

  public TemplateFiles files() {
    return files;
  }

  public Palettes palettes() {
    return shared.palettes();
  }

  /** Interface strings (banner, navigation, labels) by key, in both languages. */
  public Map<String, LocalizedText> strings() {
    return shared.strings();
  }

  @Override
  public String toString() {
    return id + "@" + version;
  }
}
