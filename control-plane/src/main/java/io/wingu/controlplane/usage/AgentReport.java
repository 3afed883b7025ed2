package io.wingu.controlplane.usage;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** One node agent's report, as API.md defines it (already validated against the document). */
public record AgentReport(
    String nodeName, long seq, Instant collectedAt, Node node, List<Pod> pods) {

  /** The node's capacity and use. */
  public record Node(
      long cpuCapacityMillis,
      long cpuUsedMillis,
      long memoryCapacityBytes,
      long memoryUsedBytes,
      long fsCapacityBytes,
      long fsUsedBytes) {}

  /** One pod's use; network counters are cumulative. */
  public record Pod(
      String namespace,
      String name,
      String uid,
      long cpuMillis,
      long memoryBytes,
      long netRxBytes,
      long netTxBytes) {}

  private static final java.util.regex.Pattern NODE_NAME =
      java.util.regex.Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
  private static final java.util.Set<String> TOP =
      java.util.Set.of("nodeName", "seq", "collectedAt", "node", "pods");
  static final int MAX_PODS = 2000;

  /**
   * Parses and validates a report exactly as the OpenAPI document's schema says (the route is
   * validated here, not by the generic validator, for speed); a bad one is a 400 naming fields.
   */
  public static AgentReport parse(Object body) {
    java.util.List<io.wingu.controlplane.app.FieldError> errors = new java.util.ArrayList<>();
    if (!(body instanceof JsonObject json)) {
      throw io.wingu.controlplane.app.Problem.badRequest(
          "The report must be a JSON object",
          java.util.List.of(
              new io.wingu.controlplane.app.FieldError("body", "must be a JSON object")));
    }
    for (String key : json.fieldNames()) {
      if (!TOP.contains(key)) {
        errors.add(new io.wingu.controlplane.app.FieldError(key, "is not a field of a report"));
      }
    }
    String nodeName = string(json, "nodeName", 253, errors);
    if (nodeName != null && !NODE_NAME.matcher(nodeName).matches()) {
      errors.add(new io.wingu.controlplane.app.FieldError("nodeName", "is not a node name"));
    }
    long seq = count(json, "seq", "seq", true, errors);
    Instant collectedAt = null;
    String at = string(json, "collectedAt", 64, errors);
    if (at != null) {
      try {
        collectedAt = java.time.OffsetDateTime.parse(at).toInstant();
      } catch (java.time.format.DateTimeParseException e) {
        errors.add(
            new io.wingu.controlplane.app.FieldError(
                "collectedAt", "must be an RFC 3339 date-time"));
      }
    }
    Node node = null;
    Object n = json.getValue("node");
    if (n instanceof JsonObject o) {
      node =
          new Node(
              count(o, "cpuCapacityMillis", "node.cpuCapacityMillis", true, errors),
              count(o, "cpuUsedMillis", "node.cpuUsedMillis", true, errors),
              count(o, "memoryCapacityBytes", "node.memoryCapacityBytes", true, errors),
              count(o, "memoryUsedBytes", "node.memoryUsedBytes", true, errors),
              count(o, "fsCapacityBytes", "node.fsCapacityBytes", true, errors),
              count(o, "fsUsedBytes", "node.fsUsedBytes", true, errors));
    } else {
      errors.add(
          new io.wingu.controlplane.app.FieldError("node", "is required and must be an object"));
    }
    List<Pod> pods = new ArrayList<>();
    Object p = json.getValue("pods");
    if (!(p instanceof JsonArray list)) {
      errors.add(
          new io.wingu.controlplane.app.FieldError("pods", "is required and must be an array"));
    } else if (list.size() > MAX_PODS) {
      errors.add(
          new io.wingu.controlplane.app.FieldError(
              "pods", "must have at most " + MAX_PODS + " entries"));
    } else {
      for (int i = 0; i < list.size() && errors.size() < 20; i++) {
        String f = "pods[" + i + "]";
        if (!(list.getValue(i) instanceof JsonObject pod)) {
          errors.add(new io.wingu.controlplane.app.FieldError(f, "must be an object"));
          continue;
        }
        pods.add(
            new Pod(
                string(pod, "namespace", 63, f + ".namespace", errors),
                string(pod, "name", 253, f + ".name", errors),
                string(pod, "uid", 64, f + ".uid", errors),
                count(pod, "cpuMillis", f + ".cpuMillis", true, errors),
                count(pod, "memoryBytes", f + ".memoryBytes", true, errors),
                count(pod, "netRxBytes", f + ".netRxBytes", false, errors),
                count(pod, "netTxBytes", f + ".netTxBytes", false, errors)));
      }
    }
    if (!errors.isEmpty()) {
      throw io.wingu.controlplane.app.Problem.badRequest(
          "The report does not match the API contract", errors);
    }
    return new AgentReport(nodeName, seq, collectedAt, node, pods);
  }

  private static String string(
      JsonObject o,
      String key,
      int max,
      java.util.List<io.wingu.controlplane.app.FieldError> errors) {
    return string(o, key, max, key, errors);
  }

  private static String string(
      JsonObject o,
      String key,
      int max,
      String field,
      java.util.List<io.wingu.controlplane.app.FieldError> errors) {
    Object v = o.getValue(key);
    if (!(v instanceof String s) || s.isEmpty() || s.length() > max) {
      errors.add(
          new io.wingu.controlplane.app.FieldError(
              field,
              v == null ? "is required" : "must be a string of 1 to " + max + " characters"));
      return null;
    }
    return s;
  }

  private static long count(
      JsonObject o,
      String key,
      String field,
      boolean required,
      java.util.List<io.wingu.controlplane.app.FieldError> errors) {
    Object v = o.getValue(key);
    if (v == null && !required) {
      return 0;
    }
    if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < 0) {
      errors.add(
          new io.wingu.controlplane.app.FieldError(
              field, v == null ? "is required" : "must be a whole number, 0 or more"));
      return 0;
    }
    return ((Number) v).longValue();
  }
}
