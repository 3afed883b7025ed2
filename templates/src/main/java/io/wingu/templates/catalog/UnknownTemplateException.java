package io.wingu.templates.catalog;

/** Asked for a template id the catalogue does not have (or refused at load). */
public final class UnknownTemplateException extends RuntimeException {

  public UnknownTemplateException(String id) {
    super("no template with id '" + id + "' in the catalogue");
  }
}
