package io.wingu.templates.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;

/** The one YAML reader of the catalogue. */
final class Yaml {

  private static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory());

  private Yaml() {}

  /** Parses YAML into a tree, or throws with the parser's line and column in the message. */
  static JsonNode parse(byte[] yaml) throws IOException {
    JsonNode node = MAPPER.readTree(yaml);
    if (node == null || node.isMissingNode()) {
      throw new IOException("the file is empty");
    }
    return node;
  }
}
