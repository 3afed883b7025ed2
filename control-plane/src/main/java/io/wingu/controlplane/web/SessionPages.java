package io.wingu.controlplane.web;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Access;
import io.wingu.controlplane.app.Respond;
import io.wingu.controlplane.people.MySessions;
import io.wingu.controlplane.people.PeopleService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A person's own sessions (end one, or every one but this) and their password change: the same
 * service as GET /api/v1/me/sessions and POST /api/v1/me/password.
 */
record SessionPages(PeopleService people, Views views) {

  void addTo(Router router, SessionGate gate) {
    Access persons = Access.readers();
    router.get("/account/sessions").handler(gate.require(persons)).handler(this::list);
    router
        .post("/account/sessions/end-others")
        .handler(gate.require(persons))
        .handler(this::endOthers);
    router.post("/account/sessions/:id/end").handler(gate.require(persons)).handler(this::endOne);
    router.get("/account/password").handler(gate.require(persons)).handler(this::passwordForm);
    router.post("/account/password").handler(gate.require(persons)).handler(this::changePassword);
  }

  private static Optional<UUID> current(RoutingContext ctx) {
    return SessionGate.session(ctx).map(ConsoleSessions.Session::id);
  }

  private void list(RoutingContext ctx) {
    people
        .sessionsOf(SessionGate.caller(ctx), current(ctx))
        .onSuccess(
            mine -> {
              Map<String, Object> model = new HashMap<>();
              model.put("rows", rows(mine));
              String done = ctx.queryParams().get("done");
              if ("ended".equals(done)) {
                model.put("notice", "sessions.ended");
              } else if ("others".equals(done)) {
                model.put("notice", "sessions.othersEnded");
              } else if ("password".equals(done)) {
                model.put("notice", "password.changed");
              }
              views.send(ctx, 200, "sessions", "sessions.title", model);
            })
        .onFailure(ctx::fail);
  }

  private static List<Map<String, Object>> rows(MySessions mine) {
    List<Map<String, Object>> rows = new ArrayList<>();
    mine.sessions()
        .forEach(
            s -> {
              Map<String, Object> row = new HashMap<>();
              row.put("id", s.id().toString());
              row.put("kindKey", "sessions.kind." + s.kind());
              row.put("createdAt", s.createdAt().toString());
              s.lastSeenAt().ifPresent(t -> row.put("lastSeenAt", t.toString()));
              s.address().ifPresent(a -> row.put("address", a));
              s.userAgent().ifPresent(a -> row.put("agent", a));
              row.put("current", mine.isCurrent(s));
              rows.add(row);
            });
    mine.deployTokens()
        .forEach(
            t -> {
              Map<String, Object> row = new HashMap<>();
              row.put("id", t.id().toString());
              row.put("kindKey", "sessions.kind.deploy-token");
              row.put("name", t.name());
              row.put("createdAt", t.createdAt().toString());
              t.lastUsedAt().ifPresent(at -> row.put("lastSeenAt", at.toString()));
              row.put("current", false);
              rows.add(row);
            });
    return rows;
  }

  private void endOne(RoutingContext ctx) {
    UUID id;
    try {
      id = UUID.fromString(ctx.pathParam("id"));
    } catch (IllegalArgumentException e) {
      Views.redirect(ctx, "/account/sessions");
      return;
    }
    if (current(ctx).filter(id::equals).isPresent()) {
      // this session ends by signing out
      Views.redirect(ctx, "/account/sessions");
      return;
    }
    Calls.attempt(() -> people.endSession(SessionGate.caller(ctx), id, Respond.requestId(ctx)))
        .onSuccess(v -> Views.redirect(ctx, "/account/sessions?done=ended"))
        .onFailure(ctx::fail);
  }

  private void endOthers(RoutingContext ctx) {
    people
        .endOtherSessions(SessionGate.caller(ctx), current(ctx), Respond.requestId(ctx))
        .onSuccess(n -> Views.redirect(ctx, "/account/sessions?done=others"))
        .onFailure(ctx::fail);
  }

  private void passwordForm(RoutingContext ctx) {
    views.send(ctx, 200, "password", "password.title", new HashMap<>());
  }

  private void changePassword(RoutingContext ctx) {
    String lang = ConsoleLanguage.of(ctx);
    Calls.attempt(
            () ->
                people.changePassword(
                    SessionGate.caller(ctx),
                    Form.raw(ctx, "current"),
                    Form.raw(ctx, "new"),
                    current(ctx),
                    Respond.requestId(ctx)))
        .onSuccess(v -> Views.redirect(ctx, "/account/sessions?done=password"))
        .onFailure(
            Calls.onProblem(
                ctx,
                problem -> {
                  FormErrors errors = new FormErrors();
                  boolean current =
                      problem.errors().stream().anyMatch(e -> e.field().equals("current"));
                  if (problem.status() == 429) {
                    errors.add("current", views.messages().text(lang, "login.throttled"));
                  } else if (current) {
                    errors.add("current", views.messages().text(lang, "password.error.current"));
                  } else {
                    errors.add("new", views.messages().text(lang, "password.error.new"));
                  }
                  views.send(ctx, problem.status(), "password", "password.title", errors.model());
                }));
  }
}
