package io.wingu.controlplane.web;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Access;
import io.wingu.controlplane.app.DomainError;
import io.wingu.controlplane.app.Problem;
import io.wingu.controlplane.app.Respond;
import io.wingu.controlplane.caller.Caller;
import io.wingu.controlplane.caller.Role;
import io.wingu.controlplane.scorecard.Criteria;
import io.wingu.controlplane.scorecard.Ranking;
import io.wingu.controlplane.scorecard.Score;
import io.wingu.controlplane.scorecard.ScorecardService;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The monthly scorecard in the console: operators and auditors see a month's ranking (published, or
 * a draft computed now) and every published version; operators publish a month after a confirmation
 * step; an institution's people see its own score, each criterion's evidence and how to improve it,
 * beside the median. The rules are {@link ScorecardService}'s.
 */
record ScorecardPages(ScorecardService scorecard, Views views) {

  private static final Access PLATFORM = Access.roles(Role.OPERATOR, Role.AUDITOR);
  private static final Access OPERATOR = Access.roles(Role.OPERATOR);

  void addTo(Router router, SessionGate gate) {
    GatedRouter routes = new GatedRouter(router, gate);
    routes.get("/scores", Access.readers(), this::ranking);
    routes.get("/scores/publish", OPERATOR, ctx -> confirm(ctx, Map.of(), 200));
    routes.post("/scores/publish", OPERATOR, this::publish);
    routes.get("/scores/institutions/:id", Access.readers(), this::institution);
  }

  /** {@code ?month=}, the current month when absent or not a month that has begun. */
  private YearMonth month(RoutingContext ctx, String param) {
    String asked = param == null ? ctx.queryParams().get("month") : param;
    try {
      return asked == null || asked.isBlank()
          ? scorecard.currentMonth()
          : scorecard.month(asked, "month");
    } catch (DomainError e) {
      return scorecard.currentMonth();
    }
  }

  private void ranking(RoutingContext ctx) {
    Caller caller = SessionGate.caller(ctx);
    if (caller.role().ofInstitution()) {
      // the month and the language asked for go along
      List<String> query = new java.util.ArrayList<>();
      if (ctx.queryParams().get("month") != null) {
        query.add("month=" + month(ctx, null));
      }
      if (ctx.queryParams().get("lang") != null) {
        query.add("lang=" + ConsoleLanguage.of(ctx));
      }
      Views.redirect(
          ctx,
          "/scores/institutions/"
              + caller.institutionId().orElseThrow()
              + (query.isEmpty() ? "" : "?" + String.join("&", query)));
      return;
    }
    YearMonth month = month(ctx, null);
    boolean draft = "1".equals(ctx.queryParams().get("draft"));
    String lang = ConsoleLanguage.of(ctx);
    scorecard
        .history(null)
        .compose(
            history ->
                scorecard
                    .ranking(month, draft)
                    .map(
                        r -> {
                          Map<String, Object> model = header(r, lang);
                          model.put(
                              "rows",
                              r.items().stream()
                                  .map(
                                      s ->
                                          Map.<String, Object>of(
                                              "rank",
                                              s.rank(),
                                              "id",
                                              s.institutionId().toString(),
                                              "name",
                                              s.nameIn(lang),
                                              "score",
                                              s.score(),
                                              "lagging",
                                              s.score() < Ranking.LAGGING_BELOW,
                                              "cells",
                                              cells(s, r)))
                                  .toList());
                          model.put("months", months(history, lang));
                          model.put("canPublish", caller.role() == Role.OPERATOR);
                          model.put("draftLink", "/scores?month=" + month + "&draft=1");
                          if ("published".equals(ctx.queryParams().get("done"))) {
                            model.put("notice", "scores.done.published");
                          }
                          return model;
                        }))
        .onSuccess(model -> views.send(ctx, 200, "scores", "scores.title", model))
        .onFailure(ctx::fail);
  }

