package io.wingu.templates;

/**
 * A slug, file name or archive entry that would escape its folder or is otherwise unsafe as a path.
 */
public final class UnsafePathException extends IllegalArgumentException {

  public UnsafePathException(String message) {
    super(message);
  }
}
