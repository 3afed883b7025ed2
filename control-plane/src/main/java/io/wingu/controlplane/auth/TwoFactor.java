package io.wingu.controlplane.auth;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import io.nayuki.qrcodegen.QrCode;
import io.wingu.controlplane.app.Sha256;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.codec.binary.Base32;

/**
 * TOTP (RFC 6238) as authenticator apps know it: SHA-1, six digits, 30-second steps, a 160-bit
 * secret in Base32. A code is accepted one step early or late (clocks drift), and the step it
 * matched is returned so that the caller can refuse it a second time.
 */
public final class TwoFactor {

  static final Duration STEP = Duration.ofSeconds(30);
  static final int RECOVERY_CODES = 10;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final TimeBasedOneTimePasswordGenerator TOTP =
      new TimeBasedOneTimePasswordGenerator(STEP, 6);

  private TwoFactor() {}

  /** A new secret, Base32 without padding (as apps and the otpauth URI expect). */
  static String newSecret() {
    byte[] bytes = new byte[20];
    RANDOM.nextBytes(bytes);
    return new Base32().encodeToString(bytes).replace("=", "");
  }

  /** The {@code otpauth://} URI an authenticator app reads from the QR code. */
  static String otpauthUri(String issuer, String username, String secret) {
    String label = enc(issuer) + ":" + enc(username);
    return "otpauth://totp/"
        + label
        + "?secret="
        + secret
        + "&issuer="
        + enc(issuer)
        + "&algorithm=SHA1&digits=6&period="
        + STEP.toSeconds();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The code of {@code secret} at {@code at}, six digits. */
  public static String code(String secret, Instant at) {
    try {
      return String.format("%06d", TOTP.generateOneTimePassword(key(secret), at));
    } catch (InvalidKeyException e) {
      throw new IllegalStateException("an HMAC-SHA1 key of any length is valid", e);
    }
  }

  /**
   * The time step {@code code} belongs to, within one step of {@code now}, or empty when it is no
   * code of {@code secret} now.
   */
  static OptionalLong matchingStep(String secret, String code, Instant now) {
    if (code == null || !code.matches("[0-9]{6}")) {
      return OptionalLong.empty();
    }
    long current = now.getEpochSecond() / STEP.toSeconds();
    for (long step = current - 1; step <= current + 1; step++) {
      String expected = code(secret, Instant.ofEpochSecond(step * STEP.toSeconds()));
      if (MessageDigest.isEqual(
          expected.getBytes(StandardCharsets.US_ASCII), code.getBytes(StandardCharsets.US_ASCII))) {
        return OptionalLong.of(step);
      }
    }
    return OptionalLong.empty();
  }

  private static Key key(String secret) {
    return new SecretKeySpec(new Base32().decode(secret), TOTP.getAlgorithm());
  }

  /** Ten recovery codes, 80 random bits each, written as four groups of four Base32 letters. */
  static List<String> newRecoveryCodes() {
    List<String> codes = new ArrayList<>();
    for (int i = 0; i < RECOVERY_CODES; i++) {
      byte[] bytes = new byte[10];
      RANDOM.nextBytes(bytes);
      String text = new Base32().encodeToString(bytes).toLowerCase(java.util.Locale.ROOT);
      codes.add(
          text.substring(0, 4)
              + "-"
              + text.substring(4, 8)
              + "-"
              + text.substring(8, 12)
              + "-"
              + text.substring(12, 16));
    }
    return codes;
  }

  /** Whether what was typed looks like a recovery code rather than a six-digit code. */
  static boolean looksLikeRecoveryCode(String typed) {
    return typed != null && normalRecoveryCode(typed).length() == 16;
  }

  private static String normalRecoveryCode(String typed) {
    return typed.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z2-7]", "");
  }

  /**
   * The stored form of a recovery code: SHA-256 of its letters (80 random bits need no slow hash).
   */
  static String recoveryHash(String typed) {
    return Sha256.hex(normalRecoveryCode(typed).getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * The QR code of {@code text} as an SVG image, drawn here (no outside service sees the secret).
   */
  public static String qrSvg(String text, String title) {
    QrCode qr = QrCode.encodeText(text, QrCode.Ecc.MEDIUM);
    int border = 4;
    int size = qr.size + border * 2;
    StringBuilder path = new StringBuilder();
    for (int y = 0; y < qr.size; y++) {
      for (int x = 0; x < qr.size; x++) {
        if (qr.getModule(x, y)) {
          path.append('M').append(x + border).append(',').append(y + border).append("h1v1h-1z");
        }
      }
    }
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 "
        + size
        + " "
        + size
        + "\" width=\"240\" height=\"240\" shape-rendering=\"crispEdges\"><title>"
        + title.replace("&", "&amp;").replace("<", "&lt;")
        + "</title><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path d=\""
        + path
        + "\" fill=\"#000\"/></svg>";
  }
}
