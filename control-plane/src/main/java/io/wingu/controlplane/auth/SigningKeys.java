package io.wingu.controlplane.auth;

import io.wingu.controlplane.app.Ed25519Pem;
import io.wingu.controlplane.app.StartupException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;

/** The Ed25519 key pair that signs access tokens, read from PEM files (PKCS#8 / X.509). */
public final class SigningKeys {

  private SigningKeys() {}

  public static KeyPair read(Path privatePem, Path publicPem) {
    try {
      return Ed25519Pem.read(privatePem, publicPem);
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      throw new StartupException(
          "cannot read the token signing keys "
              + privatePem
              + " and "
              + publicPem
              + ": "
              + e.getMessage()
              + " (WINGU_JWT_PRIVATE_KEY / WINGU_JWT_PUBLIC_KEY must be Ed25519 PEM files)",
          e);
    }
  }

  /** Keeps a generated pair in {@code dir} (dev mode), so tokens survive restarts. */
  public static KeyPair generateOnce(Path dir) throws IOException {
    Ed25519Pem.generateOnce(privateKeyFile(dir), publicKeyFile(dir));
    return read(privateKeyFile(dir), publicKeyFile(dir));
  }

  public static Path privateKeyFile(Path dir) {
    return dir.resolve("jwt-private.pem");
  }

  public static Path publicKeyFile(Path dir) {
    return dir.resolve("jwt-public.pem");
  }
}
