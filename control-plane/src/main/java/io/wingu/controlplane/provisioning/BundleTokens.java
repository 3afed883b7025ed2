package io.wingu.controlplane.provisioning;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.wingu.controlplane.app.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * The Secret bundle-token-<site>: the token with which a site's init container fetches its bundles.
 * The token exists only there; PostgreSQL keeps its SHA-256, which is all the bundle endpoint needs
 * to recognise it.
 */
public final class BundleTokens {

  public static final String KEY = "token";

  private BundleTokens() {}

  public static String name(Tenant.Site s) {
    return "bundle-token-" + s.name();
  }

  public static Secret desired(Tenant t, Tenant.Site s, String token) {
    return new SecretBuilder()
        .withMetadata(Labels.siteObject(t, s, name(s)))
        .withType("Opaque")
        .withStringData(Map.of(KEY, token))
        .build();
  }

  /** 256 random bits, URL-safe. */
  static String newToken(SecureRandom random) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Lowercase hex SHA-256 of the token, as stored and looked up. */
  public static String hash(String token) {
    return Sha256.hex(token);
  }

  /** The token in a Secret read from the API server, or null when it holds none. */
  static String tokenIn(Secret secret) {
    if (secret == null || secret.getData() == null || secret.getData().get(KEY) == null) {
      return null;
    }
    String token =
        new String(Base64.getDecoder().decode(secret.getData().get(KEY)), StandardCharsets.UTF_8)
            .strip();
    return token.isEmpty() ? null : token;
  }
}
