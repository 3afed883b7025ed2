package io.wingu.controlplane.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Cursor;
import io.wingu.controlplane.app.DomainError;
import io.wingu.controlplane.app.Problem;
import io.wingu.controlplane.directory.DirectorySearch;
import io.wingu.controlplane.directory.DirectoryService;
import io.wingu.controlplane.directory.DirectoryVocabulary;
import io.wingu.controlplane.scorecard.Ranking;
import io.wingu.controlplane.scorecard.Score;
import io.wingu.controlplane.scorecard.ScorecardService;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pages for citizens, without sign-in: every institution's online services in one directory,
 * and the published scorecard. They work without JavaScript, carry schema.org microdata for search
 * engines, and show only what is public.
 */
record PublicPages(DirectoryService directory, ScorecardService scorecard, Views views) {

  private static final int DIRECTORY_PAGE = 20;
  private static final int SCORECARD_PAGE = 100;

  void addTo(Router router) {
    router.get("/directory").handler(this::directory);
    router.get("/scorecard").handler(this::scorecard);
  }

  private void directory(RoutingContext ctx) {
    String lang = ConsoleLanguage.of(ctx);
    var params = ctx.queryParams();
    // a forged filter or cursor finds nothing; it is never an error page
    String category = oneOf(params.get("category"), DirectoryVocabulary.CATEGORIES);
    String region = oneOf(params.get("region"), DirectoryVocabulary.REGIONS);
    String afterKey = cursorPart(DirectoryService.CURSOR, params.get("cursor"), k -> k.text("k"));
    String afterCode =
        afterKey == null
            ? null
            : cursorPart(DirectoryService.CURSOR, params.get("cursor"), k -> k.text("c"));
    DirectorySearch search =
        new DirectorySearch(
            params.get("q"),
            category,
            region,
            lang,
            afterCode == null ? null : afterKey,
            afterCode);
    directory
        .search(search, DIRECTORY_PAGE, null)
        .onSuccess(
            answer -> {
              Map<String, Object> model = new HashMap<>();
              model.put("q", search.q() == null ? "" : search.q());
              model.put(
                  "categories",
                  views
                      .messages()
                      .choices(lang, "category", DirectoryVocabulary.CATEGORIES, category));
              model.put(
                  "regions",
                  views.messages().choices(lang, "region", DirectoryVocabulary.REGIONS, region));
              List<Map<String, Object>> items =
                  Views.rows(answer.page().getJsonArray("items"), o -> institution(o, lang));
              model.put("items", items);
              model.put("count", items.size());
              model.put("searched", search.q() != null || category != null || region != null);
              String next = answer.page().getString("nextCursor");
              // the search as asked, without a cursor: the first page's address
              Map<String, String> asked = new LinkedHashMap<>();
              asked.put("q", model.get("q").toString());
              asked.put("category", category == null ? "" : category);
              asked.put("region", region == null ? "" : region);
              if (next != null) {
                Map<String, String> onwards = new LinkedHashMap<>(asked);
                onwards.put("cursor", next);
                model.put("nextHref", "/directory?" + query(onwards));
              }
              model.put("firstHref", afterCode == null ? null : "/directory?" + query(asked));
              model.put("descriptionKey", "directory.description");
              views.sendPublic(
                  ctx, "public-directory", "directory.title", model, "public, max-age=30");
            })
        .onFailure(ctx::fail);
  }

  private Map<String, Object> institution(JsonObject o, String lang) {
    Map<String, Object> m = new HashMap<>();
    m.put("code", o.getString("code"));
    m.put("name", o.getJsonObject("name").getString(lang));
    m.put(
        "sites",
        Views.rows(
            o.getJsonArray("sites", new JsonArray()),
            site ->
                Map.of(
                    "name",
                    site.getString("name"),
                    "url",
                    site.getString("url"),
                    "host",
                    site.getJsonArray("hostnames").getString(0))));
    m.put(
        "services",
        Views.rows(
            o.getJsonArray("services", new JsonArray()),
            svc ->
                Map.of(
                    "id",
                    svc.getString("id"),
                    "name",
                    svc.getJsonObject("name").getString(lang),
                    "description",
                    svc.getJsonObject("description").getString(lang),
                    "url",
                    svc.getString("url"),
                    "category",
                    views.messages().text(lang, "category." + svc.getString("category")),
                    "region",
                    views.messages().text(lang, "region." + svc.getString("region")))));
    return m;
  }

