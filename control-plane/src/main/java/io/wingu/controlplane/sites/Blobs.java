package io.wingu.controlplane.sites;

import java.time.Instant;
import org.jdbi.v3.core.Handle;

/**
 * Immutable bytes addressed by their SHA-256 (uploaded documents, rendered bundles): each digest is
 * stored once, whoever names it, and never changes afterwards.
 */
public final class Blobs {

  /**
   * Stores the bytes under their digest unless it is stored already; true when this call stored
   * them.
   */
  public boolean putOnce(Handle h, String digest, byte[] bytes, Instant at) {
    if (exists(h, digest)) {
      // the common case of a repeated deploy: do not ship the bytes to the server again
      return false;
    }
    return h.createUpdate(
                "INSERT INTO content_blob (digest, bytes, size, created_at)"
                    + " VALUES (:digest, :bytes, :size, :at) ON CONFLICT (digest) DO NOTHING")
            .bind("digest", digest)
            .bind("bytes", bytes)
            .bind("size", (long) bytes.length)
            .bind("at", at)
            .execute()
        > 0;
  }

  public boolean exists(Handle h, String digest) {
    return h.createQuery("SELECT EXISTS (SELECT 1 FROM content_blob WHERE digest = :digest)")
        .bind("digest", digest)
        .mapTo(Boolean.class)
        .one();
  }

  /** The bytes stored under {@code digest}, which must be stored. */
  public byte[] bytes(Handle h, String digest) {
    return h.createQuery("SELECT bytes FROM content_blob WHERE digest = :digest")
        .bind("digest", digest)
        .mapTo(byte[].class)
        .one();
  }
}
