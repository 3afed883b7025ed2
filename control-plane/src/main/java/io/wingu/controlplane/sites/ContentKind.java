package io.wingu.controlplane.sites;

import io.wingu.controlplane.app.DomainError;
import io.wingu.templates.content.ContentEntry;
import io.wingu.templates.content.SiteContent;
import java.util.Arrays;
import java.util.List;

/**
 * The three kinds of written content; each is a path segment of the API and a list of {@link
 * SiteContent}.
 */
public enum ContentKind {
  PAGES("pages"),
  NEWS("news"),
  PUBLICATIONS("publications");

  private final String pathSegment;

  ContentKind(String pathSegment) {
    this.pathSegment = pathSegment;
  }

  public String pathSegment() {
    return pathSegment;
  }

  public List<ContentEntry> of(SiteContent content) {
    return switch (this) {
      case PAGES -> content.pages();
      case NEWS -> content.news();
      case PUBLICATIONS -> content.publications();
    };
  }

  /** The kind a path names; the document allows only these three, so anything else is not found. */
  public static ContentKind fromPath(String segment) {
    return Arrays.stream(values())
        .filter(k -> k.pathSegment.equals(segment))
        .findFirst()
        .orElseThrow(() -> DomainError.notFound("No content kind " + segment));
  }
}
