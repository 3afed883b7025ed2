package io.wingu.templates.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.wingu.templates.testing.ExampleSites;
import java.net.URI;
import java.util.List;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/** Assertions shared by the page tests: what makes a published page structurally acceptable. */
final class PageChecks {

  private static final String FOCUSABLE =
      "a[href], button, input:not([type=hidden]), select, textarea, [tabindex]:not([tabindex=-1])";

  private PageChecks() {}

  static void assertWellFormedPage(String path, Document page) {
    String expectedLang = path.startsWith("en/") ? "en" : path.startsWith("sw/") ? "sw" : null;
    String lang = page.selectFirst("html").attr("lang");
    assertThat(lang).as("%s html lang", path).isIn("sw", "en");
    if (expectedLang != null) {
      assertThat(lang).as("%s html lang", path).isEqualTo(expectedLang);
    }
    assertThat(page.title()).as("%s title", path).isNotBlank();
    assertThat(page.select("main")).as("%s <main>", path).hasSize(1);
    assertThat(page.select("h1")).as("%s <h1>", path).hasSize(1);
    Element firstFocusable = page.body().selectFirst(FOCUSABLE);
    assertThat(firstFocusable).as("%s first focusable element", path).isNotNull();
    assertThat(firstFocusable.hasClass("skip-link")).as("%s: skip link comes first", path).isTrue();
    assertThat(page.getElementById(firstFocusable.attr("href").substring(1)))
        .as("%s skip target", path)
        .isNotNull();
    page.select("img")
        .forEach(img -> assertThat(img.hasAttr("alt")).as("%s img alt %s", path, img).isTrue());
    assertThat(page.select(".official-banner")).as("%s official banner", path).hasSize(1);
    assertNoExternalReferences(path, page);
    List<String> ids = page.select("[id]").eachAttr("id");
    assertThat(ids).as("%s ids are unique", path).doesNotHaveDuplicates();
  }

  /**
   * Nothing may load from, or point to, another host: no CDN, font host or tracker. The one
   * absolute link is the site's own address in its language alternates.
   */
  static void assertNoExternalReferences(String path, Document page) {
    for (Element element : page.select("[src], [href], [action], [srcset], [poster], [data]")) {
      if (element.is("link[rel=alternate][hreflang]")
          && element.attr("href").startsWith(ExampleSites.SITE_URL.toString())) {
        continue;
      }
      for (String attribute : List.of("src", "href", "action", "srcset", "poster", "data")) {
        String value = element.attr(attribute).trim().toLowerCase(java.util.Locale.ROOT);
        assertThat(value)
            .as("%s %s=%s", path, attribute, value)
            .doesNotStartWith("http:")
            .doesNotStartWith("https:")
            .doesNotStartWith("//");
      }
    }
    assertThat(page.select("style, [style]").html())
        .as("%s inline styles", path)
        .doesNotContain("url(http");
  }

  /** The page plus every local stylesheet, script and image it loads. */
  static long weightWithLocalResources(Bundle bundle, String path) {
    Document page = org.jsoup.Jsoup.parse(bundle.text(path).orElseThrow());
    long weight = bundle.file(path).orElseThrow().length;
    for (Element element :
        page.select("link[rel=stylesheet][href], script[src], img[src], link[rel=icon][href]")) {
      String reference = element.hasAttr("src") ? element.attr("src") : element.attr("href");
      String resolved = URI.create(path).resolve(reference).normalize().toString();
      weight +=
          bundle
              .file(resolved)
              .orElseThrow(() -> new AssertionError(path + " loads missing " + resolved))
              .length;
    }
    return weight;
  }
}
