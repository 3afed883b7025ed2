package io.wingu.templates.check;

import io.wingu.templates.render.Bundle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * The accessibility check every built revision passes through: the WCAG 2.1 A/AA rules a page's
 * markup alone decides (language, title, one main landmark reached by a skip link, text for images
 * and links, labelled form fields, headings with text, tables with headers, unique ids). Templates
 * are checked in a real browser with axe-core by their tests; this catches what a revision's
 * content adds — a link or a heading without text — without a browser on the server.
 */
public final class AccessibilityCheck {

  /** One problem: the page, the rule (named as axe-core names it) and the element at fault. */
  public record Finding(String page, String rule, String wcag, String element) {}

  private AccessibilityCheck() {}

  /** The findings over every HTML page of the bundle; empty when the revision passes. */
  public static List<Finding> check(Bundle bundle) {
    List<Finding> out = new ArrayList<>();
    for (Map.Entry<String, byte[]> file : bundle.files().entrySet()) {
      if (file.getKey().endsWith(".html")) {
        out.addAll(
            checkPage(
                file.getKey(), Jsoup.parse(new String(file.getValue(), StandardCharsets.UTF_8))));
      }
    }
    return out;
  }

  public static List<Finding> checkPage(String path, Document page) {
    List<Finding> out = new ArrayList<>();
    Element html = page.selectFirst("html");
    if (html == null || html.attr("lang").isBlank()) {
      out.add(new Finding(path, "html-has-lang", "3.1.1", "html"));
    }
    if (page.title().isBlank()) {
      out.add(new Finding(path, "document-title", "2.4.2", "title"));
    }
    if (page.select("main, [role=main]").size() != 1) {
      out.add(new Finding(path, "landmark-one-main", "1.3.1", "main"));
    }
    Element skip = page.body().selectFirst("a[href^=#]");
    if (skip == null || page.getElementById(skip.attr("href").substring(1)) == null) {
      out.add(new Finding(path, "bypass", "2.4.1", skip == null ? "body" : describe(skip)));
    }
    for (Element img : page.select("img")) {
      boolean decorative =
          "presentation".equals(img.attr("role"))
              || "none".equals(img.attr("role"))
              || "true".equals(img.attr("aria-hidden"));
      if (!img.hasAttr("alt") && !decorative) {
        out.add(new Finding(path, "image-alt", "1.1.1", describe(img)));
      }
    }
    for (Element a : page.select("a[href]")) {
      if (accessibleName(a).isBlank()) {
        out.add(new Finding(path, "link-name", "2.4.4", describe(a)));
      }
    }
    for (Element field :
        page.select(
            "input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea")) {
      boolean labelled =
          !field.attr("aria-label").isBlank()
              || !field.attr("aria-labelledby").isBlank()
              || !field.attr("title").isBlank()
              || field.closest("label") != null
              || (!field.id().isEmpty()
                  && !page.select("label[for=" + cssEscape(field.id()) + "]").isEmpty());
      if (!labelled) {
        out.add(new Finding(path, "label", "1.3.1", describe(field)));
      }
    }
    for (Element h : page.select("h1, h2, h3, h4, h5, h6")) {
      if (h.text().isBlank() && h.select("img[alt]").isEmpty()) {
        out.add(new Finding(path, "empty-heading", "2.4.6", describe(h)));
      }
    }
    for (Element table : page.select("table")) {
      if (table.select("th").isEmpty()) {
        out.add(new Finding(path, "table-headers", "1.3.1", describe(table)));
      }
    }
    Set<String> ids = new HashSet<>();
    for (Element e : page.select("[id]")) {
      if (!ids.add(e.id())) {
        out.add(new Finding(path, "duplicate-id", "4.1.1", describe(e)));
      }
    }
    return out;
  }

  private static String accessibleName(Element a) {
    if (!a.attr("aria-label").isBlank()) {
      return a.attr("aria-label");
    }
    StringBuilder name = new StringBuilder(a.text());
    a.select("img[alt]").forEach(img -> name.append(img.attr("alt")));
    a.select("svg title").forEach(t -> name.append(t.text()));
    return name.toString().strip();
  }

  private static String cssEscape(String id) {
    return "\"" + id.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** The element's start tag, shortened: enough for a webmaster to find it. */
  private static String describe(Element e) {
    String tag = e.shallowClone().empty().outerHtml();
    return tag.length() > 160 ? tag.substring(0, 157) + "..." : tag;
  }
}
