package io.wingu.agent;

/** A configuration variable has a bad value; the message names the variable. */
public final class ConfigException extends RuntimeException {

  public ConfigException(String variable, String problem) {
    super(variable + ": " + problem);
  }
}
