package io.wingu.controlplane.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Access;
import io.wingu.controlplane.app.Problem;
import io.wingu.controlplane.app.Respond;
import io.wingu.controlplane.caller.Caller;
import io.wingu.controlplane.caller.Role;
import io.wingu.controlplane.institutions.Institution;
import io.wingu.controlplane.institutions.InstitutionService;
import io.wingu.controlplane.plans.Plan;
import io.wingu.controlplane.plans.PlanService;
import io.wingu.controlplane.plans.Quantities;
import io.wingu.controlplane.requests.HostingRequest;
import io.wingu.controlplane.requests.RequestService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Hosting requests: the institution admin's form with a check-your-answers step, everyone's lists
 * and histories, and the operator's approve and reject. Every rule is RequestService's and the API
 * contract's; these pages only gather answers and show outcomes.
 */
record RequestPages(
    RequestService service,
    InstitutionService institutions,
    PlanService plans,
    TemplateChoices templates,
    ContractCheck contract,
    Views views) {

  private static final Access READERS =
      Access.roles(Role.OPERATOR, Role.AUDITOR, Role.INSTITUTION_ADMIN);
  private static final Access ADMIN = Access.roles(Role.INSTITUTION_ADMIN);
  private static final Access OPERATOR = Access.roles(Role.OPERATOR);

  void addTo(Router router, SessionGate gate) {
    GatedRouter routes = new GatedRouter(router, gate);
    routes.get("/requests", READERS, this::list);
    routes.get(
        "/requests/new", ADMIN, ctx -> form(ctx, RequestForm.empty(), new FormErrors(), 200));
    routes.post("/requests/new", ADMIN, this::checkAnswers);
    routes.post("/requests/submit", ADMIN, this::submit);
    routes.get("/requests/:id", READERS, ctx -> detail(ctx, Map.of(), 200));
    routes.post("/requests/:id/approve", OPERATOR, this::approve);
    routes.post("/requests/:id/reject", OPERATOR, this::reject);
    routes.post("/requests/:id/cancel", ADMIN, this::cancel);
  }

  /** The answers of the request form, as typed. */
  record RequestForm(
      String siteName,
      String hostnames,
      String plan,
      String templateId,
      boolean database,
      String justification) {

    static RequestForm empty() {
      return new RequestForm("", "", "", "", false, "");
    }

    static RequestForm of(RoutingContext ctx) {
      return new RequestForm(
          Form.value(ctx, "siteName"),
          Form.value(ctx, "hostnames"),
          Form.value(ctx, "plan"),
          Form.value(ctx, "templateId"),
          "postgresql".equals(Form.value(ctx, "database")),
          Form.value(ctx, "justification"));
    }

    /** The body POST /api/v1/requests would receive. */
    JsonObject body() {
      JsonObject b = new JsonObject().put("hostnames", new JsonArray(Form.lines(hostnames)));
      putIfGiven(b, "siteName", siteName);
      putIfGiven(b, "plan", plan);
      putIfGiven(b, "templateId", templateId);
      putIfGiven(b, "justification", justification);
      if (database) {
        b.put("database", new JsonObject().put("engine", "postgresql"));
      }
      return b;
    }

    RequestService.Submission submission() {
      return new RequestService.Submission(
          siteName,
          Form.lines(hostnames),
          plan,
          templateId.isEmpty() ? null : templateId,
          database ? "postgresql" : null,
          null,
          justification);
    }

    Map<String, Object> model() {
      return Map.of(
          "siteName",
          siteName,
          "hostnames",
          hostnames,
          "hostnameList",
          Form.lines(hostnames),
          "hostnamesJoined",
          String.join(", ", Form.lines(hostnames)),
          "plan",
          plan,
          "templateId",
          templateId,
          "database",
          database,
          "justification",
          justification);
    }
  }

  private static void putIfGiven(JsonObject body, String field, String value) {
    if (!value.isEmpty()) {
      body.put(field, value);
    }
  }

  private void list(RoutingContext ctx) {
    Caller caller = SessionGate.caller(ctx);
    String statusParam = ctx.queryParams().get("status");
    HostingRequest.Status status = null;
    for (HostingRequest.Status s : HostingRequest.Status.values()) {
      if (s.name().equals(statusParam)) {
        status = s;
      }
    }
    HostingRequest.Status filter = status;
    var page = Paging.of(ctx, RequestService.CURSOR);
    String lang = ConsoleLanguage.of(ctx);
    service
        .list(caller, filter, page)
        .compose(
            answer ->
                InstitutionNames.of(
                        institutions,
                        caller,
                        answer.items().stream().map(HostingRequest::institutionId).toList(),
                        lang)
                    .map(names -> Paging.model(ctx, answer, r -> row(r, names, lang), "requests")))
        .onSuccess(
            model -> {
              model.put("showInstitution", caller.scope().coversPlatform());
              model.put("status", filter == null ? "" : filter.name());
              model.put("statuses", List.of("PENDING", "APPROVED", "REJECTED", "CANCELLED"));
              model.put("canAsk", caller.role() == Role.INSTITUTION_ADMIN);
              views.send(ctx, 200, "requests", "requests.title", model);
            })
        .onFailure(ctx::fail);
  }

  /** A request as a row of a list: its JSON with the name of the institution that asked. */
  private JsonObject row(HostingRequest r, InstitutionNames names, String lang) {
    return r.toJson()
        .put("institutionName", names.name(r.institutionId()))
        .put("planLabel", Amounts.planName(views.messages(), lang, r.planName()));
  }

  /** The request form with the institution's domains, the plans side by side and the templates. */
  private void form(RoutingContext ctx, RequestForm answers, FormErrors errors, int status) {
    Caller caller = SessionGate.caller(ctx);
    UUID institutionId = caller.institutionId().orElseThrow();
    institutions
        .get(caller, institutionId)
        .compose(inst -> plans.all().map(all -> new FormData(inst, all)))
        .onSuccess(
            data -> {
              Map<String, Object> model = new HashMap<>(errors.model());
              model.put("form", answers.model());
              model.put("domains", data.institution().domains());
              model.put(
                  "plans", planChoices(ConsoleLanguage.of(ctx), data.plans(), answers.plan()));
              model.put(
                  "templates", templates.choices(ConsoleLanguage.of(ctx), answers.templateId()));
              views.send(ctx, status, "request-form", "requestForm.title", model);
            })
        .onFailure(ctx::fail);
  }

  private record FormData(Institution institution, List<Plan> plans) {}

  private List<Map<String, Object>> planChoices(String lang, List<Plan> plans, String chosen) {
    Messages m = views.messages();
    List<Map<String, Object>> out = new ArrayList<>();
    for (Plan p : plans) {
      out.add(
          Map.of(
              "name",
              p.name(),
              "label",
              Amounts.planName(m, lang, p.name()),
              "cpu",
              Amounts.cpu(lang, p.cpuMillis()),
              "memory",
              Amounts.bytes(lang, p.memoryBytes()),
              "storage",
              Amounts.bytes(lang, p.storageBytes()),
              "dbStorage",
              Amounts.bytes(lang, p.dbStorageBytes()),
              "checked",
              p.name().equals(chosen)));
    }
    return out;
  }

  /** The request form's fields, in the order the page shows them (and its summary lists them). */
  private static final List<String> FIELDS =
      List.of("siteName", "hostnames", "plan", "templateId", "database", "justification");

  /**
   * Step two: the answers are checked against the API contract and the service's rules (a hostname
   * outside the institution's domains is refused here, not after sending), then shown back for
   * confirmation.
   */
  private void checkAnswers(RoutingContext ctx) {
    RequestForm answers = RequestForm.of(ctx);
    checked(ctx, answers)
        .onSuccess(
            errors -> {
              if (!errors.isEmpty()) {
                form(ctx, answers, errors, 400);
                return;
              }
              String lang = ConsoleLanguage.of(ctx);
              Map<String, Object> model = new HashMap<>();
              model.put("form", answers.model());
              model.put("templateName", templates.name(lang, answers.templateId()));
              model.put("planName", Amounts.planName(views.messages(), lang, answers.plan()));
              views.send(ctx, 200, "request-check", "requestCheck.title", model);
            })
        .onFailure(ctx::fail);
  }

  /**
   * The form's errors: the contract's, then the service's rules on what the contract let through,
   * in the order of the fields; none when the request may be sent.
   */
  private io.vertx.core.Future<FormErrors> checked(RoutingContext ctx, RequestForm answers) {
    String lang = ConsoleLanguage.of(ctx);
    FormErrors errors = new FormErrors();
    Problem invalid = contract.check("createRequest", answers.body());
    if (invalid != null) {
      errors.addAll(formErrors(invalid, lang));
    }
    return Calls.attempt(() -> service.check(SessionGate.caller(ctx), answers.submission()))
        .map(ok -> errors.inOrder(FIELDS))
        .recover(
            failure -> {
              Problem p = Calls.problem(failure);
              if (p == null || p.status() >= 500 || p.status() == 404) {
                return io.vertx.core.Future.failedFuture(failure);
              }
              return io.vertx.core.Future.succeededFuture(
                  errors.addAll(formErrors(p, lang)).inOrder(FIELDS));
            });
  }

  /** A refusal of the request form, on its fields in their order. */
  private FormErrors formErrors(Problem problem, String lang) {
    return FormErrors.of(problem, views.messages(), lang, "siteName").inOrder(FIELDS);
  }

  private void submit(RoutingContext ctx) {
    RequestForm answers = RequestForm.of(ctx);
    if ("change".equals(Form.value(ctx, "action"))) {
      form(ctx, answers, new FormErrors(), 200);
      return;
    }
    String lang = ConsoleLanguage.of(ctx);
    Problem invalid = contract.check("createRequest", answers.body());
    if (invalid != null) {
      form(ctx, answers, formErrors(invalid, lang), 400);
      return;
    }
    Calls.attempt(
            () ->
                service.submit(
                    SessionGate.caller(ctx), answers.submission(), Respond.requestId(ctx)))
        .onSuccess(r -> Views.redirect(ctx, "/requests/" + r.id() + "?done=submitted"))
        .onFailure(
            Calls.onProblem(
                ctx, problem -> form(ctx, answers, formErrors(problem, lang), problem.status())));
  }

  /** A request and its history; {@code extra} adds a notice, errors and kept answers. */
  private void detail(RoutingContext ctx, Map<String, Object> extra, int status) {
    Caller caller = SessionGate.caller(ctx);
    UUID id = Form.id(ctx);
    String lang = ConsoleLanguage.of(ctx);
    Messages m = views.messages();
    service
        .get(caller, id)
        .compose(
            r ->
                InstitutionNames.of(institutions, caller, List.of(r.institutionId()), lang)
                    .map(names -> new Named(r, names)))
        .onSuccess(
            named -> {
              HostingRequest r = named.request();
              Map<String, Object> model = new HashMap<>(extra);
              model.put("request", row(r, named.names(), lang));
              model.put("templateName", templates.name(lang, r.templateId()));
              model.put("planName", Amounts.planName(m, lang, r.planName()));
              model.put(
                  "quotaText",
                  Amounts.quota(
                      m,
                      lang,
                      r.quota().cpuMillis(),
                      r.quota().memoryBytes(),
                      r.quota().storageBytes()));
              model.put("engineName", Amounts.engine(m, lang, r.databaseEngine()));
              boolean pending = r.status() == HostingRequest.Status.PENDING;
              model.put("canDecide", pending && caller.role() == Role.OPERATOR);
              model.put("canCancel", pending && caller.role() == Role.INSTITUTION_ADMIN);
              String done = ctx.queryParams().get("done");
              if (done != null
                  && done.matches("submitted|approved|rejected|cancelled")
                  && !model.containsKey("notice")) {
                model.put("notice", "requestDetail.done." + done);
              }
              views.send(ctx, status, "request-detail", "requestDetail.title", model);
            })
        .onFailure(ctx::fail);
  }

  private record Named(HostingRequest request, InstitutionNames names) {}

  private void approve(RoutingContext ctx) {
    String note = Form.value(ctx, "note");
    JsonObject overrides = new JsonObject();
    for (String field : List.of("cpu", "memory", "storage")) {
      String v = Form.value(ctx, field);
      if (!v.isEmpty()) {
        overrides.put(field, v);
      }
    }
    JsonObject body = new JsonObject().put("overrides", overrides);
    if (!note.isEmpty()) {
      body.put("note", note);
    }
    Map<String, Object> kept =
        Map.of(
            "note",
            note,
            "cpu",
            Form.value(ctx, "cpu"),
            "memory",
            Form.value(ctx, "memory"),
            "storage",
            Form.value(ctx, "storage"));
    Problem invalid = contract.check("approveRequest", body);
    if (invalid != null) {
      decisionRefused(ctx, invalid, "approve", kept);
      return;
    }
    Calls.attempt(
            () ->
                service.approve(
                    SessionGate.caller(ctx),
                    Form.id(ctx),
                    new RequestService.Approval(
                        note.isEmpty() ? null : note,
                        quantity(overrides, "cpu"),
                        quantity(overrides, "memory"),
                        quantity(overrides, "storage")),
                    Respond.requestId(ctx)))
        .onSuccess(r -> Views.redirect(ctx, "/requests/" + r.id() + "?done=approved"))
        .onFailure(Calls.onProblem(ctx, p -> decisionRefused(ctx, p, "approve", kept)));
  }

  private void reject(RoutingContext ctx) {
    String reason = Form.value(ctx, "reason");
    String kind = Form.value(ctx, "kind");
    Calls.attempt(
            () ->
                service.reject(
                    SessionGate.caller(ctx), Form.id(ctx), reason, kind, Respond.requestId(ctx)))
        .onSuccess(r -> Views.redirect(ctx, "/requests/" + r.id() + "?done=rejected"))
        .onFailure(
            Calls.onProblem(
                ctx,
                p ->
                    decisionRefused(
                        ctx,
                        p,
                        "reject",
                        Map.of("reason", reason, "kind", kind == null ? "" : kind))));
  }

  private void cancel(RoutingContext ctx) {
    Calls.attempt(
            () ->
                service.cancel(SessionGate.caller(ctx), Form.id(ctx), null, Respond.requestId(ctx)))
        .onSuccess(r -> Views.redirect(ctx, "/requests/" + r.id() + "?done=cancelled"))
        .onFailure(Calls.onProblem(ctx, p -> decisionRefused(ctx, p, "cancel", Map.of())));
  }

  /**
   * A decision the service refused. A 409 means someone else decided first: the page shows the
   * request as it now stands and says so, instead of an error.
   */
  private void decisionRefused(
      RoutingContext ctx, Problem problem, String decision, Map<String, Object> kept) {
    Map<String, Object> model = new HashMap<>();
    if (problem.status() == 409) {
      // someone else decided first (request-not-pending), or a hostname stopped being the
      // institution's
      model.put("notice", FormErrors.noticeKey(problem, views.messages(), "requestDetail.stale"));
      detail(ctx, model, 409);
      return;
    }
    FormErrors errors =
        FormErrors.of(
            problem,
            views.messages(),
            ConsoleLanguage.of(ctx),
            decision.equals("reject") ? "reason" : "note");
    model.putAll(errors.model());
    model.put(decision, kept);
    detail(ctx, model, problem.status());
  }

  /** An override as the service takes it; the contract already checked its form. */
  private static Long quantity(JsonObject overrides, String field) {
    String q = overrides.getString(field);
    if (q == null) {
      return null;
    }
    return field.equals("cpu") ? Quantities.cpuMillis(q) : Quantities.bytes(q);
  }
}
