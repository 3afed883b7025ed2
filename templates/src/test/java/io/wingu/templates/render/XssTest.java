package io.wingu.templates.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.wingu.templates.LocalizedText;
import io.wingu.templates.catalog.Template;
import io.wingu.templates.content.ContentEntry;
import io.wingu.templates.content.SiteContent;
import io.wingu.templates.testing.ExampleSites;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every string parameter and every content field, filled with attack strings, must come out as text
 * or be sanitized away: no injected script, no event handler, no script URL in the DOM.
 */
class XssTest {

  /** Attributes a browser follows or loads as a URL; a script URL in any of them runs code. */
  private static final java.util.Set<String> URL_ATTRIBUTES =
      java.util.Set.of(
          "href",
          "src",
          "action",
          "formaction",
          "xlink:href",
          "data",
          "poster",
          "srcset",
          "background",
          "cite",
          "longdesc",
          "manifest",
          "ping");

  @ParameterizedTest
  @MethodSource(ExampleSites.TEMPLATE_IDS)
  void hostileParametersComeOutEscaped(String templateId) {
    Template template = ExampleSites.catalog().get(templateId);
    for (String payload : HostileInput.TEXT_PAYLOADS) {
      ObjectNode parameters = template.example().deepCopy();
      List<String> accepted = fillEveryStringThatStillValidates(template, parameters, payload);
      // names, descriptions and addresses are free text, so most fields must take the payload
      assertThat(accepted)
          .as("fields that accepted %s", payload)
          .contains("/institution/name/sw", "/institution/name/en", "/contacts/address/sw");
      Bundle bundle =
          ExampleSites.render(templateId, parameters, ExampleSites.catalog().exampleContent());
      assertNoInjectedMarkup(bundle);
      String heading =
          ExampleSites.htmlPages(bundle).get("sw/about.html").select("header .brand__name").text();
      assertThat(heading).as("institution name shown as text").isEqualTo(normalisedText(payload));
    }
  }

  @ParameterizedTest
  @MethodSource(ExampleSites.TEMPLATE_IDS)
  void hostileContentIsSanitized(String templateId) {
    Template template = ExampleSites.catalog().get(templateId);
    for (String title : HostileInput.TEXT_PAYLOADS) {
      List<ContentEntry> entries = new ArrayList<>();
      int n = 0;
      for (String body : HostileInput.MARKDOWN_PAYLOADS) {
        entries.add(
            new ContentEntry(
                "entry-" + n++,
                new LocalizedText(title, title),
                new LocalizedText(body, "# Heading\n\n" + body),
                LocalDate.of(2026, 1, n)));
      }
      List<ContentEntry> pages = new ArrayList<>(entries);
      pages.add(
          new ContentEntry(
              "about",
              new LocalizedText(title, title),
              new LocalizedText(String.join("\n\n", HostileInput.MARKDOWN_PAYLOADS), "x"),
              null));
      SiteContent content = new SiteContent(pages, entries, entries, List.of());
      Bundle bundle = ExampleSites.render(templateId, template.example(), content);
      assertNoInjectedMarkup(bundle);
      assertThat(bundle.text("sw/search-index.json").orElseThrow()).doesNotContain("<", ">");
    }
  }

  /** Sets each string leaf to the payload, keeping it only if the parameters still validate. */
  private static List<String> fillEveryStringThatStillValidates(
      Template template, ObjectNode root, String payload) {
    List<String> accepted = new ArrayList<>();
    for (String pointer : stringPointers(root, "")) {
      int slash = pointer.lastIndexOf('/');
      JsonNode parent = root.at(pointer.substring(0, slash));
      String key = pointer.substring(slash + 1);
      JsonNode before = parent.isArray() ? parent.get(Integer.parseInt(key)) : parent.get(key);
      set(parent, key, TextNode.valueOf(payload));
      if (template.validate(root).isEmpty()) {
        accepted.add(pointer);
      } else {
        set(parent, key, before);
      }
    }
    return accepted;
  }

  private static void set(JsonNode parent, String key, JsonNode value) {
    if (parent.isArray()) {
      ((com.fasterxml.jackson.databind.node.ArrayNode) parent).set(Integer.parseInt(key), value);
    } else {
      ((ObjectNode) parent).set(key, value);
    }
  }

  private static List<String> stringPointers(JsonNode node, String pointer) {
    List<String> pointers = new ArrayList<>();
    if (node.isTextual()) {
      pointers.add(pointer);
    } else if (node.isObject()) {
      node.properties()
          .forEach(
              field ->
                  pointers.addAll(
                      stringPointers(field.getValue(), pointer + "/" + field.getKey())));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        pointers.addAll(stringPointers(node.get(i), pointer + "/" + i));
      }
    }
    return pointers;
  }

  static void assertNoInjectedMarkup(Bundle bundle) {
    for (Map.Entry<String, Document> page : ExampleSites.htmlPages(bundle).entrySet()) {
      String path = page.getKey();
      Document document = page.getValue();
      for (Element script : document.select("script")) {
        assertThat(script.attr("src"))
            .as("%s: only the site's own script", path)
            .endsWith("assets/site.js");
        assertThat(script.data()).as("%s: no inline script", path).isEmpty();
      }
      assertThat(
              document.select(
                  "iframe, object, embed, frame, svg, math, form[action^=http], base, style, [style]"))
          .as("%s: no injected embedding or styling elements", path)
          .isEmpty();
      assertThat(document.select("meta[http-equiv=refresh]")).as("%s: no refresh", path).isEmpty();
      for (Element element : document.getAllElements()) {
        for (Attribute attribute : element.attributes()) {
          assertThat(attribute.getKey().toLowerCase(Locale.ROOT))
              .as("%s: event handler on %s", path, element.tagName())
              .doesNotStartWith("on");
          if (!URL_ATTRIBUTES.contains(attribute.getKey().toLowerCase(Locale.ROOT))) {
            continue;
          }
          String value =
              attribute.getValue().replaceAll("[\\s\\p{Cntrl}]", "").toLowerCase(Locale.ROOT);
          assertThat(value)
              .as("%s: %s=%s", path, attribute.getKey(), attribute.getValue())
              .doesNotStartWith("javascript:")
              .doesNotStartWith("vbscript:")
              .doesNotStartWith("data:text");
        }
      }
      PageChecks.assertNoExternalReferences(path, document);
    }
  }

  /** What the page shows for a text value: control characters are dropped, whitespace collapsed. */
  private static String normalisedText(String text) {
    return text.replace("\u0000", "").replaceAll("\\s+", " ").strip();
  }
}
