package io.wingu.controlplane.web;

import com.github.jknack.handlebars.Handlebars;
import com.github.jknack.handlebars.Helper;
import com.github.jknack.handlebars.helper.ConditionalHelpers;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.templ.handlebars.HandlebarsTemplateEngine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The console's pages: Handlebars templates under {@code console/} on the classpath. Every {@code
 * {{value}}} is HTML-escaped; words come from {@link Messages} through {@code {{t "key"}}}, dates
 * through {@code {{date at}}} and numbers through {@code {{number n}}}, in the page's language.
 */
final class Views {

  private final HandlebarsTemplateEngine engine;
  private final Messages messages;

  Views(Vertx vertx, Messages messages) {
    this.messages = messages;
    this.engine = HandlebarsTemplateEngine.create(vertx, "hbs");
    Handlebars handlebars = engine.unwrap();
    handlebars.registerHelpers(ConditionalHelpers.class);
    handlebars.registerHelper(
        "t",
        (Helper<String>)
            (key, options) ->
                messages.text(
                    java.util.Objects.toString(options.get("lang")), key, options.params));
    // {{tk "prefix" value}}: the text of "prefix.value", e.g. a status's name in the page's
    // language
    handlebars.registerHelper(
        "tk",
        (Helper<String>)
            (prefix, options) ->
                messages.text(
                    java.util.Objects.toString(options.get("lang")),
                    prefix + "." + options.param(0, "")));
    handlebars.registerHelper(
        "date",
        (Helper<Object>)
            (at, options) ->
                Messages.date(
                    java.util.Objects.toString(options.get("lang")),
                    at instanceof Instant i
                        ? i
                        : at == null ? null : Instant.parse(at.toString())));
    handlebars.registerHelper(
        "number",
        (Helper<Number>)
            (n, options) ->
                n == null
                    ? ""
                    : Messages.number(java.util.Objects.toString(options.get("lang")), n));
    // {{size bytes}}: a file's size in human units (B, KB, MB) in the page's language
    handlebars.registerHelper(
        "size",
        (Helper<Number>)
            (n, options) -> {
              if (n == null) {
                return "";
              }
              String lang = java.util.Objects.toString(options.get("lang"));
              long bytes = n.longValue();
              if (bytes < 1024) {
                return messages.text(lang, "size.bytes", Messages.number(lang, bytes));
              }
              if (bytes < 1024 * 1024) {
                return messages.text(lang, "size.kb", Messages.decimal(lang, bytes / 1024.0));
              }
              return messages.text(
                  lang, "size.mb", Messages.decimal(lang, bytes / (1024.0 * 1024.0)));
            });
    handlebars.registerHelper(
        "decimal",
        (Helper<Number>)
            (n, options) ->
                n == null
                    ? ""
                    : Messages.decimal(java.util.Objects.toString(options.get("lang")), n));
  }

  Messages messages() {
    return messages;
  }

  /** Renders {@code template} with {@code model} plus what every page needs, and sends it. */
  void send(
      RoutingContext ctx, int status, String template, String titleKey, Map<String, Object> model) {
    render(ctx, status, template, titleKey, model, true, "no-store");
  }

  /**
   * A page for everyone, signed in or not: it says nothing of the visitor (no name, no menu of
   * theirs, no CSRF token), so shared caches may keep it for {@code cacheControl}.
   */
  void sendPublic(
      RoutingContext ctx,
      String template,
      String titleKey,
      Map<String, Object> model,
      String cacheControl) {
    Map<String, Object> page = new HashMap<>(model);
    page.put("publicPage", true);
    page.put("nav", Navigation.publicItems(ctx.request().path()));
    ctx.response().putHeader("Vary", "Accept-Language, Cookie");
    // ?lang= sets the cookie that remembers the choice: that answer is the visitor's own
    boolean setsCookie = ctx.queryParams().contains("lang");
    render(
        ctx, 200, template, titleKey, page, false, setsCookie ? "private, no-cache" : cacheControl);
  }

  private void render(
      RoutingContext ctx,
      int status,
      String template,
      String titleKey,
      Map<String, Object> model,
      boolean withSession,
      String cacheControl) {
    String lang = ConsoleLanguage.of(ctx);
    Map<String, Object> page = new HashMap<>(model);
    page.put("lang", lang);
    page.put("title", messages.text(lang, titleKey));
    page.put("path", ctx.request().path());
    List<Map<String, Object>> languages = new ArrayList<>();
    for (String other : ConsoleLanguage.all()) {
      if (!other.equals(lang)) {
        languages.add(
            Map.of(
                "code",
                other,
                "name",
                messages.text(other, "language.name"),
                "href",
                languageLink(ctx, other)));
      }
    }
    page.put("languages", languages);
    if (withSession) {
      SessionGate.session(ctx)
          .ifPresent(
              session -> {
                page.put("csrf", session.csrfToken());
                page.put(
                    "user",
                    Map.of(
                        "username",
                        session.caller().username(),
                        "role",
                        messages.text(lang, "role." + session.caller().role().wireName())));
                page.put("nav", Navigation.items(session.caller().role(), ctx.request().path()));
              });
    }
    engine
        .render(page, "console/" + template + ".hbs")
        .onComplete(
            ar -> {
              if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
              }
              ctx.response()
                  .setStatusCode(status)
                  .putHeader("Content-Type", "text/html; charset=utf-8")
                  .putHeader("Content-Language", lang)
                  .putHeader("Cache-Control", cacheControl)
                  .end(ar.result());
            });
  }

  /** The same page in another language: its query kept (a search stays a search), lang replaced. */
  private static String languageLink(RoutingContext ctx, String lang) {
    StringBuilder query = new StringBuilder();
    ctx.queryParams()
        .forEach(
            (name, value) -> {
              if (!name.equals("lang")) {
                query
                    .append(
                        java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8))
                    .append('=')
                    .append(
                        java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8))
                    .append('&');
              }
            });
    return ctx.request().path() + "?" + query + "lang=" + lang;
  }

  /** The objects of a JSON array, each made a row of a page's model by {@code row}. */
  static <T> List<T> rows(JsonArray objects, Function<JsonObject, T> row) {
    List<T> out = new ArrayList<>(objects.size());
    for (Object o : objects) {
      out.add(row.apply((JsonObject) o));
    }
    return out;
  }

  /** POST-redirect-GET: a 303 to a page of the console. */
  static void redirect(RoutingContext ctx, String location) {
    ctx.response().setStatusCode(303).putHeader("Location", location).end();
  }
}
