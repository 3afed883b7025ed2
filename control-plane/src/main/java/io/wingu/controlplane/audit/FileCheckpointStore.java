package io.wingu.controlplane.audit;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One JSON file per checkpoint, {@code audit-checkpoint-<seq, 19 digits>.json}: the names sort by
 * seq, so the latest is the last name. Each file is written to a temporary name, synced, then
 * renamed, so a reader never sees half a checkpoint.
 */
public final class FileCheckpointStore implements CheckpointStore {

  private static final String PREFIX = "audit-checkpoint-";
  private static final String SUFFIX = ".json";

  private final Path dir;

  public FileCheckpointStore(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  /** The file of the checkpoint at {@code seq}. */
  public Path file(long seq) {
    return dir.resolve(PREFIX + String.format("%019d", seq) + SUFFIX);
  }

  @Override
  public Optional<AuditCheckpoint> latest() throws IOException {
    Optional<Path> newest;
    try (Stream<Path> files = Files.list(dir)) {
      newest =
          files
              .filter(
                  p -> {
                    String n = p.getFileName().toString();
                    return n.startsWith(PREFIX)
                        && n.endsWith(SUFFIX)
                        && n.length() == PREFIX.length() + 19 + SUFFIX.length();
                  })
              .max(Path::compareTo);
    }
    if (newest.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(AuditCheckpoint.fromJson(new JsonObject(Files.readString(newest.get()))));
    } catch (DecodeException | IllegalArgumentException e) {
      throw new IOException(
          newest.get().getFileName() + " is not a readable audit checkpoint: " + e.getMessage(), e);
    }
  }

  @Override
  public boolean put(AuditCheckpoint checkpoint) throws IOException {
    Path target = file(checkpoint.seq());
    if (Files.exists(target)) {
      return false;
    }
    Path tmp = Files.createTempFile(dir, ".audit-checkpoint-", ".tmp");
    try {
      try (FileChannel ch =
          FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ch.write(
            java.nio.ByteBuffer.wrap(
                checkpoint.toJson().encodePrettily().getBytes(StandardCharsets.UTF_8)));
        ch.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      return true;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