  private void scorecard(RoutingContext ctx) {
    String lang = ConsoleLanguage.of(ctx);
    String asked = ctx.queryParams().get("month");
    YearMonth month;
    try {
      month = asked == null || asked.isBlank() ? null : scorecard.month(asked, "month");
    } catch (DomainError e) {
      month = null;
    }
    Integer position =
        cursorPart(ScorecardService.CURSOR, ctx.queryParams().get("cursor"), k -> k.count("p"));
    int from = position == null ? 0 : position;
    YearMonth wanted = month;
    scorecard
        .history(null)
        .onSuccess(
            history ->
                scorecard
                    .published(wanted)
                    .onComplete(
                        ar -> {
                          Map<String, Object> model = new HashMap<>();
                          List<Map<String, Object>> months = new ArrayList<>();
                          for (Object m : history.getJsonArray("months")) {
                            String value = ((JsonObject) m).getString("month");
                            months.add(
                                Map.of(
                                    "value",
                                    value,
                                    "label",
                                    Messages.month(lang, YearMonth.parse(value))));
                          }
                          model.put("months", months);
                          if (ar.failed()) {
                            if (!(ar.cause() instanceof DomainError.NotFound)) {
                              ctx.fail(ar.cause());
                              return;
                            }
                            model.put(
                                "missingMonth",
                                wanted == null ? null : Messages.month(lang, wanted));
                          } else {
                            putRanking(model, ar.result(), from, lang);
                          }
                          model.put("descriptionKey", "publicScorecard.description");
                          views.sendPublic(
                              ctx,
                              "public-scorecard",
                              "publicScorecard.title",
                              model,
                              "public, max-age=300");
                        }))
        .onFailure(ctx::fail);
  }

  private void putRanking(Map<String, Object> model, Ranking r, int from, String lang) {
    model.put("month", r.month().toString());
    model.put("monthName", Messages.month(lang, r.month()));
    model.put("publication", r.publication().toJson());
    model.put("corrected", r.publication().correctionOf() != null);
    model.put("criteria", ScorecardPages.weightedCriteria(r, views.messages(), lang));
    model.put("median", r.median());
    model.put("laggingBelow", Ranking.LAGGING_BELOW);
    List<Score> all = r.items();
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Score s :
        all.subList(Math.min(from, all.size()), Math.min(all.size(), from + SCORECARD_PAGE))) {
      rows.add(row(s, r, lang));
    }
    model.put("rows", rows);
    model.put("institutions", all.size());
    List<Map<String, Object>> lagging = new ArrayList<>();
    for (Score s : all) {
      if (s.score() < Ranking.LAGGING_BELOW) {
        lagging.add(
            Map.of(
                "name",
                s.nameIn(lang),
                "score",
                s.score(),
                "missed",
                s.missed().stream()
                    .map(id -> views.messages().text(lang, "criterion." + id))
                    .toList()));
      }
    }
    model.put("lagging", lagging);
    if (from + SCORECARD_PAGE < all.size()) {
      model.put(
          "nextHref",
          "/scorecard?"
              + query(
                  Map.of(
                      "month",
                      r.month().toString(),
                      "cursor",
                      ScorecardService.CURSOR.encode(
                          new JsonObject().put("p", from + SCORECARD_PAGE)))));
    }
  }

  private Map<String, Object> row(Score s, Ranking r, String lang) {
    return Map.of(
        "rank",
        s.rank(),
        "name",
        s.nameIn(lang),
        "score",
        s.score(),
        "cells",
        ScorecardPages.cells(s, r),
        "lagging",
        s.score() < Ranking.LAGGING_BELOW);
  }

  private static String oneOf(String value, List<String> allowed) {
    return value != null && allowed.contains(value) ? value : null;
  }

  /**
   * A part of a cursor from a link; one that is not ours (or none) starts from the beginning
   * (null).
   */
  private static <T> T cursorPart(
      Cursor.Shape shape, String value, java.util.function.Function<Cursor, T> part) {
    try {
      return value == null || value.isBlank() ? null : shape.decode(value).map(part).orElse(null);
    } catch (Problem p) {
      return null;
    }
  }

  private static String query(Map<String, String> params) {
    StringBuilder b = new StringBuilder();
    new java.util.TreeMap<>(params)
        .forEach(
            (k, v) -> {
              if (v != null && !v.isEmpty()) {
                b.append(b.isEmpty() ? "" : "&")
                    .append(k)
                    .append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
              }
            });
    return b.toString();
  }
}
