package io.wingu.controlplane.sites;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wingu.templates.catalog.Template;
import io.wingu.templates.catalog.TemplateCatalog;
import io.wingu.templates.content.SiteContent;
import io.wingu.templates.render.SiteRenderer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The website template catalogue, loaded once at start-up. A template whose files are refused is
 * logged (file and field) and left out; the others serve regardless.
 */
public final class SiteTemplates {

  private static final Logger LOG = LoggerFactory.getLogger(SiteTemplates.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final TemplateCatalog catalog;
  private final Buffer listing;
  private final Map<String, String> previews = new ConcurrentHashMap<>();

  public SiteTemplates(TemplateCatalog catalog) {
    this.catalog = catalog;
    catalog
        .loadErrors()
        .forEach(
            e ->
                LOG.warn(
                    "template left out: {} {}: {}",
                    e.file(),
                    e.field().isEmpty() ? "(whole file)" : e.field(),
                    e.message()));
    JsonArray all = new JsonArray();
    catalog.templates().forEach(t -> all.add(toJson(t)));
    this.listing = all.toBuffer();
    LOG.info(
        "template catalogue: {} template(s) loaded, {} refused",
        catalog.templates().size(),
        catalog.loadErrors().size());
  }

  public static SiteTemplates loadDefault() {
    return new SiteTemplates(TemplateCatalog.loadDefault());
  }

  public Optional<Template> find(String id) {
    return catalog.find(id);
  }

  public boolean exists(String id) {
    return catalog.find(id).isPresent();
  }

  /** GET /templates, encoded once. */
  public Buffer listing() {
    return listing;
  }

  public SiteContent exampleContent() {
    return catalog.exampleContent();
  }

  /**
   * The template's home page with its example parameters and the example content; rendered once.
   */
  public String preview(Template template) {
    return previews.computeIfAbsent(
        template.id(),
        id -> SiteRenderer.renderPage(template, template.example(), catalog.exampleContent()));
  }

  static JsonObject toJson(Template t) {
    return new JsonObject()
        .put("id", t.id())
        .put("version", t.version())
        .put("name", ContentItem.text(t.name()))
        .put("description", ContentItem.text(t.description()))
        .put("parameters", vertx(t.parametersSchema()))
        .put("example", vertx(t.example()));
  }

  static JsonObject vertx(JsonNode node) {
    return new JsonObject(node.toString());
  }

  static JsonNode jackson(JsonObject json) {
    try {
      return JSON.readTree(json.encode());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode jackson(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
