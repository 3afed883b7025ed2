package io.wingu.controlplane.web;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Access;
import io.wingu.controlplane.app.FieldError;
import io.wingu.controlplane.app.Page;
import io.wingu.controlplane.app.Problem;
import io.wingu.controlplane.app.Respond;
import io.wingu.controlplane.caller.Caller;
import io.wingu.controlplane.caller.Role;
import io.wingu.controlplane.directory.DirectoryService;
import io.wingu.controlplane.directory.DirectoryVocabulary;
import io.wingu.controlplane.directory.ServiceEntry;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * An institution's entries in the public service directory: its admin lists, changes and removes
 * them (with a confirmation step); operators hide one with a reason or show it again. The rules are
 * {@link DirectoryService}'s.
 */
record DirectoryPages(
    DirectoryService directory,
    io.wingu.controlplane.institutions.InstitutionService institutions,
    Views views) {

  private static final Access ADMIN = Access.roles(Role.INSTITUTION_ADMIN);
  private static final Access OPERATOR = Access.roles(Role.OPERATOR);

  /** Form fields, in the order the form shows them, and the API field each stands for. */
  private static final Map<String, String> FIELDS = new java.util.LinkedHashMap<>();

  static {
    FIELDS.put("nameSw", "name.sw");
    FIELDS.put("nameEn", "name.en");
    FIELDS.put("descriptionSw", "description.sw");
    FIELDS.put("descriptionEn", "description.en");
    FIELDS.put("url", "url");
    FIELDS.put("category", "category");
    FIELDS.put("region", "region");
  }

  void addTo(Router router, SessionGate gate) {
    GatedRouter routes = new GatedRouter(router, gate);
    routes.get("/institutions/:id/services", Access.readers(), this::list);
    routes.get(
        "/institutions/:id/services/new",
        ADMIN,
        ctx -> form(ctx, null, Map.of(), new FormErrors(), 200));
    routes.post("/institutions/:id/services/new", ADMIN, ctx -> save(ctx, null));
    routes.get(
        "/institutions/:id/services/:serviceId/edit",
        ADMIN,
        ctx ->
            directory
                .find(SessionGate.caller(ctx), Form.id(ctx), serviceId(ctx))
                .onSuccess(e -> form(ctx, e.id(), answers(e), new FormErrors(), 200))
                .onFailure(ctx::fail));
    routes.post(
        "/institutions/:id/services/:serviceId/edit", ADMIN, ctx -> save(ctx, serviceId(ctx)));
    routes.get(
        "/institutions/:id/services/:serviceId/delete",
        ADMIN,
        ctx ->
            directory
                .find(SessionGate.caller(ctx), Form.id(ctx), serviceId(ctx))
                .onSuccess(
                    e ->
                        views.send(
                            ctx,
                            200,
                            "service-delete",
                            "serviceDelete.title",
                            Map.of(
                                "entry",
                                row(e, ConsoleLanguage.of(ctx)),
                                "institutionId",
                                Form.id(ctx).toString())))
                .onFailure(ctx::fail));
    routes.post(
        "/institutions/:id/services/:serviceId/delete",
        ADMIN,
        entryAction(directory::delete, "deleted"));
    routes.post("/institutions/:id/services/:serviceId/hide", OPERATOR, this::hide);
    routes.post(
        "/institutions/:id/services/:serviceId/show",
        OPERATOR,
        entryAction(directory::show, "shown"));
  }

  /** A call on one entry of the institution's directory, by whom, with the request's id. */
  private interface EntryCall {
    Future<?> on(Caller caller, UUID institutionId, UUID entryId, String requestId);
  }

  /** A one-button action on an entry, then the list again saying what was {@code done}. */
  private static Handler<RoutingContext> entryAction(EntryCall call, String done) {
    return ctx ->
        Calls.attempt(
                () ->
                    call.on(
                        SessionGate.caller(ctx),
                        Form.id(ctx),
                        serviceId(ctx),
                        Respond.requestId(ctx)))
            .onSuccess(
                v ->
                    Views.redirect(ctx, "/institutions/" + Form.id(ctx) + "/services?done=" + done))
            .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    show(ctx, Map.of(), 200);
  }

  private void show(RoutingContext ctx, Map<String, Object> extra, int status) {
    Caller caller = SessionGate.caller(ctx);
    UUID id = Form.id(ctx);
    String lang = ConsoleLanguage.of(ctx);
    institutions
        .get(caller, id)
        .compose(
            inst ->
                directory
                    .list(caller, id, Page.first(500, DirectoryService.SERVICES_CURSOR))
                    .map(
                        entries -> {
                          Map<String, Object> model = new HashMap<>(extra);
                          model.put("institution", inst.toJson());
                          model.put(
                              "entries", entries.items().stream().map(e -> row(e, lang)).toList());
                          model.put("canEdit", caller.role() == Role.INSTITUTION_ADMIN);
                          model.put("canHide", caller.role() == Role.OPERATOR);
                          String done = ctx.queryParams().get("done");
                          if (done != null
                              && done.matches("created|updated|deleted|hidden|shown")
                              && !model.containsKey("notice")) {
                            model.put("notice", "services.done." + done);
                          }
                          return model;
                        }))
        .onSuccess(model -> views.send(ctx, status, "services", "services.title", model))
        .onFailure(ctx::fail);
  }

  private void hide(RoutingContext ctx) {
    String reason = Form.value(ctx, "reason");
    String lang = ConsoleLanguage.of(ctx);
    UUID entry = serviceId(ctx);
    Calls.attempt(
            () ->
                directory.hide(
                    SessionGate.caller(ctx), Form.id(ctx), entry, reason, Respond.requestId(ctx)))
        .onSuccess(
            e -> Views.redirect(ctx, "/institutions/" + Form.id(ctx) + "/services?done=hidden"))
        .onFailure(
            Calls.onProblem(
                ctx,
                p -> {
                  FormErrors errors =
                      new FormErrors()
                          .add(
                              "reason-" + entry,
                              views.messages().text(lang, "services.reasonNeeded"));
                  Map<String, Object> model = new HashMap<>(errors.model());
                  model.put("refusedEntry", entry.toString());
                  show(ctx, model, 400);
                }));
  }

  /**
   * Adds ({@code id} null) or changes an entry; a refused form comes back with its answers and
   * errors.
   */
  private void save(RoutingContext ctx, UUID id) {
    String lang = ConsoleLanguage.of(ctx);
    Map<String, Object> answers = new HashMap<>();
    for (String field : FIELDS.keySet()) {
      answers.put(
          field,
          field.startsWith("description") ? Form.raw(ctx, field).strip() : Form.value(ctx, field));
    }
    ServiceEntry.Input in =
        new ServiceEntry.Input(
            new ServiceEntry.Text((String) answers.get("nameSw"), (String) answers.get("nameEn")),
            new ServiceEntry.Text(
                (String) answers.get("descriptionSw"), (String) answers.get("descriptionEn")),
            (String) answers.get("url"),
            (String) answers.get("category"),
            (String) answers.get("region"));
    Caller caller = SessionGate.caller(ctx);
    UUID institutionId = Form.id(ctx);
    String requestId = Respond.requestId(ctx);
    Calls.saveThenList(
        ctx,
        institutionId,
        "services",
        id,
        () -> directory.create(caller, institutionId, in, requestId),
        () -> directory.update(caller, institutionId, id, in, requestId),
        p -> form(ctx, id, answers, errors(p, lang), 400));
  }

  private FormErrors errors(Problem p, String lang) {
    FormErrors errors = new FormErrors();
    for (FieldError e : p.errors()) {
      String apiField = e.field();
      FIELDS.forEach(
          (formField, api) -> {
            if (api.equals(apiField)) {
              errors.add(formField, views.messages().text(lang, "serviceForm.error." + formField));
            }
          });
    }
    if (errors.isEmpty()) {
      errors.add("nameSw", views.messages().text(lang, "error.field.other"));
    }
    return errors;
  }

  private void form(
      RoutingContext ctx, UUID id, Map<String, Object> answers, FormErrors errors, int status) {
    String lang = ConsoleLanguage.of(ctx);
    UUID institutionId = Form.id(ctx);
    Map<String, Object> model = new HashMap<>(errors.model());
    model.put("form", answers);
    model.put("institutionId", institutionId.toString());
    model.put(
        "action",
        "/institutions/" + institutionId + "/services/" + (id == null ? "new" : id + "/edit"));
    model.put(
        "categories",
        views
            .messages()
            .choices(lang, "category", DirectoryVocabulary.CATEGORIES, answers.get("category")));
    model.put(
        "regions",
        views
            .messages()
            .choices(lang, "region", DirectoryVocabulary.REGIONS, answers.get("region")));
    views.send(
        ctx,
        status,
        "service-form",
        id == null ? "serviceForm.addTitle" : "serviceForm.editTitle",
        model);
  }

  private Map<String, Object> row(ServiceEntry e, String lang) {
    Map<String, Object> row = new HashMap<>();
    row.put("id", e.id().toString());
    row.put("name", e.name().in(lang));
    row.put("description", e.description().in(lang));
    row.put("url", e.url());
    row.put("category", views.messages().text(lang, "category." + e.category()));
    row.put("region", views.messages().text(lang, "region." + e.region()));
    if (e.hidden() != null) {
      row.put("hiddenReason", e.hidden().reason());
      row.put("hiddenAt", e.hidden().at());
    }
    return row;
  }

  private static Map<String, Object> answers(ServiceEntry e) {
    return Map.of(
        "nameSw",
        e.name().sw(),
        "nameEn",
        e.name().en(),
        "descriptionSw",
        e.description().sw(),
        "descriptionEn",
        e.description().en(),
        "url",
        e.url(),
        "category",
        e.category(),
        "region",
        e.region());
  }

  private static UUID serviceId(RoutingContext ctx) {
    return Form.id(ctx, "serviceId");
  }
}
