package io.wingu.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * An image in an OCI image layout tar (what Jib's buildTar writes with format OCI): its config, and
 * its layers unpacked in order into a root file system.
 */
final class OciImage {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path layout;
  private final JsonNode manifest;
  private final JsonNode config;

  private OciImage(Path layout, JsonNode manifest, JsonNode config) {
    this.layout = layout;
    this.manifest = manifest;
    this.config = config;
  }

  /** Unpacks the layout tar into {@code work} and reads the one image it holds. */
  static OciImage open(Path tar, Path work) throws IOException {
    Path layout = Files.createDirectories(work.resolve("layout"));
    unpack(Files.newInputStream(tar), layout);
    JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
    if (index.path("manifests").size() != 1) {
      throw new IllegalStateException(
          tar + " holds " + index.path("manifests").size() + " images, expected one");
    }
    JsonNode manifest =
        JSON.readTree(
            blob(layout, index.path("manifests").get(0).path("digest").asText()).toFile());
    JsonNode config =
        JSON.readTree(blob(layout, manifest.path("config").path("digest").asText()).toFile());
    return new OciImage(layout, manifest, config);
  }

  /** The image's run configuration: Entrypoint, Cmd, Env, User, WorkingDir. */
  JsonNode runConfig() {
    return config.path("config");
  }

  JsonNode config() {
    return config;
  }

  List<String> entrypoint() {
    List<String> entrypoint = new ArrayList<>();
    runConfig().path("Entrypoint").forEach(e -> entrypoint.add(e.asText()));
    return entrypoint;
  }

  List<String> env() {
    List<String> env = new ArrayList<>();
    runConfig().path("Env").forEach(e -> env.add(e.asText()));
    return env;
  }

  /** Applies every layer, first to last, as a container runtime does; returns the root. */
  Path unpackRootFileSystem(Path root) throws IOException {
    Files.createDirectories(root);
    for (JsonNode layer : manifest.path("layers")) {
      Path blob = blob(layout, layer.path("digest").asText());
      InputStream in = Files.newInputStream(blob);
      unpack(
          layer.path("mediaType").asText().endsWith("gzip") ? new GZIPInputStream(in) : in, root);
    }
    return root;
  }

  private static Path blob(Path layout, String digest) {
    String[] parts = digest.split(":", 2);
    return layout.resolve("blobs").resolve(parts[0]).resolve(parts[1]);
  }

  /**
   * Extracts a tar stream: files with their permission bits, directories, symbolic and hard links,
   * whiteouts.
   */
  private static void unpack(InputStream stream, Path target) throws IOException {
    try (TarArchiveInputStream tar = new TarArchiveInputStream(stream)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path path = target.resolve(entry.getName()).normalize();
        if (!path.startsWith(target)) {
          throw new IOException("tar entry outside the target: " + entry.getName());
        }
        String fileName = path.getFileName() == null ? "" : path.getFileName().toString();
        if (fileName.startsWith(".wh.")) {
          deleteRecursively(path.resolveSibling(fileName.substring(4)));
          continue;
        }
        Files.createDirectories(path.getParent());
        if (entry.isDirectory()) {
          Files.createDirectories(path);
        } else if (entry.isSymbolicLink()) {
          Files.deleteIfExists(path);
          Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
          continue;
        } else if (entry.isLink()) {
          Files.deleteIfExists(path);
          Files.createLink(path, target.resolve(entry.getLinkName()).normalize());
          continue;
        } else {
          Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.setPosixFilePermissions(path, permissions(entry.getMode()));
      }
    }
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] bits =
        PosixFilePermission.values(); // OWNER_READ ... OTHERS_EXECUTE, high bit first
    for (int i = 0; i < bits.length; i++) {
      if ((mode & (1 << (bits.length - 1 - i))) != 0) {
        permissions.add(bits[i]);
      }
    }
    return permissions;
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      try (var children = Files.list(path)) {
        for (Path child : children.toList()) {
          deleteRecursively(child);
        }
      }
    }
    Files.delete(path);
  }
}
