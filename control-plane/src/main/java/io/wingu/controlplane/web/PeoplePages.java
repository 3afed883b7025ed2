package io.wingu.controlplane.web;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Access;
import io.wingu.controlplane.app.Respond;
import io.wingu.controlplane.auth.Person;
import io.wingu.controlplane.caller.Caller;
import io.wingu.controlplane.caller.Role;
import io.wingu.controlplane.institutions.InstitutionService;
import io.wingu.controlplane.people.PeopleService;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * An institution's people for its admin and operators (disable, enable, remove, issue a reset
 * code), and the public page where a person uses that code: the same service as the API's. That
 * page is signed out, so its form carries the sign-in form's CSRF cookie ({@code loginCsrf}).
 */
record PeoplePages(
    PeopleService people, InstitutionService institutions, Views views, LoginCsrf loginCsrf) {

  void addTo(Router router, SessionGate gate) {
    Access readers = Access.roles(Role.OPERATOR, Role.AUDITOR, Role.INSTITUTION_ADMIN);
    Access admins = Access.roles(Role.OPERATOR, Role.INSTITUTION_ADMIN);
    router.get("/institutions/:id/people").handler(gate.require(readers)).handler(this::list);
    router
        .post("/people/:id/disable")
        .handler(gate.require(admins))
        .handler(ctx -> act(ctx, (c, id) -> people.disable(c, id, Respond.requestId(ctx))));
    router
        .post("/people/:id/enable")
        .handler(gate.require(admins))
        .handler(ctx -> act(ctx, (c, id) -> people.enable(c, id, Respond.requestId(ctx))));
    router.post("/people/:id/remove").handler(gate.require(admins)).handler(this::remove);
    router.post("/people/:id/reset").handler(gate.require(admins)).handler(this::reset);
    router.get("/login/reset").handler(this::resetForm);
    router.post("/login/reset").handler(this::useReset);
  }

  private void list(RoutingContext ctx) {
    show(ctx, Form.id(ctx), new HashMap<>());
  }

  private void show(RoutingContext ctx, UUID institutionId, Map<String, Object> extra) {
    Caller caller = SessionGate.caller(ctx);
    institutions
        .get(caller, institutionId)
        .compose(
            inst ->
                people
                    .peopleOf(caller, institutionId)
                    .map(
                        list -> {
                          Map<String, Object> model = new HashMap<>(extra);
                          model.put("institution", inst.toJson());
                          model.put(
                              "manage",
                              caller.role() == Role.OPERATOR
                                  || caller.role() == Role.INSTITUTION_ADMIN);
                          model.put("people", list.stream().map(p -> row(p, caller)).toList());
                          if ("1".equals(ctx.queryParams().get("done"))) {
                            model.put("notice", "people.done");
                          }
                          return model;
                        }))
        .onSuccess(model -> views.send(ctx, 200, "people", "people.title", model))
        .onFailure(ctx::fail);
  }

  private static Map<String, Object> row(Person p, Caller caller) {
    Map<String, Object> row = new HashMap<>();
    row.put("id", p.id().toString());
    row.put("username", p.username());
    row.put("roleKey", "role." + p.role().wireName());
    row.put("disabled", p.disabled());
    row.put("local", p.local());
    row.put("self", p.id().equals(caller.accountId()));
    p.lastSignInAt().ifPresent(t -> row.put("lastSignInAt", t.toString()));
    return row;
  }

  private void act(RoutingContext ctx, BiFunction<Caller, UUID, Future<Person>> action) {
    Caller caller = SessionGate.caller(ctx);
    Calls.attempt(() -> action.apply(caller, Form.id(ctx)))
        .onSuccess(
            p ->
                Views.redirect(
                    ctx, "/institutions/" + p.institutionId().orElseThrow() + "/people?done=1"))
        .onFailure(ctx::fail);
  }

  private void remove(RoutingContext ctx) {
    act(ctx, (c, id) -> people.remove(c, id, Respond.requestId(ctx)));
  }

  private void reset(RoutingContext ctx) {
    Caller caller = SessionGate.caller(ctx);
    Calls.attempt(() -> people.issueReset(caller, Form.id(ctx), Respond.requestId(ctx)))
        .onSuccess(
            reset -> {
              Map<String, Object> model = new HashMap<>();
              model.put(
                  "reset",
                  Map.of(
                      "username", reset.person().username(),
                      "code", reset.code(),
                      "expiresAt", reset.expiresAt().toString()));
              show(ctx, reset.person().institutionId().orElseThrow(), model);
            })
        .onFailure(ctx::fail);
  }

  private void resetForm(RoutingContext ctx) {
    showReset(ctx, new HashMap<>(), "", 200);
  }

  private void showReset(
      RoutingContext ctx, Map<String, Object> model, String username, int status) {
    Map<String, Object> page = new HashMap<>(model);
    page.put("loginCsrf", loginCsrf.issue(ctx));
    page.put("username", username);
    views.send(ctx, status, "password-reset", "reset.title", page);
  }

  private void useReset(RoutingContext ctx) {
    if (!loginCsrf.accepts(ctx, Form.value(ctx, SessionGate.CSRF_FIELD))) {
      views.send(ctx, 403, "password-reset", "reset.title", new HashMap<>());
      return;
    }
    String lang = ConsoleLanguage.of(ctx);
    String username = Form.value(ctx, "username");
    String source =
        ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().host();
    Calls.attempt(
            () ->
                people.reset(
                    source, username, Form.value(ctx, "code"), Form.raw(ctx, "newPassword")))
        .onSuccess(v -> Views.redirect(ctx, "/login?done=reset"))
        .onFailure(
            Calls.onProblem(
                ctx,
                problem -> {
                  boolean weak =
                      problem.errors().stream().anyMatch(e -> e.field().equals("newPassword"));
                  FormErrors errors =
                      new FormErrors()
                          .add(
                              weak ? "newPassword" : "code",
                              views
                                  .messages()
                                  .text(
                                      lang,
                                      problem.status() == 429
                                          ? "login.throttled"
                                          : weak ? "password.error.new" : "reset.wrong"));
                  showReset(ctx, errors.model(), username, problem.status());
                }));
  }
}
