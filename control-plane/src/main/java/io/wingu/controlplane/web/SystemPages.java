package io.wingu.controlplane.web;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Access;
import io.wingu.controlplane.app.FieldError;
import io.wingu.controlplane.app.Page;
import io.wingu.controlplane.app.Problem;
import io.wingu.controlplane.app.Respond;
import io.wingu.controlplane.caller.Caller;
import io.wingu.controlplane.caller.Role;
import io.wingu.controlplane.institutions.Institution;
import io.wingu.controlplane.systems.DuplicateGroup;
import io.wingu.controlplane.systems.IctSystem;
import io.wingu.controlplane.systems.SystemEntry;
import io.wingu.controlplane.systems.SystemService;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The ICT systems register: each institution's list (its people and the platform's readers), its
 * admin's add, edit and remove (with a confirmation step), and the operators' and auditors' view of
 * systems that several institutions run separately. Rules live in {@link SystemService}.
 */
record SystemPages(SystemService systems, ContractCheck contract, Views views) {

  private static final Access ADMIN = Access.roles(Role.INSTITUTION_ADMIN);
  private static final Access PLATFORM = Access.roles(Role.OPERATOR, Role.AUDITOR);
  private static final List<String> FIELDS =
      List.of("name", "purpose", "category", "hosting", "builtBy", "users", "reviewedAt");

  void addTo(Router router, SessionGate gate) {
    GatedRouter routes = new GatedRouter(router, gate);
    routes.get("/systems", Access.readers(), this::start);
    routes.get("/systems/duplicates", PLATFORM, this::duplicates);
    routes.get("/institutions/:id/systems", Access.readers(), this::register);
    routes.get("/institutions/:id/systems/new", ADMIN, this::newForm);
    routes.post("/institutions/:id/systems/new", ADMIN, ctx -> save(ctx, null));
    routes.get("/institutions/:id/systems/:systemId/edit", ADMIN, this::editForm);
    routes.post("/institutions/:id/systems/:systemId/edit", ADMIN, ctx -> save(ctx, systemId(ctx)));
    routes.get("/institutions/:id/systems/:systemId/delete", ADMIN, this::confirmDelete);
    routes.post("/institutions/:id/systems/:systemId/delete", ADMIN, this::delete);
  }

  /**
   * The menu's entry: an institution's people go to their own register, the platform's to the
   * duplicates.
   */
  private void start(RoutingContext ctx) {
    Caller caller = SessionGate.caller(ctx);
    Views.redirect(
        ctx,
        caller
            .institutionId()
            .map(id -> "/institutions/" + id + "/systems")
            .orElse("/systems/duplicates"));
  }

  private void register(RoutingContext ctx) {
    Caller caller = SessionGate.caller(ctx);
    UUID institutionId = Form.id(ctx);
    String lang = ConsoleLanguage.of(ctx);
    systems
        .list(caller, institutionId, Page.first(500, SystemService.CURSOR))
        .onSuccess(
            listing -> {
              LocalDate today = systems.today();
              Map<String, Object> model = new HashMap<>();
              model.put("institution", listing.institution().toJson());
              model.put(
                  "systems", listing.systems().stream().map(s -> row(s, today, lang)).toList());
              model.put("canEdit", caller.role() == Role.INSTITUTION_ADMIN);
              model.put("institutionLink", caller.role() != Role.WEBMASTER);
              String done = ctx.queryParams().get("done");
              if (done != null && done.matches("created|updated|deleted")) {
                model.put("notice", "systems.done." + done);
              }
              views.send(ctx, 200, "systems", "systems.title", model);
            })
        .onFailure(ctx::fail);
  }

  private void newForm(RoutingContext ctx) {
    Caller caller = SessionGate.caller(ctx);
    UUID institutionId = Form.id(ctx);
    systems
        .institution(caller, institutionId)
        .onSuccess(inst -> form(ctx, inst, null, Map.of(), new FormErrors(), 200))
        .onFailure(ctx::fail);
  }

  private void editForm(RoutingContext ctx) {
    withSystem(ctx, (inst, s) -> form(ctx, inst, s.id(), answers(s), new FormErrors(), 200));
  }

