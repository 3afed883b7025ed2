package io.wingu.controlplane.web;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Locale;

/**
 * The language of a page: {@code ?lang=} (then remembered in a cookie), else that cookie, else the
 * browser's Accept-Language, else Swahili.
 */
final class ConsoleLanguage {

  static final String COOKIE = "wingu-lang";
  private static final String KEY = "wingu.lang";

  private ConsoleLanguage() {}

  static String of(RoutingContext ctx) {
    String chosen = ctx.get(KEY);
    if (chosen != null) {
      return chosen;
    }
    String asked = ctx.queryParams().get("lang");
    if (asked != null && Messages.LANGUAGES.contains(asked)) {
      ctx.response()
          .addCookie(
              Cookie.cookie(COOKIE, asked)
                  .setPath("/")
                  .setMaxAge(365L * 24 * 3600)
                  .setSameSite(CookieSameSite.LAX)
                  .setHttpOnly(true)
                  .setSecure(SessionGate.secureCookies(ctx)));
      chosen = asked;
    } else {
      Cookie cookie = ctx.request().getCookie(COOKIE);
      if (cookie != null && Messages.LANGUAGES.contains(cookie.getValue())) {
        chosen = cookie.getValue();
      } else {
        chosen = fromAcceptLanguage(ctx.request().getHeader("Accept-Language"));
      }
    }
    ctx.put(KEY, chosen);
    return chosen;
  }

  static String fromAcceptLanguage(String header) {
    if (header != null && !header.isBlank()) {
      try {
        String tag = Locale.lookupTag(Locale.LanguageRange.parse(header), Messages.LANGUAGES);
        if (tag != null) {
          return tag;
        }
      } catch (IllegalArgumentException e) {
        // a malformed header asks for nothing in particular
      }
    }
    return Messages.LANGUAGES.get(0);
  }

  static List<String> all() {
    return Messages.LANGUAGES;
  }
}