  private void institution(RoutingContext ctx) {
    Caller caller = SessionGate.caller(ctx);
    UUID id = Form.id(ctx);
    if (caller.role().ofInstitution() && !caller.institutionId().orElseThrow().equals(id)) {
      ctx.fail(Problem.notFound("no institution " + id));
      return;
    }
    YearMonth month = month(ctx, null);
    String lang = ConsoleLanguage.of(ctx);
    scorecard
        .history(id)
        .compose(
            history ->
                scorecard
                    .rankingWith(id, month)
                    .map(
                        r -> {
                          Score own =
                              r.items().stream()
                                  .filter(s -> s.institutionId().equals(id))
                                  .findFirst()
                                  .orElseThrow(
                                      () ->
                                          Problem.notFound(
                                              "no institution "
                                                  + id
                                                  + " in the scorecard of "
                                                  + month));
                          Map<String, Object> model = header(r, lang);
                          model.put("institutionId", id.toString());
                          model.put("name", own.nameIn(lang));
                          model.put("score", own.score());
                          model.put("rank", own.rank());
                          model.put("aboveMedian", own.score() >= r.median());
                          model.put(
                              "criteria",
                              own.criteria().stream()
                                  .filter(c -> c.weight() > 0)
                                  .map(c -> criterion(c, lang))
                                  .toList());
                          List<Map<String, Object>> scores =
                              Views.rows(
                                  history.getJsonArray("scores"),
                                  h ->
                                      Map.of(
                                          "month",
                                          Messages.month(
                                              lang, YearMonth.parse(h.getString("month"))),
                                          "value",
                                          h.getString("month"),
                                          "score",
                                          h.getDouble("score"),
                                          "rank",
                                          h.getInteger("rank"),
                                          "ranked",
                                          h.getInteger("ranked"),
                                          "median",
                                          h.getDouble("median"),
                                          "version",
                                          h.getInteger("version")));
                          model.put("history", scores);
                          model.put("platform", !caller.role().ofInstitution());
                          return model;
                        }))
        .onSuccess(
            model -> views.send(ctx, 200, "score-institution", "scoreInstitution.title", model))
        .onFailure(ctx::fail);
  }

  private void confirm(RoutingContext ctx, Map<String, Object> extra, int status) {
    YearMonth month =
        month(ctx, Form.value(ctx, "month").isEmpty() ? null : Form.value(ctx, "month"));
    String lang = ConsoleLanguage.of(ctx);
    scorecard
        .history(null)
        .onSuccess(
            history -> {
              Map<String, Object> model = new HashMap<>(extra);
              model.put("month", month.toString());
              model.put("monthName", Messages.month(lang, month));
              long versions =
                  history.getJsonArray("months").stream()
                      .map(JsonObject.class::cast)
                      .filter(m -> m.getString("month").equals(month.toString()))
                      .mapToLong(m -> m.getJsonArray("versions").size())
                      .sum();
              model.put("correction", versions > 0);
              model.put("nextVersion", versions + 1);
              views.send(ctx, status, "score-publish", "scorePublish.title", model);
            })
        .onFailure(ctx::fail);
  }

  private void publish(RoutingContext ctx) {
    String note = Form.raw(ctx, "note").strip();
    YearMonth month = month(ctx, Form.value(ctx, "month"));
    String lang = ConsoleLanguage.of(ctx);
    Calls.attempt(
            () -> scorecard.publish(SessionGate.caller(ctx), month, note, Respond.requestId(ctx)))
        .onSuccess(p -> Views.redirect(ctx, "/scores?month=" + month + "&done=published"))
        .onFailure(
            f -> {
              if (f instanceof Problem p && p.status() == 503) {
                confirm(
                    ctx,
                    new FormErrors()
                        .add("note", views.messages().text(lang, "scorePublish.clusterDown"))
                        .model(),
                    503);
              } else {
                Calls.onProblem(
                        ctx,
                        p ->
                            confirm(
                                ctx,
                                new HashMap<>(
                                    new FormErrors()
                                        .add(
                                            "note",
                                            p.code() == null
                                                ? views
                                                    .messages()
                                                    .text(lang, "scorePublish.refused")
                                                : FormErrors.conflict(
                                                    views.messages(), lang, p.code()))
                                        .model()),
                                p.status()))
                    .handle(f);
              }
            });
  }

