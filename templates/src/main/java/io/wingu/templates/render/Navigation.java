package io.wingu.templates.render;

import io.wingu.templates.Language;
import io.wingu.templates.content.ContentEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The main menu of a site: the site's own {@code menu} parameter when given (labels and targets
 * such as {@code about} or {@code pages/<slug>}), otherwise every standard page in the usual order.
 */
final class Navigation {

  private static final String CONTENT_PAGE_PREFIX = "pages/";

  private final Language language;
  private final InterfaceStrings strings;
  private final Object menu;
  private final List<ContentEntry> ownPages;

  Navigation(
      Language language,
      InterfaceStrings strings,
      Map<String, Object> site,
      List<ContentEntry> ownPages) {
    this.language = language;
    this.strings = strings;
    this.menu = site.get("menu");
    this.ownPages = ownPages;
  }

  List<Map<String, Object>> items(String currentPath, Links links) {
    List<Map<String, Object>> items = new ArrayList<>();
    if (menu instanceof List<?> entries && !entries.isEmpty()) {
      for (Object entry : entries) {
        Map<?, ?> item = (Map<?, ?>) entry;
        targetPath(String.valueOf(item.get("target")))
            .ifPresent(
                path ->
                    items.add(item(String.valueOf(item.get("label")), path, currentPath, links)));
      }
      return items;
    }
    for (PageKind kind : PageKind.fixed()) {
      items.add(
          item(
              strings.get("nav." + kind.key()),
              SitePlanner.pathOf(language, kind),
              currentPath,
              links));
    }
    return items;
  }

  /** The page a menu target names; a content page that does not exist (yet) gets no menu entry. */
  private Optional<String> targetPath(String target) {
    if (target.startsWith(CONTENT_PAGE_PREFIX)) {
      String slug = target.substring(CONTENT_PAGE_PREFIX.length());
      return ownPages.stream()
          .filter(page -> page.slug().equals(slug))
          .findFirst()
          .map(page -> SitePlanner.contentPagePath(language, page));
    }
    for (PageKind kind : PageKind.fixed()) {
      if (kind.key().equals(target)) {
        return Optional.of(SitePlanner.pathOf(language, kind));
      }
    }
    return Optional.empty();
  }

  private static Map<String, Object> item(
      String label, String path, String currentPath, Links links) {
    Map<String, Object> item = new LinkedHashMap<>();
    item.put("label", label);
    item.put("href", links.to(path));
    item.put("current", isCurrent(path, currentPath));
    return item;
  }

  /** A news item keeps "News" marked in the menu, so visitors know where they are. */
  private static boolean isCurrent(String path, String currentPath) {
    if (path.equals(currentPath)) {
      return true;
    }
    return path.endsWith("/news/index.html")
        && currentPath.startsWith(path.substring(0, path.length() - 10));
  }
}