  private void confirmDelete(RoutingContext ctx) {
    withSystem(
        ctx,
        (inst, s) ->
            views.send(
                ctx,
                200,
                "system-delete",
                "systemDelete.title",
                Map.of(
                    "institution",
                    inst.toJson(),
                    "system",
                    row(s, systems.today(), ConsoleLanguage.of(ctx)))));
  }

  private void delete(RoutingContext ctx) {
    UUID institutionId = Form.id(ctx);
    Calls.attempt(
            () ->
                systems.delete(
                    SessionGate.caller(ctx), institutionId, systemId(ctx), Respond.requestId(ctx)))
        .onSuccess(
            gone -> Views.redirect(ctx, "/institutions/" + institutionId + "/systems?done=deleted"))
        .onFailure(ctx::fail);
  }

  private void withSystem(
      RoutingContext ctx, java.util.function.BiConsumer<Institution, IctSystem> then) {
    Caller caller = SessionGate.caller(ctx);
    UUID institutionId = Form.id(ctx);
    UUID id = systemId(ctx);
    systems
        .institution(caller, institutionId)
        .compose(inst -> systems.find(caller, institutionId, id).map(s -> Map.entry(inst, s)))
        .onSuccess(found -> then.accept(found.getKey(), found.getValue()))
        .onFailure(ctx::fail);
  }

  /**
   * Adds ({@code id} null) or changes an entry; a refused form comes back with its answers and
   * errors.
   */
  private void save(RoutingContext ctx, UUID id) {
    Caller caller = SessionGate.caller(ctx);
    UUID institutionId = Form.id(ctx);
    String lang = ConsoleLanguage.of(ctx);
    Map<String, Object> answers = new HashMap<>();
    JsonObject body = new JsonObject();
    for (String field : FIELDS) {
      String value =
          field.equals("purpose") ? Form.raw(ctx, field).strip() : Form.value(ctx, field);
      answers.put(field, value);
      if (value.isEmpty()) {
        continue;
      }
      if (field.equals("users") && value.matches("-?[0-9]{1,18}")) {
        body.put(field, Long.parseLong(value));
      } else {
        body.put(field, value);
      }
    }
    FormErrors errors = new FormErrors();
    Problem invalid = contract.check(id == null ? "createSystem" : "updateSystem", body);
    if (invalid != null) {
      addErrors(errors, invalid, lang);
      // the register's own rules too, so that one round shows every field to mend
      SystemEntry.fromJson(body)
          .stripped()
          .problems(systems.today())
          .forEach(e -> addError(errors, e.field(), lang));
    }
    Runnable refused =
        () ->
            systems
                .institution(caller, institutionId)
                .onSuccess(inst -> form(ctx, inst, id, answers, errors, 400))
                .onFailure(ctx::fail);
    if (!errors.isEmpty()) {
      refused.run();
      return;
    }
    SystemEntry entry = SystemEntry.fromJson(body);
    String requestId = Respond.requestId(ctx);
    Calls.saveThenList(
        ctx,
        institutionId,
        "systems",
        id,
        () -> systems.create(caller, institutionId, entry, requestId),
        () -> systems.update(caller, institutionId, id, entry, requestId),
        p -> {
          addErrors(errors, p, lang);
          refused.run();
        });
  }

  private void addErrors(FormErrors errors, Problem problem, String lang) {
    for (FieldError e : problem.errors()) {
      addError(errors, e.field(), lang);
    }
    if (errors.isEmpty() && problem.status() >= 400) {
      errors.add("name", views.messages().text(lang, "error.field.other"));
    }
  }

  /**
   * An error of an API field, on the form field that holds it (the first field when the body as a
   * whole).
   */
  private void addError(FormErrors errors, String apiField, String lang) {
    String field = FormErrors.formField(apiField);
    errors.add(FIELDS.contains(field) ? field : "name", message(lang, field));
  }

  private String message(String lang, String field) {
    String key = "systemForm.error." + field;
    return views.messages().has(key)
        ? views.messages().text(lang, key)
        : views.messages().text(lang, "error.field.other");
  }

