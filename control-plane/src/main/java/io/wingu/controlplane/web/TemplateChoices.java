package io.wingu.controlplane.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.sites.SiteTemplates;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The template catalogue as choices on a form, named in the page's language. */
final class TemplateChoices {

  private final SiteTemplates templates;
  private final JsonArray listing;

  TemplateChoices(SiteTemplates templates) {
    this.templates = templates;
    this.listing = templates.listing().toJsonArray();
  }

  SiteTemplates templates() {
    return templates;
  }

  List<Map<String, Object>> choices(String lang, String chosen) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object o : listing) {
      JsonObject t = (JsonObject) o;
      out.add(
          Map.of(
              "id",
              t.getString("id"),
              "name",
              localized(t.getJsonObject("name"), lang),
              "description",
              localized(t.getJsonObject("description"), lang),
              "checked",
              t.getString("id").equals(chosen)));
    }
    return out;
  }

  /** The template's name in {@code lang}; empty when none was chosen, the id when unknown. */
  String name(String lang, String id) {
    for (Object o : listing) {
      JsonObject t = (JsonObject) o;
      if (t.getString("id").equals(id)) {
        return localized(t.getJsonObject("name"), lang);
      }
    }
    return id == null ? "" : id;
  }

  private static String localized(JsonObject text, String lang) {
    return text == null ? "" : text.getString(lang, text.getString("en", ""));
  }
}
