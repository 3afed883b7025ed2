package io.wingu.controlplane.audit;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.erdtman.jcs.JsonCanonicalizer;

/**
 * A signed statement "the chain had {@code count} events and the event at {@code seq} had hash
 * {@code hash}" made at {@code at}. The signature covers the RFC 8785 form of every other field.
 */
public record AuditCheckpoint(
    long seq, String hash, long count, Instant at, String keyId, String signature) {

  /** Names what is signed, so a signature over some other Wingu document never passes as one. */
  static final String PURPOSE = "wingu-audit-checkpoint-v1";

  static AuditCheckpoint sign(long seq, String hash, long count, Instant at, AuditSigningKey key) {
    AuditCheckpoint unsigned = new AuditCheckpoint(seq, hash, count, at, key.keyId(), null);
    return new AuditCheckpoint(
        seq,
        hash,
        count,
        at,
        key.keyId(),
        Base64.getEncoder().encodeToString(key.sign(unsigned.signedBytes())));
  }

  /** Whether the signature was made by {@code key} over exactly these fields. */
  boolean signedBy(AuditSigningKey key) {
    if (signature == null) {
      return false;
    }
    byte[] sig;
    try {
      sig = Base64.getDecoder().decode(signature);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return key.verifies(signedBytes(), sig);
  }

  byte[] signedBytes() {
    JsonObject fields =
        new JsonObject()
            .put("purpose", PURPOSE)
            .put("seq", seq)
            .put("hash", hash)
            .put("count", count)
            .put("at", at.toString())
            .put("keyId", keyId);
    try {
      return new JsonCanonicalizer(fields.encode())
          .getEncodedString()
          .getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot canonicalise audit checkpoint " + seq, e);
    }
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("purpose", PURPOSE)
        .put("seq", seq)
        .put("hash", hash)
        .put("count", count)
        .put("at", at.toString())
        .put("keyId", keyId)
        .put("signature", signature);
  }

  /**
   * Parses a stored checkpoint; a missing or mistyped field is an {@link IllegalArgumentException}.
   */
  public static AuditCheckpoint fromJson(JsonObject json) {
    try {
      if (!PURPOSE.equals(json.getString("purpose"))) {
        throw new IllegalArgumentException(
            "not an audit checkpoint (purpose " + json.getValue("purpose") + ")");
      }
      return new AuditCheckpoint(
          required(json.getLong("seq"), "seq"),
          required(json.getString("hash"), "hash"),
          required(json.getLong("count"), "count"),
          Instant.parse(required(json.getString("at"), "at")),
          required(json.getString("keyId"), "keyId"),
          required(json.getString("signature"), "signature"));
    } catch (ClassCastException | java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("malformed audit checkpoint: " + e.getMessage(), e);
    }
  }

  private static <T> T required(T value, String name) {
    if (value == null) {
      throw new IllegalArgumentException("audit checkpoint without " + name);
    }
    return value;
  }
}