  private void form(
      RoutingContext ctx,
      Institution inst,
      UUID id,
      Map<String, Object> answers,
      FormErrors errors,
      int status) {
    String lang = ConsoleLanguage.of(ctx);
    Map<String, Object> model = new HashMap<>(errors.model());
    model.put("institution", inst.toJson());
    model.put("form", answers);
    model.put(
        "action", "/institutions/" + inst.id() + "/systems/" + (id == null ? "new" : id + "/edit"));
    Object category = answers.get("category");
    model.put(
        "categories",
        views.messages().choices(lang, "systemCategory", SystemEntry.CATEGORIES, category));
    Object hosting = answers.get("hosting");
    List<Map<String, Object>> hostings = new ArrayList<>();
    for (int i = 0; i < SystemEntry.HOSTINGS.size(); i++) {
      String h = SystemEntry.HOSTINGS.get(i);
      hostings.add(
          Map.of(
              "value",
              h,
              "id",
              i == 0 ? "hosting" : "hosting-" + h,
              "label",
              views.messages().text(lang, "systemHosting." + h),
              "checked",
              h.equals(hosting)));
    }
    model.put("hostings", hostings);
    views.send(
        ctx,
        status,
        "system-form",
        id == null ? "systemForm.addTitle" : "systemForm.editTitle",
        model);
  }

  private void duplicates(RoutingContext ctx) {
    String lang = ConsoleLanguage.of(ctx);
    systems
        .duplicates(SessionGate.caller(ctx))
        .onSuccess(
            groups ->
                views.send(
                    ctx,
                    200,
                    "system-duplicates",
                    "systemDuplicates.title",
                    Map.of("groups", groups.stream().map(g -> group(g, lang)).toList())))
        .onFailure(ctx::fail);
  }

  private Map<String, Object> group(DuplicateGroup g, String lang) {
    List<Map<String, Object>> institutions = new ArrayList<>();
    for (DuplicateGroup.Member m : g.institutions()) {
      List<Map<String, Object>> entries =
          m.systems().stream()
              .map(
                  s ->
                      Map.<String, Object>of(
                          "name",
                          s.name(),
                          "hosting",
                          views.messages().text(lang, "systemHosting." + s.hosting()),
                          "builtBy",
                          s.builtBy(),
                          "reviewOverdue",
                          s.reviewOverdue()))
              .toList();
      institutions.add(
          Map.of(
              "id",
              m.id().toString(),
              "code",
              m.code(),
              "name",
              "sw".equals(lang) && m.nameSw() != null ? m.nameSw() : m.name(),
              "systems",
              entries));
    }
    return Map.of(
        "category",
        g.category(),
        "categoryLabel",
        views.messages().text(lang, "systemCategory." + g.category()),
        "institutionCount",
        g.institutionCount(),
        "systemCount",
        g.systemCount(),
        "totalUsers",
        g.totalUsers(),
        "institutions",
        institutions);
  }

  private Map<String, Object> row(IctSystem s, LocalDate today, String lang) {
    Map<String, Object> row = new HashMap<>(answers(s));
    row.put("id", s.id().toString());
    row.put("users", s.users());
    row.put("categoryLabel", views.messages().text(lang, "systemCategory." + s.category()));
    row.put("hostingLabel", views.messages().text(lang, "systemHosting." + s.hosting()));
    row.put(
        "reviewedOn",
        DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM)
            .withLocale(Messages.locale(lang))
            .format(s.reviewedAt()));
    row.put("reviewOverdue", s.reviewOverdue(today));
    return row;
  }

  private static Map<String, Object> answers(IctSystem s) {
    return Map.of(
        "name",
        s.name(),
        "purpose",
        s.purpose(),
        "category",
        s.category(),
        "hosting",
        s.hosting(),
        "builtBy",
        s.builtBy(),
        "users",
        String.valueOf(s.users()),
        "reviewedAt",
        s.reviewedAt().toString());
  }

  private static UUID systemId(RoutingContext ctx) {
    return Form.id(ctx, "systemId");
  }
}
