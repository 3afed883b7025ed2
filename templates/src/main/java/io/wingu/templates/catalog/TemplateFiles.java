package io.wingu.templates.catalog;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The files of one template, falling back to the catalogue's {@code _shared/} folder: a template
 * overrides only the pages, partials and assets it wants to look different.
 */
public final class TemplateFiles {

  private static final String ASSETS = "assets/";
  private static final Pattern CONTROL_CHARACTERS =
      Pattern.compile("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F]");

  private final SortedMap<String, byte[]> own;
  private final SortedMap<String, byte[]> shared;
  private final Mustache.Compiler compiler;
  private final Map<String, com.samskivert.mustache.Template> compiled = new ConcurrentHashMap<>();

  TemplateFiles(SortedMap<String, byte[]> own, SortedMap<String, byte[]> shared) {
    this.own = Collections.unmodifiableSortedMap(own);
    this.shared = Collections.unmodifiableSortedMap(shared);
    // HTML escaping stays on (the jmustache default): only {{{triple}}} output is raw, and the
    // renderer passes nothing but sanitized HTML through it
    this.compiler =
        Mustache.compiler()
            .defaultValue("")
            .emptyStringIsFalse(true)
            .zeroIsFalse(true)
            // control characters (NUL and the like) are never meaningful in a page and are parse
            // errors in HTML
            .withFormatter(
                value -> CONTROL_CHARACTERS.matcher(String.valueOf(value)).replaceAll(""))
            .withLoader(
                name ->
                    new StringReader(
                        text("partials/" + name + ".mustache")
                            .orElseThrow(
                                () -> new MustacheException("no partial named '" + name + "'"))));
  }

  /** A file of this template, or of the shared folder when the template has none. */
  public Optional<byte[]> file(String path) {
    byte[] bytes = own.containsKey(path) ? own.get(path) : shared.get(path);
    return Optional.ofNullable(bytes);
  }

  public Optional<String> text(String path) {
    return file(path).map(bytes -> new String(bytes, StandardCharsets.UTF_8));
  }

  /** The compiled Mustache source {@code pages/<name>.mustache}; compiled once, then reused. */
  public com.samskivert.mustache.Template page(String name) {
    return compiled.computeIfAbsent(
        name,
        key ->
            compiler.compile(
                text("pages/" + key + ".mustache")
                    .orElseThrow(
                        () ->
                            new IllegalStateException(
                                "template has no page source '" + key + "'"))));
  }

  /**
   * Static assets published as they are: shared ones, replaced or added to by the template's own.
   */
  public SortedMap<String, byte[]> assets() {
    SortedMap<String, byte[]> assets = new TreeMap<>(CatalogFiles.under(shared, ASSETS));
    assets.putAll(CatalogFiles.under(own, ASSETS));
    return assets;
  }

  /** A template's own file only, without the shared fallback (e.g. its theme stylesheet). */
  public Optional<byte[]> ownFile(String path) {
    return Optional.ofNullable(own.get(path));
  }

  public Optional<byte[]> sharedFile(String path) {
    return Optional.ofNullable(shared.get(path));
  }

  /**
   * Every Mustache source of the template and the shared folder, to check that each compiles at
   * load.
   */
  Map<String, String> mustacheSources(boolean ownOnly) {
    SortedMap<String, String> sources = new TreeMap<>();
    (ownOnly ? own : shared)
        .forEach(
            (path, bytes) -> {
              if (path.endsWith(".mustache")) {
                sources.put(path, new String(bytes, StandardCharsets.UTF_8));
              }
            });
    return sources;
  }

  /** Compiles without running, to report syntax errors at load rather than at first render. */
  Optional<String> syntaxProblem(String source) {
    try {
      compiler.compile(source);
      return Optional.empty();
    } catch (MustacheException e) {
      return Optional.of(e.getMessage());
    }
  }
}
