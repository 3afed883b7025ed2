package io.wingu.templates.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.wingu.templates.LocalizedText;
import io.wingu.templates.catalog.Template;
import io.wingu.templates.content.ContentEntry;
import io.wingu.templates.content.SiteContent;
import io.wingu.templates.render.Bundle;
import io.wingu.templates.render.SiteRenderer;
import io.wingu.templates.testing.ExampleSites;
import java.util.List;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AccessibilityCheckTest {

  @ParameterizedTest
  @MethodSource(ExampleSites.TEMPLATE_IDS)
  void everyTemplatesExampleSitePasses(String templateId) {
    assertThat(AccessibilityCheck.check(ExampleSites.bundle(templateId))).isEmpty();
  }

  @Test
  void contentWithAnEmptyLinkOrAnEmptyHeadingFails() {
    Template template = ExampleSites.templates().get(0);
    String body = "## Huduma\n\n###\n\nSoma [](https://moh.go.tz/ripoti) hapa.";
    SiteContent content =
        new SiteContent(
            List.of(
                new ContentEntry(
                    "huduma",
                    new LocalizedText("Huduma", "Services"),
                    new LocalizedText(body, body),
                    null)),
            List.of(),
            List.of(),
            List.of());
    Bundle bundle = SiteRenderer.render(template, template.example(), content);
    List<AccessibilityCheck.Finding> findings = AccessibilityCheck.check(bundle);
    assertThat(findings)
        .extracting(AccessibilityCheck.Finding::rule)
        .contains("empty-heading", "link-name");
    assertThat(findings)
        .extracting(AccessibilityCheck.Finding::page)
        .anyMatch(p -> p.contains("huduma"));
  }

  @Test
  void eachRuleNamesWhatIsWrong() {
    String page =
        "<html><head><title> </title></head><body><div id=a></div><div id=a></div>"
            + "<img src=x.png><input id=q><table><tr><td>1</td></tr></table><h1></h1></body></html>";
    assertThat(AccessibilityCheck.checkPage("index.html", Jsoup.parse(page)))
        .extracting(AccessibilityCheck.Finding::rule)
        .containsExactlyInAnyOrder(
            "html-has-lang",
            "document-title",
            "landmark-one-main",
            "bypass",
            "image-alt",
            "label",
            "empty-heading",
            "table-headers",
            "duplicate-id");
  }
}
