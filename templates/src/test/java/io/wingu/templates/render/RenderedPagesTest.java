package io.wingu.templates.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.wingu.templates.testing.ExampleSites;
import java.util.Map;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Structure every published page must have, checked on the parsed HTML of every example site. */
class RenderedPagesTest {

  @ParameterizedTest
  @MethodSource(ExampleSites.TEMPLATE_IDS)
  void everyPageIsBilingualAccessibleAndSelfContained(String templateId) {
    Bundle bundle = ExampleSites.bundle(templateId);
    Map<String, Document> pages = ExampleSites.htmlPages(bundle);
    assertThat(pages)
        .containsKeys(
            "index.html",
            "sw/index.html",
            "en/index.html",
            "sw/about.html",
            "en/services.html",
            "sw/news/index.html",
            "en/publications.html",
            "sw/tenders.html",
            "en/contact.html",
            "sw/search.html",
            "en/news/huduma-mtandaoni.html",
            "sw/pages/citizen-charter.html");
    pages.forEach((path, page) -> PageChecks.assertWellFormedPage(path, page));
    assertThat(pages.get("en/publications.html").select("table.documents a[download]").attr("href"))
        .isEqualTo("../documents/bajeti-2026/bajeti-2026-27.pdf");
    assertThat(bundle.file("documents/bajeti-2026/bajeti-2026-27.pdf")).isPresent();
  }

  @ParameterizedTest
  @MethodSource(ExampleSites.TEMPLATE_IDS)
  void officialBannerIsInThePageLanguage(String templateId) {
    Map<String, Document> pages = ExampleSites.htmlPages(ExampleSites.bundle(templateId));
    assertThat(pages.get("sw/contact.html").select(".official-banner").text())
        .contains("Tovuti rasmi ya Serikali ya Jamhuri ya Muungano wa Tanzania");
    assertThat(pages.get("en/contact.html").select(".official-banner").text())
        .contains("An official website of the Government of the United Republic of Tanzania");
  }

  @ParameterizedTest
  @MethodSource(ExampleSites.TEMPLATE_IDS)
  void languageSwitchLeadsToTheSamePageInTheOtherLanguage(String templateId) {
    Map<String, Document> pages = ExampleSites.htmlPages(ExampleSites.bundle(templateId));
    Element toEnglish =
        pages.get("sw/news/huduma-mtandaoni.html").selectFirst(".language-switch a");
    assertThat(toEnglish.attr("href")).isEqualTo("../../en/news/huduma-mtandaoni.html");
    assertThat(toEnglish.attr("lang")).isEqualTo("en");
    Element toSwahili = pages.get("en/about.html").selectFirst(".language-switch a");
    assertThat(toSwahili.attr("href")).isEqualTo("../sw/about.html");
  }

  @ParameterizedTest
  @MethodSource(ExampleSites.TEMPLATE_IDS)
  void homePageWithItsStylesAndScriptsWeighsAtMost200KB(String templateId) {
    Bundle bundle = ExampleSites.bundle(templateId);
    for (String lang : new String[] {"sw", "en"}) {
      long weight = PageChecks.weightWithLocalResources(bundle, lang + "/index.html");
      assertThat(weight)
          .as("%s %s home page weight in bytes", templateId, lang)
          .isLessThanOrEqualTo(200 * 1024);
    }
  }

  @ParameterizedTest
  @MethodSource(ExampleSites.TEMPLATE_IDS)
  void searchIndexListsEveryPageOfItsLanguage(String templateId) {
    Bundle bundle = ExampleSites.bundle(templateId);
    String index = bundle.text("sw/search-index.json").orElseThrow();
    assertThat(index)
        .contains(
            "\"u\":\"about.html\"",
            "\"u\":\"news/huduma-mtandaoni.html\"",
            "Huduma mpya za mtandaoni");
    assertThat(bundle.text("en/search-index.json").orElseThrow()).contains("New online services");
  }
}
