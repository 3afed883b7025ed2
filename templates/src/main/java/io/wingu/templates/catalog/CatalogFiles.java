package io.wingu.templates.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Reads a folder of the catalogue into memory once, so that rendering never touches the disk and a
 * catalogue packed in a jar behaves exactly like one on disk.
 */
final class CatalogFiles {

  private CatalogFiles() {}

  /**
   * Every regular file under {@code dir}, keyed by its path relative to {@code dir} with '/'
   * separators.
   */
  static SortedMap<String, byte[]> readTree(Path dir) {
    SortedMap<String, byte[]> files = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return files;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path file : paths.filter(Files::isRegularFile).toList()) {
        String relative =
            dir.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
        files.put(relative, Files.readAllBytes(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read catalogue folder " + dir, e);
    }
    return files;
  }

  /**
   * Runs {@code action} on the catalogue folder found on the classpath, whether in a jar or a
   * directory. One caller at a time: a jar's file system may be opened once, and two control planes
   * starting in one JVM (the tests run two classes at once) would otherwise both open it, or one
   * close it under the other.
   */
  static synchronized <T> T withClasspathFolder(String folder, Function<Path, T> action) {
    URL marker =
        TemplateCatalog.class
            .getClassLoader()
            .getResource(folder + "/" + TemplateCatalog.SHARED_FOLDER + "/palettes.yaml");
    if (marker == null) {
      throw new IllegalStateException(
          "no template catalogue on the classpath (" + folder + "/ is missing)");
    }
    try {
      URI uri = marker.toURI();
      if (!"jar".equals(uri.getScheme())) {
        return action.apply(Path.of(uri).getParent().getParent());
      }
      FileSystem borrowed = existingFileSystem(uri);
      if (borrowed != null) {
        // someone else opened this jar; read through it but leave closing to its owner
        return action.apply(borrowed.getPath("/" + folder));
      }
      try (FileSystem jar =
          FileSystems.newFileSystem(uri, Collections.<String, Object>emptyMap())) {
        return action.apply(jar.getPath("/" + folder));
      }
    } catch (URISyntaxException | IOException e) {
      throw new IllegalStateException("cannot open the template catalogue at " + marker, e);
    }
  }

  private static FileSystem existingFileSystem(URI uri) {
    try {
      return FileSystems.getFileSystem(uri);
    } catch (FileSystemNotFoundException e) {
      return null;
    }
  }

  static Map<String, byte[]> under(SortedMap<String, byte[]> files, String prefix) {
    SortedMap<String, byte[]> result = new TreeMap<>();
    files
        .subMap(prefix, prefix + Character.MAX_VALUE)
        .forEach((path, bytes) -> result.put(path.substring(prefix.length()), bytes));
    return result;
  }
}
