package io.wingu.templates.catalog;

/**
 * Why part of the catalogue was refused at load.
 *
 * @param file the file, relative to the catalogue folder (e.g. {@code
 *     ministry-portal/template.yaml})
 * @param field the field within that file, as a JSON pointer ({@code /version}); empty for the
 *     whole file
 */
public record LoadError(String file, String field, String message) {

  @Override
  public String toString() {
    return file + (field.isEmpty() ? "" : " " + field) + ": " + message;
  }
}