  private Map<String, Object> header(Ranking r, String lang) {
    Map<String, Object> model = new HashMap<>();
    model.put("month", r.month().toString());
    model.put("monthName", Messages.month(lang, r.month()));
    model.put("published", r.published());
    if (r.published()) {
      model.put("publication", r.publication().toJson());
    }
    model.put("versions", r.versions().stream().map(p -> p.toJson().getMap()).toList());
    model.put("median", r.median());
    model.put("institutions", r.items().size());
    model.put("laggingBelow", Ranking.LAGGING_BELOW);
    model.put("weights", weightedCriteria(r, views.messages(), lang));
    return model;
  }

  /**
   * The criteria the ranking weighs (weight above 0), in order, named in {@code lang}, with their
   * weights.
   */
  static List<Map<String, Object>> weightedCriteria(Ranking r, Messages messages, String lang) {
    return Criteria.IDS.stream()
        .filter(id -> r.weights().getOrDefault(id, 0) > 0)
        .map(
            id ->
                Map.<String, Object>of(
                    "id",
                    id,
                    "name",
                    messages.text(lang, "criterion." + id),
                    "weight",
                    r.weights().get(id)))
        .toList();
  }

  /** One table cell per weighed criterion: its state for this institution. */
  static List<Map<String, Object>> cells(Score s, Ranking r) {
    List<Map<String, Object>> cells = new ArrayList<>();
    for (Score.Result c : s.criteria()) {
      if (r.weights().getOrDefault(c.id(), 0) > 0) {
        cells.add(Map.of("state", c.state()));
      }
    }
    return cells;
  }

  private Map<String, Object> criterion(Score.Result c, String lang) {
    JsonObject e = c.evidence();
    Object[] args =
        switch (c.id()) {
          case Criteria.CONTENT_FRESH ->
              new Object[] {e.getValue("days"), e.getInteger("limitDays")};
          case Criteria.WITHIN_QUOTA -> new Object[] {e.getInteger("alerts")};
          case Criteria.COMPLETE_REQUESTS -> new Object[] {e.getInteger("rejectedIncomplete")};
          default -> new Object[] {e.getValue("count"), e.getInteger("total")};
        };
    String evidenceKey =
        !c.applicable()
            ? "scoreEvidence." + c.id() + ".na"
            : c.id().equals(Criteria.CONTENT_FRESH) && e.getValue("days") == null
                ? "scoreEvidence.content-fresh.never"
                : c.id().equals(Criteria.REGISTER_REVIEWED) && e.getInteger("total", 0) == 0
                    ? "scoreEvidence.register-reviewed.empty"
                    : "scoreEvidence." + c.id();
    Map<String, Object> m = new HashMap<>();
    m.put("name", views.messages().text(lang, "criterion." + c.id()));
    m.put("weight", c.weight());
    m.put("state", c.state());
    m.put("evidence", views.messages().text(lang, evidenceKey, args));
    if (c.applicable() && !c.met()) {
      m.put("improve", views.messages().text(lang, "scoreImprove." + c.id()));
    }
    return m;
  }

  private static List<Map<String, Object>> months(JsonObject history, String lang) {
    return Views.rows(
        history.getJsonArray("months"),
        m ->
            Map.of(
                "value",
                m.getString("month"),
                "label",
                Messages.month(lang, YearMonth.parse(m.getString("month"))),
                "versions",
                m.getJsonArray("versions").size()));
  }
}
