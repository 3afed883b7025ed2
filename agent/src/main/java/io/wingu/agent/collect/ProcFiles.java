package io.wingu.agent.collect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads the small text files of /proc and cgroupfs: "key value" lines and single numbers. */
final class ProcFiles {

  private ProcFiles() {}

  static String read(Path file) throws IOException {
    // readString relies on reaching EOF, not on the file size, so /proc files (size 0) read fine
    return Files.readString(file);
  }

  /**
   * The text of {@code file}, or null when it does not exist (a controller not enabled, a cgroup
   * just removed).
   */
  static String readIfExists(Path file) throws IOException {
    try {
      return read(file);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  static long readLong(Path file) throws IOException {
    return Long.parseLong(read(file).strip());
  }

  /**
   * The number after {@code key} on the line starting with {@code key} followed by a space or a
   * colon (cpu.stat, memory.stat, /proc/meminfo), or {@code missing} when no such line exists.
   */
  static long field(String text, String key, long missing) {
    int from = 0;
    while (from < text.length()) {
      int end = text.indexOf('\n', from);
      if (end < 0) {
        end = text.length();
      }
      if (text.startsWith(key, from) && from + key.length() < end) {
        char after = text.charAt(from + key.length());
        if (after == ' ' || after == ':') {
          return firstNumber(text, from + key.length() + 1, end);
        }
      }
      from = end + 1;
    }
    return missing;
  }

  /**
   * The space-separated numbers of {@code line} from index {@code from} on (a regex split per line
   * costs a Pattern each).
   */
  static long[] numbers(String line, int from) {
    long[] numbers = new long[16];
    int count = 0;
    int at = from;
    while (at < line.length()) {
      while (at < line.length() && line.charAt(at) == ' ') {
        at++;
      }
      int start = at;
      while (at < line.length() && line.charAt(at) != ' ') {
        at++;
      }
      if (at > start) {
        if (count == numbers.length) {
          numbers = java.util.Arrays.copyOf(numbers, count * 2);
        }
        numbers[count++] = Long.parseLong(line, start, at, 10);
      }
    }
    return java.util.Arrays.copyOf(numbers, count);
  }

  /** The first run of digits in text[from, end). */
  static long firstNumber(String text, int from, int end) {
    int start = from;
    while (start < end && !Character.isDigit(text.charAt(start))) {
      start++;
    }
    int stop = start;
    while (stop < end && Character.isDigit(text.charAt(stop))) {
      stop++;
    }
    if (start == stop) {
      throw new NumberFormatException("no number in \"" + text.substring(from, end) + "\"");
    }
    return Long.parseLong(text, start, stop, 10);
  }
}
