package io.wingu.templates.render;

import com.fasterxml.jackson.databind.JsonNode;
import io.wingu.templates.Language;
import io.wingu.templates.catalog.Palette;
import io.wingu.templates.catalog.Template;
import io.wingu.templates.catalog.ValidationError;
import io.wingu.templates.content.FileSource;
import io.wingu.templates.content.SiteContent;
import java.util.List;
import java.util.Map;

/**
 * Renders a site: template + parameters + content into a {@link Bundle} of static files, both
 * languages, deterministic to the byte. Stateless and safe to call from many threads.
 */
public final class SiteRenderer {

  static final String SCRIPT_PATH = "assets/site.js";

  private SiteRenderer() {}

  /** Renders a site without uploaded files (no documents, logo inline or absent). */
  public static Bundle render(Template template, JsonNode parameters, SiteContent content) {
    return render(template, parameters, content, FileSource.none());
  }

  /**
   * Renders every file of the site.
   *
   * @throws InvalidParametersException when the template's schema refuses {@code parameters}
   * @throws io.wingu.templates.UnsafePathException never for content built through its constructors
   */
  public static Bundle render(
      Template template, JsonNode parameters, SiteContent content, FileSource files) {
    return render(template, parameters, content, files, null);
  }

  /**
   * Renders every file of the site served at {@code siteUrl} ({@code https://host/}): its pages
   * name their other-language versions there with absolute {@code hreflang} alternates, as search
   * engines read them. Without an address, pages carry no alternates (never relative ones).
   */
  public static Bundle render(
      Template template,
      JsonNode parameters,
      SiteContent content,
      FileSource files,
      java.net.URI siteUrl) {
    Palette palette = checked(template, parameters);
    Uploads uploads = new Uploads(parameters, content, files, true);
    Bundle.Builder bundle = Bundle.builder();
    for (Language language : Language.values()) {
      List<PlannedPage> pages =
          plan(template, parameters, content, uploads, language, Map.of(), siteUrl);
      for (PlannedPage page : pages) {
        bundle.put(page.path(), PageWriter.write(template.files(), page, null));
      }
      bundle.put(SearchIndex.path(language), SearchIndex.json(language, pages));
    }
    bundle.put("index.html", LanguageChooser.html(template, parameters, uploads));
    bundle.put(SiteStyles.PATH, SiteStyles.css(template.files(), palette));
    template
        .files()
        .assets()
        .forEach(
            (name, bytes) -> {
              if (SiteStyles.isCopiedAsIs(name)) {
                bundle.put("assets/" + name, bytes);
              }
            });
    uploads.files().forEach(bundle::put);
    return bundle.build();
  }

  /** The home page in the site's default language, for previews. */
  public static String renderPage(Template template, JsonNode parameters, SiteContent content) {
    Language language = Language.fromCode(parameters.path("defaultLanguage").asText("sw"));
    return renderPage(template, parameters, content, language, "index.html", FileSource.none());
  }

  /**
   * One page for previews, for sites without uploaded images; see the variant with a {@link
   * FileSource}.
   */
  public static String renderPage(
      Template template, JsonNode parameters, SiteContent content, Language language, String page) {
    return renderPage(template, parameters, content, language, page, FileSource.none());
  }

  /**
   * One page as a standalone HTML document for previews: its stylesheet and images are embedded, so
   * it displays without the rest of the bundle. Links to other pages do not resolve.
   *
   * @param page the page's path inside the language folder: {@code index.html}, {@code about.html},
   *     {@code news/index.html}, {@code news/<slug>.html}, {@code pages/<slug>.html}, ...
   * @throws IllegalArgumentException when the site has no such page
   */
  public static String renderPage(
      Template template,
      JsonNode parameters,
      SiteContent content,
      Language language,
      String page,
      FileSource files) {
    Palette palette = checked(template, parameters);
    Uploads uploads = new Uploads(parameters, content, files, false);
    String path = language.code() + "/" + page;
    return plan(template, parameters, content, uploads, language, uploads.files(), null).stream()
        .filter(planned -> planned.path().equals(path))
        .findFirst()
        .map(
            planned ->
                PageWriter.write(
                    template.files(), planned, SiteStyles.css(template.files(), palette)))
        .orElseThrow(() -> new IllegalArgumentException("the site has no page " + path));
  }

  private static Palette checked(Template template, JsonNode parameters) {
    List<ValidationError> errors = template.validate(parameters);
    if (!errors.isEmpty()) {
      throw new InvalidParametersException(template.id(), errors);
    }
    String paletteId = parameters.path("palette").asText();
    return template
        .palettes()
        .find(paletteId)
        .orElseThrow(
            () ->
                new InvalidParametersException(
                    template.id(),
                    List.of(
                        new ValidationError(
                            "/palette", "no accessible palette named '" + paletteId + "'"))));
  }

  private static List<PlannedPage> plan(
      Template template,
      JsonNode parameters,
      SiteContent content,
      Uploads uploads,
      Language language,
      Map<String, byte[]> embedded,
      java.net.URI siteUrl) {
    Object site = LocalizedParameters.of(parameters, language);
    return new SitePlanner(template, language, site, content, uploads, embedded, siteUrl).plan();
  }
}
