package io.wingu.controlplane.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The one folder where multipart uploads (API and console) wait while their request lasts; Vert.x
 * deletes each file when its request ends, and the folder goes when the control plane stops.
 */
public final class UploadsFolder implements AutoCloseable {

  private final Path path;

  private UploadsFolder(Path path) {
    this.path = path;
  }

  public static UploadsFolder create() {
    try {
      return new UploadsFolder(Files.createTempDirectory("wingu-uploads"));
    } catch (IOException e) {
      throw new StartupException(
          "cannot create a folder for uploads in "
              + System.getProperty("java.io.tmpdir")
              + ": "
              + e.getMessage(),
          e);
    }
  }

  public Path path() {
    return path;
  }

  @Override
  public void close() throws IOException {
    try (Stream<Path> inside = Files.walk(path)) {
      for (Path p : inside.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
