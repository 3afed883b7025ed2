package io.wingu.templates.archive;

import io.wingu.templates.UnsafePathException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks a site bundle (tar.gz) into a folder; this runs in the site's init container. Only
 * regular files and folders are accepted: links, devices and paths that would land outside the
 * folder make the whole extraction fail.
 */
public final class BundleArchive {

  private BundleArchive() {}

  /** Extracts into {@code dir} (created if missing) and returns how many files were written. */
  public static int extract(InputStream tarGz, Path dir) throws IOException {
    Path root = Files.createDirectories(dir).toRealPath();
    int files = 0;
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new GZIPInputStream(tarGz), "UTF-8")) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path target = target(root, entry);
        if (entry.isDirectory()) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
          files++;
        }
      }
    }
    return files;
  }

  private static Path target(Path root, TarArchiveEntry entry) {
    String name = entry.getName();
    if (entry.isSymbolicLink() || entry.isLink()) {
      throw new UnsafePathException(
          "bundle contains a link, refused: " + name + " -> " + entry.getLinkName());
    }
    if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
      throw new UnsafePathException("bundle contains a device or pipe, refused: " + name);
    }
    if (!entry.isDirectory() && !entry.isFile()) {
      throw new UnsafePathException(
          "bundle contains an entry that is not a file or folder, refused: " + name);
    }
    String path =
        entry.isDirectory() && name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    Path target = root.resolve(BundlePaths.check(path)).normalize();
    // belt and braces: the checked path cannot climb out, and this proves it did not
    if (!target.startsWith(root)) {
      throw new UnsafePathException("bundle entry would land outside the folder: " + name);
    }
    return target;
  }
}
