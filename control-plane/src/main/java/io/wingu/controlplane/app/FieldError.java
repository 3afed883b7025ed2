package io.wingu.controlplane.app;

/**
 * One invalid field of a request: the API names it and says why in English; {@code code}, when set,
 * is a stable kebab-case name of the rule broken, for the console's own words.
 */
public record FieldError(String field, String message, String code) {

  public FieldError(String field, String message) {
    this(field, message, null);
  }
}
