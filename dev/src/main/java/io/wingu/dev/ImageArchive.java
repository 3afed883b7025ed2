package io.wingu.dev;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A one-layer container image around one statically linked program, written as a docker-archive tar
 * (layer, config, manifest.json) that {@code ctr images import} reads. Images are built on this
 * machine this way because it reaches no registry.
 */
public final class ImageArchive {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ImageArchive() {}

  /**
   * Writes {@code archive} holding the image {@code reference} whose file system is {@code program}
   * at {@code /<name>}, started as {@code user} ("uid:gid").
   */
  public static Path write(Path archive, String reference, Path program, String user)
      throws IOException {
    String name = program.getFileName().toString();
    byte[] layer = tar(Map.of(name, Files.readAllBytes(program)), 0755);
    String layerDigest = sha256(layer);
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("architecture", "amd64");
    config.put("os", "linux");
    config.put(
        "config",
        Map.of(
            "Entrypoint",
            List.of("/" + name),
            "User",
            user,
            "WorkingDir",
            "/",
            "Env",
            List.of("PATH=/")));
    config.put("rootfs", Map.of("type", "layers", "diff_ids", List.of("sha256:" + layerDigest)));
    byte[] configJson = JSON.writeValueAsBytes(config);
    String configName = sha256(configJson) + ".json";
    byte[] manifest =
        JSON.writeValueAsBytes(
            List.of(
                Map.of(
                    "Config", configName,
                    "RepoTags", List.of(reference),
                    "Layers", List.of(layerDigest + "/layer.tar"))));
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(layerDigest + "/layer.tar", layer);
    files.put(configName, configJson);
    files.put("manifest.json", manifest);
    Files.createDirectories(archive.toAbsolutePath().getParent());
    Files.write(archive, tar(files, 0644));
    return archive;
  }

  private static byte[] tar(Map<String, byte[]> files, int mode) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        TarArchiveEntry e = new TarArchiveEntry(f.getKey());
        e.setSize(f.getValue().length);
        e.setMode(mode);
        e.setModTime(0);
        tar.putArchiveEntry(e);
        tar.write(f.getValue());
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  private static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
