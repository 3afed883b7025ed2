package io.wingu.controlplane.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

/** Ed25519 key pairs in PEM files (PKCS#8 private, X.509 public), as OpenSSL writes them. */
public final class Ed25519Pem {

  private Ed25519Pem() {}

  public static KeyPair read(Path privatePem, Path publicPem)
      throws IOException, GeneralSecurityException {
    KeyFactory kf = KeyFactory.getInstance("Ed25519");
    var priv = kf.generatePrivate(new PKCS8EncodedKeySpec(body(privatePem, "PRIVATE KEY")));
    var pub = kf.generatePublic(new X509EncodedKeySpec(body(publicPem, "PUBLIC KEY")));
    return new KeyPair(pub, priv);
  }

  /**
   * Writes a fresh pair to the two files unless both exist (dev mode, tests): keys survive
   * restarts.
   */
  public static void generateOnce(Path privatePem, Path publicPem) throws IOException {
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
    Files.setPosixFilePermissions(privatePem, PosixFilePermissions.fromString("rw-------"));
    Files.writeString(publicPem, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
  }

  public static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static byte[] body(Path file, String type) throws IOException {
    String text = Files.readString(file);
    String begin = "-----BEGIN " + type + "-----";
    int start = text.indexOf(begin);
    int end = text.indexOf("-----END " + type + "-----");
    if (start < 0 || end < start) {
      throw new IllegalArgumentException(file + " is not a PEM " + type);
    }
    return Base64.getMimeDecoder().decode(text.substring(start + begin.length(), end));
  }
}
