package io.wingu.controlplane.auth;

import io.wingu.controlplane.app.StartupException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** The Ed25519 key pair that signs access tokens, read from PEM files (PKCS#8 / X.509). */
public final class SigningKeys {

  private SigningKeys() {
  }

  public static KeyPair read(Path privatePem, Path publicPem) {
    try {
      KeyFactory kf = KeyFactory.getInstance("Ed25519");
      var priv = kf.generatePrivate(new PKCS8EncodedKeySpec(pemBody(privatePem, "PRIVATE KEY")));
      var pub = kf.generatePublic(new X509EncodedKeySpec(pemBody(publicPem, "PUBLIC KEY")));
      return new KeyPair(pub, priv);
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      throw new StartupException("cannot read the token signing keys " + privatePem + " and " + publicPem
          + ": " + e.getMessage() + " (WINGU_JWT_PRIVATE_KEY / WINGU_JWT_PUBLIC_KEY must be Ed25519 PEM files)", e);
    }
  }

  /** Keeps a generated pair in {@code dir} (dev mode), so tokens survive restarts. */
  public static KeyPair generateOnce(Path dir) throws IOException {
    Path priv = dir.resolve("jwt-private.pem");
    Path pub = dir.resolve("jwt-public.pem");
    if (!Files.exists(priv) || !Files.exists(pub)) {
      KeyPair pair;
      try {
        pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
      Files.writeString(priv, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
      Files.setPosixFilePermissions(priv, PosixFilePermissions.fromString("rw-------"));
      Files.writeString(pub, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
    }
    return read(priv, pub);
  }

  public static Path privateKeyFile(Path dir) {
    return dir.resolve("jwt-private.pem");
  }

  public static Path publicKeyFile(Path dir) {
    return dir.resolve("jwt-public.pem");
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static byte[] pemBody(Path file, String type) throws IOException {
    String text = Files.readString(file);
    int start = text.indexOf("-----BEGIN " + type + "-----");
    int end = text.indexOf("-----END " + type + "-----");
    if (start < 0 || end < start) {
      throw new IllegalArgumentException(file + " is not a PEM " + type);
    }
    String body = text.substring(start + ("-----BEGIN " + type + "-----").length(), end);
    return Base64.getMimeDecoder().decode(body);
  }
}
