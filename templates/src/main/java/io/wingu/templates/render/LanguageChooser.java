package io.wingu.templates.render;

import com.fasterxml.jackson.databind.JsonNode;
import io.wingu.templates.Language;
import io.wingu.templates.catalog.Template;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The site's root {@code index.html}: a bilingual page to choose Kiswahili or English, the site's
 * default language first. Its small script forwards returning visitors to the language they chose
 * before.
 */
final class LanguageChooser {

  static final String SOURCE = "choose-language";

  private LanguageChooser() {}

  static String html(Template template, JsonNode parameters, Uploads uploads) {
    Language first = Language.fromCode(parameters.path("defaultLanguage").asText("sw"));
    List<Map<String, Object>> languages = new ArrayList<>();
    for (Language language : List.of(first, first.other())) {
      Map<String, Object> choice = new LinkedHashMap<>();
      choice.put("lang", language.code());
      choice.put("t", new InterfaceStrings(template, language).forMustache());
      choice.put("site", LocalizedParameters.of(parameters, language));
      choice.put("href", SitePlanner.pathOf(language, PageKind.HOME));
      languages.add(choice);
    }
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("lang", first.code());
    model.put("first", languages.get(0));
    model.put("languages", languages);
    model.put("cssHref", SiteStyles.PATH);
    model.put("jsHref", SiteRenderer.SCRIPT_PATH);
    model.put("logoHref", uploads.logoPath());
    model.put("templateId", template.id());
    return template.files().page(SOURCE).execute(model);
  }
}
