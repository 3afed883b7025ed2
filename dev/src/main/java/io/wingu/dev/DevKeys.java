package io.wingu.dev;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;

/**
 * Dev mode's Ed25519 key pairs (access tokens, audit checkpoints), written as the PEM files the
 * control plane's WINGU_*_KEY variables name: PKCS#8 private, X.509 public, as OpenSSL writes them.
 */
final class DevKeys {

  private DevKeys() {}

  /** A fresh pair in the two files unless both exist: keys (and sign-ins) survive restarts. */
  static void generateOnce(Path privatePem, Path publicPem) throws IOException {
    if (Files.exists(privatePem) && Files.exists(publicPem)) {
      return;
    }
    KeyPair pair;
    try {
      pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    Files.writeString(privatePem, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
    DevMode.privateFile(privatePem);
    Files.writeString(publicPem, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
