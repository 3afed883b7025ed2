package io.wingu.controlplane.sites;

import io.wingu.templates.content.ContentEntry;
import io.wingu.templates.content.SiteContent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a revision is rendered from: the site's stored content, and what the deployment itself
 * brings.
 */
public final class SiteContents {

  private SiteContents() {}

  /**
   * The stored content with the deployment's entries added, each replacing a stored entry of the
   * same kind and slug; documents are always the site's uploaded ones.
   */
  public static SiteContent merge(SiteContent stored, SiteContent given) {
    return new SiteContent(
        overlay(stored.pages(), given.pages()),
        overlay(stored.news(), given.news()),
        overlay(stored.publications(), given.publications()),
        stored.documents());
  }

  private static List<ContentEntry> overlay(List<ContentEntry> base, List<ContentEntry> over) {
    Map<String, ContentEntry> bySlug = new LinkedHashMap<>();
    base.forEach(e -> bySlug.put(e.slug(), e));
    over.forEach(e -> bySlug.put(e.slug(), e));
    return new ArrayList<>(bySlug.values());
  }
}
