package io.wingu.controlplane.app;

/** A WINGU_* variable has a bad value; the message names it and says what is expected. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
