package io.wingu.controlplane.audit;

import io.wingu.controlplane.app.Ed25519Pem;
import io.wingu.controlplane.app.StartupException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.HexFormat;

/**
 * The Ed25519 key pair that signs audit checkpoints. It lives in files the database never sees, so
 * whoever can rewrite the audit table still cannot sign a checkpoint for the rewritten chain.
 */
public final class AuditSigningKey {

  static final String PRIVATE_FILE = "audit-signing-private.pem";
  static final String PUBLIC_FILE = "audit-signing-public.pem";

  private final PrivateKey privateKey;
  private final PublicKey publicKey;
  private final String keyId;

  AuditSigningKey(KeyPair pair) {
    this.privateKey = pair.getPrivate();
    this.publicKey = pair.getPublic();
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(publicKey.getEncoded());
      this.keyId = HexFormat.of().formatHex(digest, 0, 8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads the pair and checks that the public key is the private key's half. */
  public static AuditSigningKey read(Path privatePem, Path publicPem) {
    AuditSigningKey key;
    try {
      key = new AuditSigningKey(Ed25519Pem.read(privatePem, publicPem));
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      throw new StartupException(
          "cannot read the audit signing keys "
              + privatePem
              + " and "
              + publicPem
              + ": "
              + e.getMessage()
              + " (WINGU_AUDIT_SIGNING_KEY / WINGU_AUDIT_PUBLIC_KEY must be Ed25519 PEM files)",
          e);
    }
    byte[] probe = "wingu audit key check".getBytes(StandardCharsets.US_ASCII);
    if (!key.verifies(probe, key.sign(probe))) {
      throw new StartupException(
          "WINGU_AUDIT_PUBLIC_KEY ("
              + publicPem
              + ") is not the public half of"
              + " WINGU_AUDIT_SIGNING_KEY ("
              + privatePem
              + ")");
    }
    return key;
  }

  /** A fresh pair held in memory only (unit tests). */
  public static AuditSigningKey generate() {
    try {
      return new AuditSigningKey(KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Keeps a generated pair in {@code dir} (dev mode and tests), so checkpoints verify after
   * restarts.
   */
  public static AuditSigningKey generateOnce(Path dir) throws IOException {
    Ed25519Pem.generateOnce(privateKeyFile(dir), publicKeyFile(dir));
    return read(privateKeyFile(dir), publicKeyFile(dir));
  }

  public static Path privateKeyFile(Path dir) {
    return dir.resolve(PRIVATE_FILE);
  }

  public static Path publicKeyFile(Path dir) {
    return dir.resolve(PUBLIC_FILE);
  }

  /** First 8 bytes of the SHA-256 of the public key: names the key in each checkpoint. */
  public String keyId() {
    return keyId;
  }

  byte[] sign(byte[] data) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(privateKey);
      s.update(data);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign an audit checkpoint", e);
    }
  }

  boolean verifies(byte[] data, byte[] signature) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initVerify(publicKey);
      s.update(data);
      return s.verify(signature);
    } catch (GeneralSecurityException e) {
      return false; // a malformed signature is a wrong one
    }
  }
}
