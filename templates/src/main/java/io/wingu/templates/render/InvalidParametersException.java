package io.wingu.templates.render;

import io.wingu.templates.catalog.ValidationError;
import java.util.List;

/**
 * Rendering was asked with parameters the template's schema refuses; {@link #errors()} says why.
 */
public final class InvalidParametersException extends IllegalArgumentException {

  private final transient List<ValidationError> errors;

  public InvalidParametersException(String templateId, List<ValidationError> errors) {
    super("parameters refused by template " + templateId + ": " + errors);
    this.errors = List.copyOf(errors);
  }

  public List<ValidationError> errors() {
    return errors;
  }
}
