package io.wingu.controlplane.web;

import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.app.Problem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The errors of one submitted form, keyed by form field: what the error summary at the top lists
 * (each linking to its field) and what each field shows beside it. The rules that produced them
 * live in the services and the API contract; here they only get words in the page's language.
 */
final class FormErrors {

  private final Map<String, String> byField = new LinkedHashMap<>();

  boolean isEmpty() {
    return byField.isEmpty();
  }

  /** Adds an error on {@code field} (the form's name for it), keeping the first one per field. */
  FormErrors add(String field, String message) {
    byField.putIfAbsent(field, message);
    return this;
  }

  /**
   * The field errors of a Problem, each under the form field that holds it: an API field such
   * as {@code hostnames[2]} or {@code database.plan} is shown on {@code hostnames} or {@code database}.
   */
  static FormErrors of(Problem problem, Messages messages, String lang, String fallbackField) {
    FormErrors errors = new FormErrors();
    JsonObject json = problem.toJson();
    var list = json.getJsonArray("errors");
    if (list != null) {
      for (Object o : list) {
        String field = formField(((JsonObject) o).getString("field"));
        errors.add(field.equals("body") ? fallbackField : field, message(messages, lang, field));
      }
    }
    if (errors.isEmpty()) {
      errors.add(fallbackField, message(messages, lang, problem.status() == 409 ? "conflict" : fallbackField));
    }
    return errors;
  }

  static String formField(String apiField) {
    // the approval form names its override fields cpu, memory and storage
    String base = apiField.startsWith("overrides.") ? apiField.substring("overrides.".length()) : apiField;
    int cut = base.length();
    for (char stop : new char[] {'[', '.'}) {
      int i = base.indexOf(stop);
      if (i >= 0) {
        cut = Math.min(cut, i);
      }
    }
    return base.substring(0, cut);
  }

  private static String message(Messages messages, String lang, String field) {
    String key = "error.field." + field;
    return messages.has(key) ? messages.text(lang, key) : messages.text(lang, "error.field.other");
  }

  /** For the page: {@code errors} (summary list) and {@code fieldErrors} (by field). */
  Map<String, Object> model() {
    List<Map<String, String>> summary = new ArrayList<>();
    byField.forEach((field, message) -> summary.add(Map.of("href", "#" + field, "message", message)));
    return Map.of("errors", summary, "fieldErrors", byField);
  }
}
