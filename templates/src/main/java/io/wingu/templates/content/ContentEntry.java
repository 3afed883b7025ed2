package io.wingu.templates.content;

import io.wingu.templates.LocalizedText;
import java.time.LocalDate;
import java.util.Objects;

/**
 * A page, news item or publication written by the institution's webmaster.
 *
 * @param body Markdown in each language; raw HTML in it is sanitized when rendered
 * @param publishedAt the day it was published, or {@code null} (undated entries sort last)
 */
public record ContentEntry(
    String slug, LocalizedText title, LocalizedText body, LocalDate publishedAt) {

  public ContentEntry {
    Slugs.checkSlug(slug);
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(body, "body");
  }
}
