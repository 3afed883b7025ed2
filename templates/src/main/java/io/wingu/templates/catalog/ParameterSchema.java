package io.wingu.templates.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A template's parameters schema (JSON Schema 2020-12), compiled once and checked against the
 * meta-schema.
 */
final class ParameterSchema {

  private static final String META_SCHEMA = "https://json-schema.org/draft/2020-12/schema";
  // the registry resolves the meta-schema from the validator's own jar, never from the network
  private static final SchemaRegistry REGISTRY =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
  private static final Schema META = REGISTRY.getSchema(SchemaLocation.of(META_SCHEMA));

  private final JsonNode node;
  private final Schema schema;

  private ParameterSchema(JsonNode node, Schema schema) {
    this.node = node;
    this.schema = schema;
  }

  /**
   * Compiles {@code node}, or returns why it is not a valid JSON Schema (fields relative to the
   * schema).
   */
  static Compiled compile(JsonNode node) {
    if (!node.isObject()) {
      return new Compiled(null, List.of(new ValidationError("", "must be a JSON Schema object")));
    }
    List<ValidationError> problems = errors(META.validate(node));
    if (!problems.isEmpty()) {
      return new Compiled(null, problems);
    }
    try {
      Schema schema = REGISTRY.getSchema(node);
      schema.initializeValidators();
      return new Compiled(new ParameterSchema(node, schema), List.of());
    } catch (SchemaException | IllegalArgumentException e) {
      return new Compiled(
          null, List.of(new ValidationError("", "not a usable JSON Schema: " + e.getMessage())));
    }
  }

  JsonNode node() {
    return node;
  }

  List<ValidationError> validate(JsonNode instance) {
    return errors(schema.validate(instance));
  }

  private static List<ValidationError> errors(List<Error> errors) {
    List<ValidationError> result = new ArrayList<>();
    for (Error error : errors) {
      String pointer = pointer(error.getInstanceLocation());
      // "required" reports the parent object; naming the missing property is what a form needs
      if ("required".equals(error.getKeyword()) && error.getProperty() != null) {
        pointer = pointer + "/" + escape(error.getProperty());
      }
      result.add(new ValidationError(pointer, error.getMessage()));
    }
    result.sort(
        Comparator.comparing(ValidationError::field).thenComparing(ValidationError::message));
    return List.copyOf(result);
  }

  private static String pointer(NodePath path) {
    StringBuilder pointer = new StringBuilder();
    for (int i = 0; i < path.getNameCount(); i++) {
      pointer.append('/').append(escape(String.valueOf(path.getElement(i))));
    }
    return pointer.toString();
  }

  private static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }

  record Compiled(ParameterSchema schema, List<ValidationError> problems) {}
}
