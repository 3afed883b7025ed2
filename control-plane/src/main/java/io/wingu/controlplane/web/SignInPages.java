package io.wingu.controlplane.web;

import io.vertx.core.http.Cookie;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Access;
import io.wingu.controlplane.app.Database;
import io.wingu.controlplane.app.Problem;
import io.wingu.controlplane.auth.OidcSignIn;
import io.wingu.controlplane.auth.PasswordSignIn;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * Sign-in with a form at /login (the API's credential check and lockout), and sign-out; {@code
 * loginCsrf} is the sign-in form's signed CSRF cookie (the gate's).
 */
record SignInPages(
    Database db,
    ConsoleSessions sessions,
    PasswordSignIn signIn,
    OidcSignIn oidc,
    Clock clock,
    Views views,
    ErrorPages errors,
    LoginCsrf loginCsrf) {

  void addTo(Router router, SessionGate gate) {
    router.get("/login").handler(this::form);
    router.post("/login").handler(this::signIn);
    router.get("/login/oidc").handler(this::startOidc);
    router.get("/login/oidc/callback").handler(this::finishOidc);
    router.post("/logout").handler(gate.require(Access.anySignedIn())).handler(this::signOut);
  }

  private void form(RoutingContext ctx) {
    if (SessionGate.session(ctx).isPresent()) {
      Views.redirect(ctx, "/");
      return;
    }
    Map<String, Object> model = new HashMap<>();
    if ("signedOut".equals(ctx.queryParams().get("done"))) {
      model.put("notice", "login.signedOut");
    }
    if ("reset".equals(ctx.queryParams().get("done"))) {
      model.put("notice", "reset.done");
    }
    show(ctx, model, "", 200);
  }

  private void show(RoutingContext ctx, Map<String, Object> model, String username, int status) {
    String token = loginCsrf.issue(ctx);
    Map<String, Object> page = new HashMap<>(model);
    page.put("loginCsrf", token);
    page.put("username", username);
    page.put("next", safeNext(ctx.queryParams().get("next")));
    page.put("descriptionKey", "login.description");
    page.put("oidc", oidc.configured());
    views.send(ctx, status, "login", "login.title", page);
  }

  private void signIn(RoutingContext ctx) {
    if (!loginCsrf.accepts(ctx, Form.value(ctx, SessionGate.CSRF_FIELD))) {
      errors.csrfRefused(ctx);
      return;
    }
    String lang = ConsoleLanguage.of(ctx);
    String username = Form.value(ctx, "username");
    String password = Form.raw(ctx, "password");
    FormErrors missing = new FormErrors();
    if (username.isEmpty()) {
      missing.add("username", views.messages().text(lang, "error.field.username"));
    }
    if (password.isEmpty()) {
      missing.add("password", views.messages().text(lang, "error.field.password"));
    }
    if (!missing.isEmpty()) {
      show(ctx, missing.model(), username, 400);
      return;
    }
    String next = safeNext(Form.value(ctx, "next"));
    String source =
        ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().host();
    signIn
        .check(source, username, password, Form.value(ctx, "totp"))
        .compose(
            account ->
                db.inTransaction(
                    h ->
                        sessions.open(
                            h,
                            account.asCaller(),
                            clock.instant(),
                            source,
                            ctx.request().getHeader("User-Agent"))))
        .onSuccess(
            opened -> {
              SessionGate.setSessionCookie(ctx, opened.cookieValue());
              Views.redirect(ctx, next);
            })
        .onFailure(
            Calls.onProblem(
                ctx,
                problem -> {
                  boolean secondFactor =
                      problem.status() == 401 && PasswordSignIn.refusedSecondFactor(problem);
                  String key =
                      problem.status() == 429
                          ? "login.throttled"
                          : secondFactor
                              ? "login.totpWrong"
                              : problem.status() == 403
                                  ? String.valueOf(problem.getMessage()).contains("disabled")
                                      ? "login.disabled"
                                      : "login.platformViaIdp"
                                  : "login.wrong";
                  FormErrors refused =
                      new FormErrors()
                          .add(
                              secondFactor ? "totp" : "username", views.messages().text(lang, key));
                  if (problem.status() == 429) {
                    retryAfter(problem)
                        .ifPresent(seconds -> ctx.response().putHeader("Retry-After", seconds));
                  }
                  show(ctx, refused.model(), username, problem.status());
                }));
  }

  /** The browser's cookie that ties a provider's answer to the sign-in this browser started. */
  static final String OIDC_STATE_COOKIE = "wingu-oidc-state";

  /**
   * GET /login/oidc: to the provider, with PKCE, state and nonce; when it cannot be reached, the
   * sign-in page says so (the password form still works).
   */
  private void startOidc(RoutingContext ctx) {
    if (!oidc.configured()) {
      errors.notFound(ctx);
      return;
    }
    String next = safeNext(ctx.queryParams().get("next"));
    oidc.start(next)
        .onSuccess(
            start -> {
              Cookie cookie =
                  Cookie.cookie(OIDC_STATE_COOKIE, start.state())
                      .setPath("/login/oidc")
                      .setHttpOnly(true)
                      .setSecure(SessionGate.secureCookies(ctx))
                      .setSameSite(io.vertx.core.http.CookieSameSite.LAX)
                      .setMaxAge(OidcSignIn.PENDING_SECONDS);
              ctx.response().addCookie(cookie);
              ctx.response().putHeader("Location", start.authorizeUrl()).setStatusCode(302).end();
            })
        .onFailure(failure -> oidcRefused(ctx, failure));
  }

  /** GET /login/oidc/callback: the provider's answer, checked, then a console session. */
  private void finishOidc(RoutingContext ctx) {
    if (!oidc.configured()) {
      errors.notFound(ctx);
      return;
    }
    String state = ctx.queryParams().get("state");
    Cookie bound = ctx.request().getCookie(OIDC_STATE_COOKIE);
    ctx.response()
        .addCookie(Cookie.cookie(OIDC_STATE_COOKIE, "").setPath("/login/oidc").setMaxAge(0));
    if (state == null || bound == null || !ConsoleSessions.sameToken(bound.getValue(), state)) {
      oidcRefused(
          ctx,
          new Problem(
              401, "Unauthorized", "This sign-in was not started in this browser: start again"));
      return;
    }
    if (ctx.queryParams().get("error") != null) {
      oidcRefused(
          ctx, new Problem(401, "Unauthorized", "The identity provider refused the sign-in"));
      return;
    }
    oidc.finish(state, ctx.queryParams().get("code"))
        .compose(
            done ->
                db.inTransaction(
                        h ->
                            sessions.open(
                                h,
                                done.account().asCaller(),
                                clock.instant(),
                                address(ctx),
                                ctx.request().getHeader("User-Agent")))
                    .map(opened -> java.util.Map.entry(opened, safeNext(done.next()))))
        .onSuccess(
            opened -> {
              SessionGate.setSessionCookie(ctx, opened.getKey().cookieValue());
              Views.redirect(ctx, opened.getValue());
            })
        .onFailure(failure -> oidcRefused(ctx, failure));
  }

  /** The sign-in page again, saying why the provider's sign-in did not work. */
  private void oidcRefused(RoutingContext ctx, Throwable failure) {
    Problem problem = Calls.problem(failure);
    if (problem == null || !java.util.Set.of(401, 403, 503).contains(problem.status())) {
      ctx.fail(failure);
      return;
    }
    String key =
        switch (problem.status()) {
          case 503 -> "login.oidcUnreachable";
          case 403 -> "login.oidcNoRole";
          default -> "login.oidcRefused";
        };
    Map<String, Object> model = new HashMap<>();
    model.put("oidcError", key);
    model.put("oidcDetail", problem.getMessage());
    show(ctx, model, "", problem.status());
  }

  private static String address(RoutingContext ctx) {
    return ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().host();
  }

  private static java.util.Optional<String> retryAfter(Problem problem) {
    var m =
        java.util.regex.Pattern.compile("try again in (\\d+) s")
            .matcher(String.valueOf(problem.getMessage()));
    return m.find() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
  }

  private void signOut(RoutingContext ctx) {
    Cookie cookie = ctx.request().getCookie(SessionGate.COOKIE);
    db.withHandle(
            h -> {
              sessions.close(h, cookie.getValue());
              return null;
            })
        .onSuccess(
            v -> {
              SessionGate.clearSessionCookie(ctx);
              Views.redirect(ctx, "/login?done=signedOut");
            })
        .onFailure(ctx::fail);
  }

  /**
   * Only a path of this console: never another site, so the form cannot be an open redirect.
   * Accepted: a relative reference of printable ASCII whose path starts with one {@code /} (not
   * {@code //} nor {@code /\}), without backslashes or control characters, raw or percent-decoded
   * (a browser drops a tab or line feed, so {@code /%09/evil.example} would lead to {@code
   * //evil.example}). Anything else goes home.
   */
  static String safeNext(String next) {
    if (next == null
        || !next.startsWith("/")
        || next.startsWith("//")
        || next.startsWith("/api/")) {
      return "/";
    }
    for (int i = 0; i < next.length(); i++) {
      char ch = next.charAt(i);
      if (ch <= 0x20 || ch >= 0x7f || ch == '\\') {
        return "/";
      }
    }
    java.net.URI uri;
    try {
      uri = new java.net.URI(next);
    } catch (java.net.URISyntaxException e) {
      return "/";
    }
    if (uri.isAbsolute()
        || uri.getRawAuthority() != null
        || uri.getRawPath() == null
        || !uri.getRawPath().startsWith("/")
        || uri.getRawPath().startsWith("//")) {
      return "/";
    }
    // the same checks on what the percent-escapes stand for (getPath and friends decode them)
    String path = uri.getPath();
    if (path.startsWith("//")
        || unsafeDecoded(path)
        || unsafeDecoded(uri.getQuery())
        || unsafeDecoded(uri.getFragment())) {
      return "/";
    }
    return next;
  }

  private static boolean unsafeDecoded(String decoded) {
    if (decoded == null) {
      return false;
    }
    for (int i = 0; i < decoded.length(); i++) {
      char ch = decoded.charAt(i);
      if (Character.isISOControl(ch) || ch == '\\' || ch == '\u2028' || ch == '\u2029') {
        return true;
      }
    }
    return false;
  }
}
