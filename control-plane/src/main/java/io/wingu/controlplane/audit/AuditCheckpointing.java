package io.wingu.controlplane.audit;

import io.wingu.controlplane.app.StartupException;
import io.wingu.controlplane.app.WinguConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/** Builds the audit log with its checkpoints from the configuration, refusing to start without them. */
public final class AuditCheckpointing {

  /** The log (whose verification holds the chain against the latest checkpoint) and its signer. */
  public record Trail(AuditLog log, AuditCheckpointer checkpointer, FileCheckpointStore store) {
  }

  private AuditCheckpointing() {
  }

  public static Trail open(WinguConfig.AuditCheckpoints config, Clock clock) {
    AuditSigningKey key = AuditSigningKey.read(
        config.signingKey().orElseThrow(() -> new StartupException("WINGU_AUDIT_SIGNING_KEY is not set: give the"
            + " Ed25519 PEM key that signs audit checkpoints, kept where the database is not (./wingu dev makes one)")),
        config.publicKey().orElseThrow(() -> new StartupException(
            "WINGU_AUDIT_PUBLIC_KEY is not set: give the public half of WINGU_AUDIT_SIGNING_KEY")));
    Path dir = config.dir().orElseThrow(() -> new StartupException("WINGU_AUDIT_CHECKPOINT_DIR is not set: give a"
        + " folder, shared by every replica and kept apart from the database, for the signed audit checkpoints"));
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new StartupException("WINGU_AUDIT_CHECKPOINT_DIR='" + dir + "' cannot be created: " + e.getMessage(), e);
    }
    if (!Files.isWritable(dir)) {
      throw new StartupException("WINGU_AUDIT_CHECKPOINT_DIR='" + dir + "' is not a writable folder");
    }
    FileCheckpointStore store = new FileCheckpointStore(dir);
    AuditLog log = new AuditLog(clock, store, key);
    return new Trail(log, new AuditCheckpointer(log, store, key, config.every(), clock), store);
  }
}
