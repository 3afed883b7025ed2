package io.wingu.templates.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.wingu.templates.testing.ExampleSites;
import java.util.Map;
import org.jsoup.nodes.Document;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Links a validator or a search engine reads: {@code tel:} links hold only digits after the plus,
 * and each page names its language versions with absolute {@code hreflang} alternates.
 */
class TemplateLinksTest {

  @ParameterizedTest
  @MethodSource(ExampleSites.TEMPLATE_IDS)
  void telLinksAreGlobalNumbersAndAlternatesAreAbsolute(String templateId) {
    Map<String, Document> pages = ExampleSites.htmlPages(ExampleSites.bundle(templateId));
    int telLinks = 0;
    for (var page : pages.entrySet()) {
      for (var tel : page.getValue().select("a[href^=tel:]")) {
        telLinks++;
        assertThat(tel.attr("href")).as(page.getKey()).matches("tel:\\+?[0-9]{6,20}");
      }
      if (page.getKey().equals("index.html")) {
        continue;
      }
      String path = page.getKey().substring(page.getKey().indexOf('/') + 1);
      assertThat(page.getValue().select("link[rel=alternate][hreflang]"))
          .as(page.getKey())
          .extracting(l -> l.attr("hreflang") + " " + l.attr("href"))
          .containsExactlyInAnyOrder(
              "sw " + ExampleSites.SITE_URL + "sw/" + path,
              "en " + ExampleSites.SITE_URL + "en/" + path,
              "x-default " + ExampleSites.SITE_URL);
    }
    assertThat(telLinks).as("the example sites show a phone").isPositive();
  }

  @ParameterizedTest
  @MethodSource(ExampleSites.TEMPLATE_IDS)
  void withoutTheSitesAddressPagesCarryNoRelativeAlternates(String templateId) {
    var template = ExampleSites.catalog().get(templateId);
    Bundle bundle =
        SiteRenderer.render(template, template.example(), ExampleSites.catalog().exampleContent());
    ExampleSites.htmlPages(bundle)
        .forEach((path, page) -> assertThat(page.select("link[rel=alternate]")).as(path).isEmpty());
  }

  @org.junit.jupiter.api.Test
  void aPhoneWithSpacesDashesAndParenthesesBecomesDigits() {
    assertThat(SitePlanner.phoneHref(Map.of("contacts", Map.of("phone", "+255 (26) 232-0000"))))
        .isEqualTo("tel:+255262320000");
    assertThat(SitePlanner.phoneHref(Map.of("contacts", Map.of("phone", "026 232 0000"))))
        .isEqualTo("tel:0262320000");
    assertThat(SitePlanner.phoneHref(Map.of("contacts", Map.of()))).isNull();
  }
}
