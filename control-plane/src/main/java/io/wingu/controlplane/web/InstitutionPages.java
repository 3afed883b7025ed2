package io.wingu.controlplane.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Access;
import io.wingu.controlplane.app.Problem;
import io.wingu.controlplane.app.Respond;
import io.wingu.controlplane.auth.Account;
import io.wingu.controlplane.caller.Caller;
import io.wingu.controlplane.caller.Role;
import io.wingu.controlplane.institutions.Institution;
import io.wingu.controlplane.institutions.InstitutionService;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Institutions: the operator onboards them with their domains; operators and admins add their
 * users.
 */
record InstitutionPages(InstitutionService institutions, ContractCheck contract, Views views) {

  private static final Access READERS =
      Access.roles(Role.OPERATOR, Role.AUDITOR, Role.INSTITUTION_ADMIN);
  private static final Access OPERATOR = Access.roles(Role.OPERATOR);
  private static final Access USER_MAKERS = Access.roles(Role.OPERATOR, Role.INSTITUTION_ADMIN);

  void addTo(Router router, SessionGate gate) {
    GatedRouter routes = new GatedRouter(router, gate);
    routes.get("/institutions", READERS, this::list);
    routes.get("/institutions/new", OPERATOR, ctx -> form(ctx, Map.of(), new FormErrors(), 200));
    routes.post("/institutions/new", OPERATOR, this::create);
    routes.get("/institutions/:id", READERS, ctx -> detail(ctx, Map.of(), 200));
    routes.post("/institutions/:id/users", USER_MAKERS, this::addUser);
  }

  private void list(RoutingContext ctx) {
    Caller caller = SessionGate.caller(ctx);
    var page = Paging.of(ctx, InstitutionService.CURSOR);
    institutions
        .list(caller, page)
        .onSuccess(
            listing -> {
              Map<String, Object> model =
                  Paging.model(ctx, listing, Institution::toJson, "institutions");
              model.put("canCreate", caller.role() == Role.OPERATOR);
              views.send(ctx, 200, "institutions", "institutions.title", model);
            })
        .onFailure(ctx::fail);
  }

  private void form(
      RoutingContext ctx, Map<String, Object> answers, FormErrors errors, int status) {
    Map<String, Object> model = new HashMap<>(errors.model());
    model.put("form", answers);
    views.send(ctx, status, "institution-form", "institutionForm.title", model);
  }

  private void create(RoutingContext ctx) {
    Map<String, Object> answers =
        Map.of(
            "code",
            Form.value(ctx, "code"),
            "name",
            Form.value(ctx, "name"),
            "nameSw",
            Form.value(ctx, "nameSw"),
            "domains",
            Form.value(ctx, "domains"),
            "contactEmail",
            Form.value(ctx, "contactEmail"));
    List<String> domains = Form.lines(Form.value(ctx, "domains"));
    JsonObject body = new JsonObject().put("domains", new JsonArray(domains));
    for (String field : List.of("code", "name", "nameSw", "contactEmail")) {
      String v = Form.value(ctx, field);
      if (!v.isEmpty()) {
        body.put(field, v);
      }
    }
    String lang = ConsoleLanguage.of(ctx);
    Problem invalid = contract.check("createInstitution", body);
    if (invalid != null) {
      form(ctx, answers, FormErrors.of(invalid, views.messages(), lang, "code"), 400);
      return;
    }
    Calls.attempt(
            () ->
                institutions.create(
                    SessionGate.caller(ctx),
                    body.getString("code"),
                    body.getString("name"),
                    body.getString("nameSw"),
                    domains,
                    body.getString("contactEmail"),
                    Respond.requestId(ctx)))
        .onSuccess(inst -> Views.redirect(ctx, "/institutions/" + inst.id() + "?done=created"))
        .onFailure(
            Calls.onProblem(
                ctx,
                p ->
                    form(
                        ctx,
                        answers,
                        FormErrors.of(p, views.messages(), lang, "code"),
                        p.status())));
  }

  private void detail(RoutingContext ctx, Map<String, Object> extra, int status) {
    Caller caller = SessionGate.caller(ctx);
    UUID id = Form.id(ctx);
    institutions
        .members(caller, id)
        .onSuccess(
            d -> {
              Map<String, Object> model = new HashMap<>(extra);
              model.put("institution", d.institution().toJson());
              model.put("users", d.users().stream().map(Account::toJson).toList());
              model.put(
                  "canAddUsers",
                  caller.role() == Role.OPERATOR || caller.role() == Role.INSTITUTION_ADMIN);
              if ("created".equals(ctx.queryParams().get("done")) && !model.containsKey("notice")) {
                model.put("notice", "institutionDetail.created");
              }
              if ("userAdded".equals(ctx.queryParams().get("done"))
                  && !model.containsKey("notice")) {
                model.put("notice", "institutionDetail.userAdded");
              }
              views.send(ctx, status, "institution-detail", "institutionDetail.title", model);
            })
        .onFailure(ctx::fail);
  }

  private void addUser(RoutingContext ctx) {
    Caller caller = SessionGate.caller(ctx);
    UUID id = Form.id(ctx);
    String username = Form.value(ctx, "username");
    String password = Form.raw(ctx, "password");
    String roleName = Form.value(ctx, "role");
    JsonObject body =
        new JsonObject().put("username", username).put("password", password).put("role", roleName);
    String lang = ConsoleLanguage.of(ctx);
    Map<String, Object> kept = Map.of("newUser", Map.of("username", username, "role", roleName));
    Problem invalid = contract.check("createInstitutionUser", body);
    if (invalid != null) {
      userRefused(ctx, invalid, lang, kept);
      return;
    }
    Role role = Role.fromWire(roleName).orElseThrow();
    Calls.attempt(
            () ->
                institutions.createUser(
                    caller, id, username, password, role, Respond.requestId(ctx)))
        .onSuccess(created -> Views.redirect(ctx, "/institutions/" + id + "?done=userAdded"))
        .onFailure(Calls.onProblem(ctx, p -> userRefused(ctx, p, lang, kept)));
  }

  private void userRefused(
      RoutingContext ctx, Problem problem, String lang, Map<String, Object> kept) {
    Map<String, Object> model = new HashMap<>(kept);
    model.putAll(FormErrors.of(problem, views.messages(), lang, "username").model());
    detail(ctx, model, problem.status());
  }
}
