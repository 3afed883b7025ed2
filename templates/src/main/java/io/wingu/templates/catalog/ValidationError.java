package io.wingu.templates.catalog;

/**
 * One reason a template's parameters were refused.
 *
 * @param field JSON pointer to the offending value, e.g. {@code /institution/name/sw}; {@code ""}
 *     is the whole object
 */
public record ValidationError(String field, String message) {}
