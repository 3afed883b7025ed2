package io.wingu.controlplane.provisioning;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Does the live object already say everything the desired one says? Live objects carry more
 * (defaults, status, server metadata); only what Wingu sets is compared, so an unchanged object
 * needs no write, and any drift in what Wingu sets (an edit, a removed element) is seen.
 */
final class DesiredSubset {

  private static final Set<String> METADATA_COMPARED =
      Set.of("name", "namespace", "labels", "annotations");

  private DesiredSubset() {}

  static boolean holds(JsonNode desired, JsonNode live) {
    if (live == null || live.isNull()) {
      return false;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = desired.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String name = field.getKey();
      if (name.equals("status")) {
        continue;
      }
      if (name.equals("metadata")) {
        for (String key : METADATA_COMPARED) {
          JsonNode d = field.getValue().get(key);
          if (d != null && !matches(d, live.path("metadata").get(key))) {
            return false;
          }
        }
        continue;
      }
      if (!matches(field.getValue(), live.get(name))) {
        return false;
      }
    }
    return true;
  }

  private static boolean matches(JsonNode desired, JsonNode live) {
    if (desired == null || desired.isNull()) {
      return true;
    }
    if (live == null || live.isNull()) {
      return desired.isContainerNode() && desired.isEmpty();
    }
    if (desired.isObject()) {
      if (!live.isObject()) {
        return false;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = desired.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        if (!matches(f.getValue(), live.get(f.getKey()))) {
          return false;
        }
      }
      return true;
    }
    if (desired.isArray()) {
      if (!live.isArray() || live.size() != desired.size()) {
        return false;
      }
      for (int i = 0; i < desired.size(); i++) {
        if (!matches(desired.get(i), live.get(i))) {
          return false;
        }
      }
      return true;
    }
    return desired.asText().equals(live.asText());
  }
}
