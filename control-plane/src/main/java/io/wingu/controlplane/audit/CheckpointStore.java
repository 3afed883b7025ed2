package io.wingu.controlplane.audit;

import java.io.IOException;
import java.util.Optional;

/**
 * Where signed audit checkpoints are kept, outside the database. A folder of files today ({@link
 * FileCheckpointStore}); an object store with retention later.
 */
public interface CheckpointStore {

  /**
   * The checkpoint of the highest seq, if any; unreadable or malformed content is an IOException.
   */
  Optional<AuditCheckpoint> latest() throws IOException;

  /**
   * Keeps the checkpoint; one for the same seq that is already there is left as it is (two replicas
   * checkpointing the same seq is harmless). Returns whether this call stored it.
   */
  boolean put(AuditCheckpoint checkpoint) throws IOException;
}
