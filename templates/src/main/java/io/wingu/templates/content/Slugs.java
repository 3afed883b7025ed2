package io.wingu.templates.content;

import io.wingu.templates.UnsafePathException;
import java.util.regex.Pattern;

/**
 * The names content and documents may have; they become file names in the bundle, so they are
 * strict.
 */
public final class Slugs {

  private static final Pattern SLUG = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?");
  private static final Pattern DOCUMENT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern FILE_NAME =
      Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*(\\.[A-Za-z0-9_-]+)*");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  private Slugs() {}

  /** Lowercase letters, digits and inner hyphens, at most 80: no dots, slashes or spaces. */
  public static String checkSlug(String slug) {
    return check(
        SLUG, slug, "slug", "lowercase letters, digits and inner '-', at most 80 characters");
  }

  public static String checkDocumentId(String id) {
    return check(
        DOCUMENT_ID, id, "document id", "letters, digits, '_' and '-', at most 64 characters");
  }

  /** A plain file name: no folders, no "..", no leading dot; at most 120 characters. */
  public static String checkFileName(String name) {
    if (name != null && name.length() > 120) {
      throw new UnsafePathException("file name longer than 120 characters");
    }
    return check(
        FILE_NAME, name, "file name", "letters, digits, '_', '-' and single dots between them");
  }

  public static String checkSha256(String digest) {
    if (digest == null || !SHA256.matcher(digest).matches()) {
      throw new IllegalArgumentException(
          "digest must be 64 lowercase hex characters of a SHA-256, got '" + digest + "'");
    }
    return digest;
  }

  private static String check(Pattern pattern, String value, String what, String rule) {
    if (value == null || !pattern.matcher(value).matches()) {
      throw new UnsafePathException("unsafe " + what + " '" + value + "': use " + rule);
    }
    return value;
  }
}
