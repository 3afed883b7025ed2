package io.wingu.controlplane.web;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The sign-in form's CSRF token (before sign-in there is no session to hold one): a double-submit
 * cookie whose value the server makes and signs, so a value planted by someone else (a sibling
 * domain's cookie, a forged request) is refused rather than adopted. The key is derived from the
 * access-token signing key, which every replica shares. The cookie is {@code __Host-} prefixed
 * (Secure, Path=/, no Domain: no other host can set it) whenever cookies are Secure; over plain
 * HTTP to loopback (dev mode) a browser refuses {@code __Host-}, so it has a plain name there.
 */
final class LoginCsrf {

  static final String SECURE_COOKIE = "__Host-wingu-login-csrf";
  static final String PLAIN_COOKIE = "wingu-login-csrf";

  private final SecretKeySpec key;

  LoginCsrf(byte[] secret) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update("wingu console login csrf\0".getBytes(StandardCharsets.UTF_8));
      this.key = new SecretKeySpec(sha.digest(secret), "HmacSHA256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A fresh signed token, set as the cookie of this answer; the form carries the same value. */
  String issue(RoutingContext ctx) {
    String nonce = ConsoleSessions.randomToken();
    String token = nonce + "." + mac(nonce);
    boolean secure = SessionGate.secureCookies(ctx);
    ctx.response()
        .addCookie(
            Cookie.cookie(cookieName(ctx), token)
                .setPath("/")
                .setHttpOnly(true)
                .setSameSite(CookieSameSite.STRICT)
                .setSecure(secure));
    return token;
  }

  /** Whether the form's token is the cookie's and was signed here. */
  boolean accepts(RoutingContext ctx, String formToken) {
    Cookie cookie = ctx.request().getCookie(cookieName(ctx));
    if (cookie == null || !ConsoleSessions.sameToken(cookie.getValue(), formToken)) {
      return false;
    }
    String value = cookie.getValue();
    int dot = value.indexOf('.');
    return dot > 0
        && ConsoleSessions.sameToken(mac(value.substring(0, dot)), value.substring(dot + 1));
  }

  static String cookieName(RoutingContext ctx) {
    return SessionGate.secureCookies(ctx) ? SECURE_COOKIE : PLAIN_COOKIE;
  }

  private String mac(String nonce) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(mac.doFinal(nonce.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
