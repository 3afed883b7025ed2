package io.wingu.templates.render;

import java.util.Locale;

/**
 * The kinds of page every template publishes. Each has a Mustache source {@code
 * pages/<source>.mustache}, looked up in the template first and then in {@code _shared/}.
 */
public enum PageKind {
  HOME("home", "index.html"),
  ABOUT("about", "about.html"),
  SERVICES("services", "services.html"),
  NEWS("news", "news/index.html"),
  NEWS_ITEM("news-item", null),
  PUBLICATIONS("publications", "publications.html"),
  TENDERS("tenders", "tenders.html"),
  CONTACT("contact", "contact.html"),
  SEARCH("search", "search.html"),
  CONTENT_PAGE("page", null);

  private final String source;
  private final String fileName;

  PageKind(String source, String fileName) {
    this.source = source;
    this.fileName = fileName;
  }

  /** Name of the Mustache page source. */
  public String source() {
    return source;
  }

  /** Path inside a language folder; null for kinds with one page per content entry. */
  String fileName() {
    return fileName;
  }

  /** The key of this page's name in the interface strings, and its navigation target name. */
  String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The pages of which a site has exactly one per language, in their default navigation order. */
  static PageKind[] fixed() {
    return new PageKind[] {HOME, ABOUT, SERVICES, NEWS, PUBLICATIONS, TENDERS, CONTACT, SEARCH};
  }
}
