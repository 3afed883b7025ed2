package io.wingu.agent;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Plain log lines on stderr ("time level message"): the agent logs a handful of lines an hour, so a
 * logging framework would cost more memory than it saves.
 */
public final class Log {

  private Log() {}

  public static void info(String message) {
    line("INFO", message);
  }

  public static void warn(String message) {
    line("WARN", message);
  }

  public static void error(String message) {
    line("ERROR", message);
  }

  private static void line(String level, String message) {
    System.err.println(Instant.now().truncatedTo(ChronoUnit.MILLIS) + " " + level + " " + message);
  }
}
