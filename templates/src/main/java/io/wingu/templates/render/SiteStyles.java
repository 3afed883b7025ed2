package io.wingu.templates.render;

import io.wingu.templates.catalog.Palette;
import io.wingu.templates.catalog.TemplateFiles;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The one stylesheet of a site: the shared base, then the template's theme, then the chosen palette
 * as CSS custom properties. One file keeps the page to a single stylesheet request.
 */
final class SiteStyles {

  static final String PATH = "assets/site.css";
  static final String BASE = "assets/site.css";
  static final String THEME = "assets/theme.css";

  private SiteStyles() {}

  static String css(TemplateFiles files, Palette palette) {
    StringBuilder css = new StringBuilder();
    css.append(":root{");
    for (Map.Entry<String, String> variable : palette.cssVariables().entrySet()) {
      css.append(variable.getKey()).append(':').append(variable.getValue()).append(';');
    }
    css.append("}\n");
    files
        .sharedFile(BASE)
        .ifPresent(bytes -> css.append(new String(bytes, StandardCharsets.UTF_8)));
    files
        .ownFile(THEME)
        .ifPresent(bytes -> css.append('\n').append(new String(bytes, StandardCharsets.UTF_8)));
    return css.toString();
  }

  /** Asset files copied as they are: everything except the stylesheets merged above. */
  static boolean isCopiedAsIs(String assetName) {
    return !("site.css".equals(assetName) || "theme.css".equals(assetName));
  }
}
