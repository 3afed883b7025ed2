package io.wingu.templates.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A scratch catalogue: the real shared folder and templates, copied, then changed — broken on
 * purpose for load tests, or made older for the control plane's template upgrade tests.
 */
public final class CatalogFolder {

  /** The module's catalogue sources; tests run with the module folder as working directory. */
  static final Path SOURCE = Path.of("catalog");

  private final Path root;
  private final Path source;

  CatalogFolder(Path root) {
    this(root, SOURCE);
  }

  /** A catalogue in {@code root} made from the catalogue sources in {@code source}. */
  public CatalogFolder(Path root, Path source) {
    this.root = root;
    this.source = source;
  }

  public Path root() {
    return root;
  }

  public CatalogFolder withShared() {
    copy(
        source.resolve(TemplateCatalog.SHARED_FOLDER), root.resolve(TemplateCatalog.SHARED_FOLDER));
    return this;
  }

  public CatalogFolder withTemplate(String id) {
    copy(source.resolve(id), root.resolve(id));
    return this;
  }

  /** The shared folder and every template of the sources. */
  public CatalogFolder withEverything() {
    withShared();
    try (Stream<Path> folders = Files.list(source)) {
      folders
          .filter(Files::isDirectory)
          .map(f -> f.getFileName().toString())
          .filter(name -> !name.startsWith("_") && !name.startsWith("."))
          .forEach(this::withTemplate);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /**
   * A copy of {@code base} under the name {@code folder}, its template.yaml replaced by {@code
   * yaml}.
   */
  CatalogFolder withTemplateYaml(String folder, String base, String yaml) {
    copy(SOURCE.resolve(base), root.resolve(folder));
    write(folder + "/template.yaml", yaml);
    return this;
  }

  /** The template.yaml of a shipped template, with text replaced. */
  static String shippedYaml(String id, String target, String replacement) {
    try {
      String yaml = Files.readString(SOURCE.resolve(id).resolve("template.yaml"));
      if (!yaml.contains(target)) {
        throw new IllegalArgumentException(id + "/template.yaml does not contain: " + target);
      }
      return yaml.replace(target, replacement);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public CatalogFolder write(String relative, String text) {
    try {
      Path file = root.resolve(relative);
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  TemplateCatalog load() {
    return TemplateCatalog.load(root);
  }

  private static void copy(Path from, Path to) {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.toList()) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
