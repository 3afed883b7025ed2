package io.wingu.controlplane.web;

import io.wingu.controlplane.app.FieldError;
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

  /** Adds {@code other}'s errors, keeping the first one per field. */
  FormErrors addAll(FormErrors other) {
    other.byField.forEach(this::add);
    return this;
  }

  /**
   * The same errors in the order of {@code fields}, the order the form shows them, so the summary
   * reads top to bottom like the form; fields not named keep their place after those.
   */
  FormErrors inOrder(List<String> fields) {
    Map<String, String> before = new LinkedHashMap<>(byField);
    byField.clear();
    for (String f : fields) {
      if (before.containsKey(f)) {
        byField.put(f, before.remove(f));
      }
    }
    byField.putAll(before);
    return this;
  }

  /**
   * The errors of a refusal, each under the form field that holds it: an API field such as {@code
   * hostnames[2]} or {@code database.plan} is shown on {@code hostnames} or {@code database}; a
   * conflict on the field it is about, in its own words ({@link #conflictKey}).
   */
  static FormErrors of(Problem problem, Messages messages, String lang, String fallbackField) {
    FormErrors errors = new FormErrors();
    if (problem.code() != null) {
      String field =
          problem.conflictField() == null ? fallbackField : formField(problem.conflictField());
      return errors.add(field, conflict(messages, lang, problem.code()));
    }
    for (FieldError e : problem.errors()) {
      String field = formField(e.field());
      errors.add(
          field.equals("body") ? fallbackField : field, message(messages, lang, field, e.code()));
    }
    if (errors.isEmpty()) {
      errors.add(
          fallbackField,
          message(messages, lang, problem.status() == 409 ? "conflict" : fallbackField, null));
    }
    return errors;
  }

  /**
   * The message key of a conflict code (hostname-taken, request-not-pending...): every code a
   * service answers has its own text in both languages; this is the one place they are named.
   */
  static String conflictKey(String code) {
    return "error.conflict." + code;
  }

  /** The message key of a validation rule's code (password-too-weak...), for the field it is on. */
  static String invalidKey(String code) {
    return "error.invalid." + code;
  }

  /** A conflict in the page's language; a code without words yet gets the general one. */
  static String conflict(Messages messages, String lang, String code) {
    String key = code == null ? "" : conflictKey(code);
    return messages.has(key)
        ? messages.text(lang, key)
        : messages.text(lang, "error.field.conflict");
  }

  /**
   * The notice key a page shows for a conflict instead of a form error (the thing as it now
   * stands).
   */
  static String noticeKey(Problem problem, Messages messages, String fallbackKey) {
    String key = problem.code() == null ? "" : conflictKey(problem.code());
    return messages.has(key) ? key : fallbackKey;
  }

  static String formField(String apiField) {
    // the approval form names its override fields cpu, memory and storage
    String base =
        apiField.startsWith("overrides.") ? apiField.substring("overrides.".length()) : apiField;
    int cut = base.length();
    for (char stop : new char[] {'[', '.'}) {
      int i = base.indexOf(stop);
      if (i >= 0) {
        cut = Math.min(cut, i);
      }
    }
    return base.substring(0, cut);
  }

  private static String message(Messages messages, String lang, String field, String code) {
    if (code != null && messages.has(invalidKey(code))) {
      return messages.text(lang, invalidKey(code));
    }
    String key = "error.field." + field;
    return messages.has(key) ? messages.text(lang, key) : messages.text(lang, "error.field.other");
  }

  /** For the page: {@code errors} (summary list) and {@code fieldErrors} (by field). */
  Map<String, Object> model() {
    List<Map<String, String>> summary = new ArrayList<>();
    byField.forEach(
        (field, message) -> summary.add(Map.of("href", "#" + field, "message", message)));
    return Map.of("errors", summary, "fieldErrors", byField);
  }
}
