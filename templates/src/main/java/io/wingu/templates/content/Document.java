package io.wingu.templates.content;

import io.wingu.templates.LocalizedText;
import java.util.Objects;

/**
 * An uploaded file (report, budget, plan) listed on the publications page and published in the
 * bundle.
 *
 * @param digest lowercase hex SHA-256 of the file's bytes; the renderer checks the bytes against it
 */
public record Document(String id, LocalizedText title, String fileName, String digest, long size) {

  public Document {
    Slugs.checkDocumentId(id);
    Objects.requireNonNull(title, "title");
    Slugs.checkFileName(fileName);
    Slugs.checkSha256(digest);
    if (size < 0) {
      throw new IllegalArgumentException("document size must not be negative");
    }
  }
}
