package io.wingu.templates.archive;

import io.wingu.templates.UnsafePathException;

/**
 * The one rule for paths inside a site bundle, applied when building and again when extracting:
 * relative, '/'-separated, already normalized, and never leaving the bundle's folder.
 */
public final class BundlePaths {

  private static final int MAX_LENGTH = 400;

  private BundlePaths() {}

  public static String check(String path) {
    if (path == null || path.isEmpty()) {
      throw new UnsafePathException("empty path in bundle");
    }
    if (path.length() > MAX_LENGTH) {
      throw new UnsafePathException(
          "path longer than " + MAX_LENGTH + " characters in bundle: " + path);
    }
    if (path.startsWith("/") || path.contains("\\") || path.matches("^[A-Za-z]:.*")) {
      throw new UnsafePathException("absolute path in bundle: " + path);
    }
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new UnsafePathException(
            "path in bundle is not normalized or climbs out of it ('"
                + segment
                + "' segment): "
                + path);
      }
    }
    if (path.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new UnsafePathException(
          "control character in bundle path: " + path.replaceAll("\\p{Cntrl}", "?"));
    }
    return path;
  }
}
