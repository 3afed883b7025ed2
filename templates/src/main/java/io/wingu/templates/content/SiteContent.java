package io.wingu.templates.content;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Everything a webmaster wrote for one site. Pages with the slugs {@code about}, {@code services},
 * {@code tenders} and {@code contact} add their text to the template's page of that name; other
 * pages are published as pages of their own.
 */
public record SiteContent(
    List<ContentEntry> pages,
    List<ContentEntry> news,
    List<ContentEntry> publications,
    List<Document> documents) {

  public SiteContent {
    pages = List.copyOf(pages);
    news = List.copyOf(news);
    publications = List.copyOf(publications);
    documents = List.copyOf(documents);
    requireUnique(pages, ContentEntry::slug, "page slug");
    requireUnique(news, ContentEntry::slug, "news slug");
    requireUnique(publications, ContentEntry::slug, "publication slug");
    requireUnique(documents, Document::id, "document id");
  }

  public static SiteContent empty() {
    return new SiteContent(List.of(), List.of(), List.of(), List.of());
  }

  private static <T> void requireUnique(List<T> items, Function<T, String> key, String what) {
    Set<String> seen = new HashSet<>();
    for (T item : items) {
      if (!seen.add(key.apply(item))) {
        throw new IllegalArgumentException("duplicate " + what + " '" + key.apply(item) + "'");
      }
    }
  }
}
