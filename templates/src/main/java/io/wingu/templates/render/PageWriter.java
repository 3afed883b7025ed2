package io.wingu.templates.render;

import io.wingu.templates.catalog.TemplateFiles;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Renders a planned page: first its own source, then the layout around it. jmustache has no
 * template inheritance, so the layout receives the page's HTML as {@code content}; that HTML came
 * from an escaping template and is therefore safe to insert raw.
 */
final class PageWriter {

  static final String LAYOUT = "layout";

  private PageWriter() {}

  /**
   * @param inlineCss the stylesheet to embed (previews), or null to link to it
   */
  static String write(TemplateFiles files, PlannedPage page, String inlineCss) {
    Map<String, Object> model = new LinkedHashMap<>(page.model());
    if (inlineCss != null) {
      model.put("inlineCss", inlineCss);
    }
    model.put("content", files.page(page.kind().source()).execute(model));
    return files.page(LAYOUT).execute(model);
  }
}
