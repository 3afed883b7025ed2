package io.wingu.controlplane.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Temporary folders the unprivileged database user can traverse (createTempDirectory gives 0700).
 */
public final class TempDirs {
  private static final java.nio.file.attribute.FileAttribute<?> TRAVERSABLE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x"));

  private TempDirs() {}

  public static Path create(String prefix) {
    try {
      return Files.createTempDirectory(prefix, TRAVERSABLE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** As {@link #create(String)}, inside {@code parent} (a benchmark's chosen filesystem). */
  public static Path createIn(Path parent, String prefix) {
    try {
      return Files.createTempDirectory(parent, prefix, TRAVERSABLE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Deletes a folder and everything in it (a benchmark's database files: gigabytes, not left in
   * /tmp).
   */
  public static void delete(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.out.println("could not delete " + dir + ": " + e.getMessage());
    }
  }
}
