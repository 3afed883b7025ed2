package io.wingu.agent.buffer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The report sequence number, kept in a file so it keeps rising across restarts: the control plane
 * drops a (node, seq) it has seen, so a reused seq would be a lost report.
 */
public final class SeqStore {

  private final Path file;
  private long next;

  private SeqStore(Path file, long next) {
    this.file = file;
    this.next = next;
  }

  /**
   * Opens the store in {@code dir}. {@code atLeast} is one above the highest seq still buffered.
   * Without a file (first start, or the node's state was wiped) numbering starts at the wall clock
   * in milliseconds: above anything this node sent before, since it sends far less than one report
   * a millisecond.
   */
  public static SeqStore open(Path dir, long atLeast, long wallClockMillis) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve("next-seq");
    long stored =
        Files.exists(file)
            ? Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).strip())
            : wallClockMillis;
    return new SeqStore(file, Math.max(stored, atLeast));
  }

  /**
   * The next seq, stored as used before it is handed out, so a crash can skip a number but never
   * repeat one.
   */
  public synchronized long next() throws IOException {
    long seq = next;
    AtomicFiles.write(file, Long.toString(seq + 1).getBytes(StandardCharsets.US_ASCII));
    next = seq + 1;
    return seq;
  }
}
