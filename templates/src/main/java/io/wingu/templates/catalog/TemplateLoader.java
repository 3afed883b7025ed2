package io.wingu.templates.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import io.wingu.templates.LocalizedText;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.regex.Pattern;

/**
 * Turns one folder of the catalogue into a {@link Template}, or into load errors naming file and
 * field.
 */
final class TemplateLoader {

  static final String DESCRIPTOR = "template.yaml";
  static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{1,39}");
  // semantic versioning 2.0.0: MAJOR.MINOR.PATCH without leading zeros, optional pre-release and
  // build
  private static final Pattern SEMVER =
      Pattern.compile(
          "(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?(\\+[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?");

  private final SharedResources shared;

  TemplateLoader(SharedResources shared) {
    this.shared = shared;
  }

  Optional<Template> load(String folder, SortedMap<String, byte[]> files, List<LoadError> errors) {
    String file = folder + "/" + DESCRIPTOR;
    int before = errors.size();
    JsonNode yaml = descriptor(file, files.get(DESCRIPTOR), errors);
    if (yaml == null) {
      return Optional.empty();
    }
    String id = text(yaml, "id", file, errors);
    if (id != null && !ID.matcher(id).matches()) {
      errors.add(
          new LoadError(file, "/id", "must be lowercase letters, digits and '-', 2 to 40 long"));
    } else if (id != null && !id.equals(folder)) {
      errors.add(new LoadError(file, "/id", "must equal its folder name '" + folder + "'"));
    }
    String version = text(yaml, "version", file, errors);
    if (version != null && !SEMVER.matcher(version).matches()) {
      errors.add(
          new LoadError(
              file,
              "/version",
              "must be a semantic version such as 1.0.0, found '" + version + "'"));
    }
    LocalizedText name = localized(yaml, "name", file, errors);
    LocalizedText description = localized(yaml, "description", file, errors);
    TemplateFiles templateFiles = new TemplateFiles(files, shared.files());
    checkMustache(folder, templateFiles, errors);
    ParameterSchema schema = schema(yaml.get("parameters"), file, errors);
    JsonNode example = yaml.get("example");
    if (example == null || !example.isObject()) {
      errors.add(new LoadError(file, "/example", "must be an object of example parameters"));
    }
    if (errors.size() > before || schema == null) {
      return Optional.empty();
    }
    Template template =
        new Template(id, version, name, description, schema, example, templateFiles, shared);
    for (ValidationError error : template.validate(example)) {
      errors.add(
          new LoadError(file, "/example" + error.field(), "does not validate: " + error.message()));
    }
    return errors.size() > before ? Optional.empty() : Optional.of(template);
  }

  private static JsonNode descriptor(String file, byte[] bytes, List<LoadError> errors) {
    if (bytes == null) {
      errors.add(new LoadError(file, "", "the template has no " + DESCRIPTOR));
      return null;
    }
    try {
      JsonNode yaml = Yaml.parse(bytes);
      if (!yaml.isObject()) {
        errors.add(new LoadError(file, "", "must be a YAML mapping"));
        return null;
      }
      return yaml;
    } catch (IOException e) {
      errors.add(new LoadError(file, "", "not valid YAML: " + e.getMessage()));
      return null;
    }
  }

  private static String text(JsonNode yaml, String field, String file, List<LoadError> errors) {
    JsonNode value = yaml.get(field);
    if (value == null || !value.isValueNode() || value.asText().isBlank()) {
      errors.add(new LoadError(file, "/" + field, "is required"));
      return null;
    }
    return value.asText();
  }

  private static LocalizedText localized(
      JsonNode yaml, String field, String file, List<LoadError> errors) {
    try {
      LocalizedText text = LocalizedText.fromJson(yaml.get(field), field);
      if (text.sw().isBlank() || text.en().isBlank()) {
        throw new IllegalArgumentException(field + ": both 'sw' and 'en' must be given");
      }
      return text;
    } catch (IllegalArgumentException e) {
      errors.add(new LoadError(file, "/" + field, e.getMessage()));
      return null;
    }
  }

  private ParameterSchema schema(JsonNode parameters, String file, List<LoadError> errors) {
    if (parameters == null) {
      errors.add(
          new LoadError(
              file, "/parameters", "is required: a JSON Schema of the template's parameters"));
      return null;
    }
    SharedSchemaRefs.Inlined inlined = SharedSchemaRefs.inline(parameters, shared.schemaDefs());
    inlined
        .unknown()
        .forEach(
            ref ->
                errors.add(new LoadError(file, "/parameters", "unknown shared definition " + ref)));
    ParameterSchema.Compiled compiled = ParameterSchema.compile(inlined.schema());
    compiled
        .problems()
        .forEach(
            problem ->
                errors.add(
                    new LoadError(
                        file,
                        "/parameters" + problem.field(),
                        "not a valid JSON Schema: " + problem.message())));
    return compiled.schema();
  }

  private static void checkMustache(String folder, TemplateFiles files, List<LoadError> errors) {
    for (Map.Entry<String, String> source : files.mustacheSources(true).entrySet()) {
      files
          .syntaxProblem(source.getValue())
          .ifPresent(
              problem ->
                  errors.add(
                      new LoadError(
                          folder + "/" + source.getKey(), "", "Mustache syntax: " + problem)));
    }
  }
}
