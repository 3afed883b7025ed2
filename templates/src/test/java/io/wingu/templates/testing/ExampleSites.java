package io.wingu.templates.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.wingu.templates.LocalizedText;
import io.wingu.templates.catalog.Template;
import io.wingu.templates.catalog.TemplateCatalog;
import io.wingu.templates.content.SiteContent;
import io.wingu.templates.render.Bundle;
import io.wingu.templates.render.SiteRenderer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

/** The shipped catalogue and its example sites, loaded and rendered once for all tests of a run. */
public final class ExampleSites {

  /** Where the example sites are served, as a deployment names the site's first hostname. */
  public static final java.net.URI SITE_URL = java.net.URI.create("https://www.example.go.tz/");

  /** For {@code @MethodSource}: runs a parameterized test once per template of the catalogue. */
  public static final String TEMPLATE_IDS = "io.wingu.templates.testing.ExampleSites#templateIds";

  private static final TemplateCatalog CATALOG = TemplateCatalog.loadDefault();
  private static final Map<String, Bundle> BUNDLES = new ConcurrentHashMap<>();

  private ExampleSites() {}

  public static TemplateCatalog catalog() {
    return CATALOG;
  }

  public static List<Template> templates() {
    return CATALOG.templates();
  }

  public static Stream<String> templateIds() {
    return templates().stream().map(Template::id);
  }

  /** A stand-in for an uploaded PDF, so the documents table is rendered and checked too. */
  private static final byte[] SAMPLE_PDF =
      "%PDF-1.4\n% Wingu sample budget\n".getBytes(StandardCharsets.US_ASCII);

  private static final io.wingu.templates.content.Document SAMPLE_DOCUMENT =
      new io.wingu.templates.content.Document(
          "bajeti-2026",
          new LocalizedText("Bajeti ya mwaka 2026/27", "Budget 2026/27"),
          "bajeti-2026-27.pdf",
          Bundle.sha256Hex(SAMPLE_PDF),
          SAMPLE_PDF.length);

  /**
   * The template rendered with its example parameters, the catalogue's example content and one
   * document.
   */
  public static Bundle bundle(String templateId) {
    return BUNDLES.computeIfAbsent(
        templateId,
        id -> {
          Template template = CATALOG.get(id);
          SiteContent example = CATALOG.exampleContent();
          SiteContent content =
              new SiteContent(
                  example.pages(),
                  example.news(),
                  example.publications(),
                  List.of(SAMPLE_DOCUMENT));
          return SiteRenderer.render(
              template, template.example(), content, digest -> SAMPLE_PDF, SITE_URL);
        });
  }

  public static Bundle render(String templateId, JsonNode parameters, SiteContent content) {
    return SiteRenderer.render(CATALOG.get(templateId), parameters, content);
  }

  /** Every HTML file of a bundle, parsed. */
  public static Map<String, Document> htmlPages(Bundle bundle) {
    Map<String, Document> pages = new java.util.TreeMap<>();
    bundle
        .files()
        .forEach(
            (path, bytes) -> {
              if (path.endsWith(".html")) {
                pages.put(
                    path,
                    Jsoup.parse(
                        new String(bytes, StandardCharsets.UTF_8),
                        "https://site.example.go.tz/" + path));
              }
            });
    return pages;
  }
}
