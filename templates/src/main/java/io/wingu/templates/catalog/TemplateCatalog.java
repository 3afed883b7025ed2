package io.wingu.templates.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import io.wingu.templates.content.SiteContent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The website templates institutions may choose from. A template whose files are invalid is left
 * out and reported in {@link #loadErrors()}; the others load regardless.
 */
public final class TemplateCatalog {

  static final String SHARED_FOLDER = "_shared";
  private static final String CLASSPATH_FOLDER = "catalog";

  private final SortedMap<String, Template> templates;
  private final List<LoadError> loadErrors;
  private final SharedResources shared;

  private TemplateCatalog(
      SortedMap<String, Template> templates, List<LoadError> loadErrors, SharedResources shared) {
    this.templates = Collections.unmodifiableSortedMap(templates);
    this.loadErrors = List.copyOf(loadErrors);
    this.shared = shared;
  }

  /** The catalogue shipped in this jar under {@code catalog/}. */
  public static TemplateCatalog loadDefault() {
    return CatalogFiles.withClasspathFolder(CLASSPATH_FOLDER, TemplateCatalog::load);
  }

  /**
   * A catalogue folder: {@code _shared/} plus one folder per template, named by the template's id.
   */
  public static TemplateCatalog load(Path dir) {
    SortedMap<String, byte[]> files = CatalogFiles.readTree(dir);
    List<LoadError> errors = new ArrayList<>();
    SharedResources shared =
        SharedResources.read(new TreeMap<>(CatalogFiles.under(files, SHARED_FOLDER + "/")), errors);
    TemplateLoader loader = new TemplateLoader(shared);
    SortedMap<String, Template> templates = new TreeMap<>();
    for (String folder : templateFolders(files)) {
      SortedMap<String, byte[]> own = new TreeMap<>(CatalogFiles.under(files, folder + "/"));
      loader
          .load(folder, own, errors)
          .ifPresent(template -> templates.put(template.id(), template));
    }
    return new TemplateCatalog(templates, errors, shared);
  }

  private static SortedSet<String> templateFolders(SortedMap<String, byte[]> files) {
    SortedSet<String> folders = new TreeSet<>();
    for (String path : files.keySet()) {
      int slash = path.indexOf('/');
      if (slash > 0 && !path.startsWith("_") && !path.startsWith(".")) {
        folders.add(path.substring(0, slash));
      }
    }
    return folders;
  }

  /** Every template that loaded, ordered by id. */
  public List<Template> templates() {
    return List.copyOf(templates.values());
  }

  public Optional<Template> find(String id) {
    return Optional.ofNullable(templates.get(id));
  }

  public Template get(String id) {
    return find(id).orElseThrow(() -> new UnknownTemplateException(id));
  }

  /** Why parts of the catalogue were refused; empty when everything loaded. */
  public List<LoadError> loadErrors() {
    return loadErrors;
  }

  /**
   * Why {@code parameters} cannot be used with the template {@code templateId}; empty when they
   * can.
   */
  public List<ValidationError> validate(String templateId, JsonNode parameters) {
    return get(templateId).validate(parameters);
  }

  /** Bilingual sample pages, news and publications, for previews of the catalogue. */
  public SiteContent exampleContent() {
    return shared.exampleContent();
  }

  public Palettes palettes() {
    return shared.palettes();
  }
}
