package io.wingu.templates.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.SortedMap;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Packs files as tar.gz so that the same files always give the same bytes: sorted entries, one
 * fixed modification time, owner 0:0 without names, mode 0644, and a gzip header without a time.
 * The bytes are then content-addressed by their SHA-256.
 */
public final class DeterministicTarGz {

  /** 2000-01-01T00:00:00Z: a fixed time, since the real one would change every digest. */
  public static final Instant MODIFIED = Instant.parse("2000-01-01T00:00:00Z");

  private static final int FILE_MODE = 0100644;

  private DeterministicTarGz() {}

  public static byte[] pack(SortedMap<String, byte[]> files) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    // java.util.zip writes a gzip header with no time and no file name, which is what we want
    try (GZIPOutputStream gzip = new GZIPOutputStream(bytes);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip, "UTF-8")) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        tar.putArchiveEntry(entry(BundlePaths.check(file.getKey()), file.getValue().length));
        tar.write(file.getValue());
        tar.closeArchiveEntry();
      }
      tar.finish();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot pack bundle", e);
    }
    return bytes.toByteArray();
  }

  private static TarArchiveEntry entry(String path, long size) {
    TarArchiveEntry entry = new TarArchiveEntry(path, true);
    entry.setSize(size);
    entry.setMode(FILE_MODE);
    entry.setLastModifiedTime(FileTime.from(MODIFIED));
    entry.setUserId(0);
    entry.setGroupId(0);
    entry.setUserName("");
    entry.setGroupName("");
    return entry;
  }
}
