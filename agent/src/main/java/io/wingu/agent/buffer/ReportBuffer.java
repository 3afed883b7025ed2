package io.wingu.agent.buffer;

import io.wingu.agent.Log;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Reports not yet taken by the control plane, one file per report named by its seq, kept on disk so
 * they survive an outage and a restart. Bounded by count and bytes; when full the oldest go first.
 * Thread-safe: the collector adds while the shipper sends and removes.
 */
public final class ReportBuffer {

  private static final String SUFFIX = ".json";

  private final Path dir;
  private final int maxReports;
  private final long maxBytes;

  /** seq → file size, oldest first: the directory is listed once, at open. */
  private final TreeMap<Long, Long> sizes = new TreeMap<>();

  private long totalBytes;

  private ReportBuffer(Path dir, int maxReports, long maxBytes) {
    this.dir = dir;
    this.maxReports = maxReports;
    this.maxBytes = maxBytes;
  }

  public static ReportBuffer open(Path dir, int maxReports, long maxBytes) throws IOException {
    Files.createDirectories(dir);
    ReportBuffer buffer = new ReportBuffer(dir, maxReports, maxBytes);
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (name.endsWith(AtomicFiles.TEMP_SUFFIX)) {
          Files.deleteIfExists(file); // a write cut short by a crash
        } else if (name.endsWith(SUFFIX)) {
          buffer.index(
              Long.parseLong(name.substring(0, name.length() - SUFFIX.length())), Files.size(file));
        }
      }
    }
    buffer.trim();
    return buffer;
  }

  public synchronized void add(long seq, byte[] json) throws IOException {
    AtomicFiles.write(file(seq), json);
    index(seq, json.length);
    trim();
  }

  public synchronized OptionalLong oldest() {
    return sizes.isEmpty() ? OptionalLong.empty() : OptionalLong.of(sizes.firstKey());
  }

  /** One above the highest seq held, or 0 when empty. */
  public synchronized long nextSeqAtLeast() {
    return sizes.isEmpty() ? 0 : sizes.lastKey() + 1;
  }

  public synchronized int size() {
    return sizes.size();
  }

  /** The report's JSON, or null when it was dropped meanwhile to make room. */
  public byte[] read(long seq) throws IOException {
    try {
      return Files.readAllBytes(file(seq));
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  public synchronized void remove(long seq) throws IOException {
    Long size = sizes.remove(seq);
    if (size != null) {
      totalBytes -= size;
    }
    Files.deleteIfExists(file(seq));
  }

  private void index(long seq, long size) {
    Long previous = sizes.put(seq, size);
    totalBytes += size - (previous == null ? 0 : previous);
  }

  /** Drops the oldest reports until within bounds; the newest is always kept. */
  private void trim() throws IOException {
    int dropped = 0;
    long firstDropped = -1;
    long lastDropped = -1;
    while (sizes.size() > 1 && (sizes.size() > maxReports || totalBytes > maxBytes)) {
      Map.Entry<Long, Long> oldest = sizes.pollFirstEntry();
      totalBytes -= oldest.getValue();
      Files.deleteIfExists(file(oldest.getKey()));
      firstDropped = dropped == 0 ? oldest.getKey() : firstDropped;
      lastDropped = oldest.getKey();
      dropped++;
    }
    if (dropped > 0) {
      Log.warn(
          "report buffer full ("
              + maxReports
              + " reports / "
              + maxBytes
              + " bytes): dropped the "
              + dropped
              + " oldest, seq "
              + firstDropped
              + (dropped > 1 ? " to " + lastDropped : ""));
    }
  }

  private Path file(long seq) {
    // zero-padded so a directory listing sorts in seq order for a human looking at it
    return dir.resolve(String.format("%020d", seq) + SUFFIX);
  }
}
