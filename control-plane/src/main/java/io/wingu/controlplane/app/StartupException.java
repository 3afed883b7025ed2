package io.wingu.controlplane.app;

/**
 * Start-up cannot go on: the message is one line for a person, saying what is wrong and how to fix
 * it. Main prints it without a stack trace.
 */
public final class StartupException extends RuntimeException {
  public StartupException(String message, Throwable cause) {
    super(message, cause);
  }

  public StartupException(String message) {
    super(message);
  }
}
