package io.wingu.controlplane.web;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Access;
import io.wingu.controlplane.app.Database;
import io.wingu.controlplane.caller.Caller;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;

/**
 * Who is signed in to the console, and the checks every page passes: a live session (else the
 * visitor goes to /login), the page's role rule, and on every POST the session's CSRF token. Before
 * sign-in there is no session: the sign-in form's token is {@code loginCsrf}, a signed
 * double-submit cookie.
 */
record SessionGate(
    Database db, ConsoleSessions sessions, Clock clock, ErrorPages errors, LoginCsrf loginCsrf) {

  static final String COOKIE = "wingu-session";
  static final String CSRF_FIELD = "_csrf";

  /** What a person who must turn on two-factor sign-in may still reach. */
  private static final java.util.Set<String> ENROLMENT_PATHS =
      java.util.Set.of("/account/two-factor", "/account/two-factor/confirm", "/logout");

  private static final String SESSION = "wingu.session";

  /** Reads the session of the request, if any; never refuses. */
  void load(RoutingContext ctx) {
    Cookie cookie = ctx.request().getCookie(COOKIE);
    if (cookie == null || cookie.getValue().isEmpty()) {
      ctx.next();
      return;
    }
    db.withHandle(h -> sessions.find(h, cookie.getValue(), clock.instant()))
        .onComplete(
            ar -> {
              if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
              }
              ar.result().ifPresent(s -> ctx.put(SESSION, s));
              ctx.next();
            });
  }

  /** A handler that lets through only a signed-in caller whose role {@code access} names. */
  io.vertx.core.Handler<RoutingContext> require(Access access) {
    return ctx -> check(ctx, access, true);
  }

  /**
   * The same without the CSRF check, for an upload, whose token is inside its multipart body: who
   * may upload is known before that body is read; {@link #require} then checks the token.
   */
  io.vertx.core.Handler<RoutingContext> requireBeforeBody(Access access) {
    return ctx -> check(ctx, access, false);
  }

  private void check(RoutingContext ctx, Access access, boolean csrf) {
    Optional<ConsoleSessions.Session> session = session(ctx);
    if (session.isEmpty() || !access.roles().contains(session.get().caller().role())) {
      io.wingu.controlplane.app.Respond.discardBody(ctx); // an upload refused unread
    }
    if (session.isEmpty()) {
      String next = ctx.request().method() == HttpMethod.GET ? ctx.request().uri() : "/";
      Views.redirect(ctx, "/login?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
      return;
    }
    if (!access.roles().contains(session.get().caller().role())) {
      errors.forbidden(ctx);
      return;
    }
    if (session.get().mustEnrol() && !ENROLMENT_PATHS.contains(ctx.request().path())) {
      // WINGU_REQUIRE_2FA: nothing else until two-factor sign-in is on
      Views.redirect(ctx, "/account/two-factor?required=1");
      return;
    }
    if (csrf
        && ctx.request().method() == HttpMethod.POST
        && !ConsoleSessions.sameToken(session.get().csrfToken(), Form.raw(ctx, CSRF_FIELD))) {
      errors.csrfRefused(ctx);
      return;
    }
    ctx.next();
  }

  static Optional<ConsoleSessions.Session> session(RoutingContext ctx) {
    return Optional.ofNullable(ctx.get(SESSION));
  }

  static Caller caller(RoutingContext ctx) {
    return session(ctx)
        .orElseThrow(() -> new IllegalStateException("page registered without a session check"))
        .caller();
  }

  /** Sets the session cookie of a new sign-in. */
  static void setSessionCookie(RoutingContext ctx, String value) {
    ctx.response()
        .addCookie(
            Cookie.cookie(COOKIE, value)
                .setPath("/")
                .setHttpOnly(true)
                .setSameSite(CookieSameSite.LAX)
                .setSecure(secureCookies(ctx))
                .setMaxAge(ConsoleSessions.LIFETIME.toSeconds()));
  }

  static void clearSessionCookie(RoutingContext ctx) {
    ctx.response()
        .addCookie(
            Cookie.cookie(COOKIE, "")
                .setPath("/")
                .setHttpOnly(true)
                .setSameSite(CookieSameSite.LAX)
                .setSecure(secureCookies(ctx))
                .setMaxAge(0));
  }

  /**
   * Cookies are Secure whenever the original request was HTTPS (own TLS, or a trusted proxy's
   * X-Forwarded-Proto), and otherwise too except on a plain-HTTP connection to a loopback address —
   * what dev mode and the tests use. A real deployment is reached through its ingress, never over
   * loopback, so there every cookie is Secure; the check uses the socket, which a client cannot
   * forge.
   */
  static boolean secureCookies(RoutingContext ctx) {
    if (io.wingu.controlplane.app.SecureTransport.https(ctx)) {
      return true;
    }
    SocketAddress local = ctx.request().localAddress();
    if (local == null || local.hostAddress() == null) {
      return true;
    }
    try {
      return !InetAddress.getByName(local.hostAddress()).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return true;
    }
  }
}
