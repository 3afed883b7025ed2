package io.wingu.controlplane.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Access;
import io.wingu.controlplane.app.Page;
import io.wingu.controlplane.app.Problem;
import io.wingu.controlplane.app.Respond;
import io.wingu.controlplane.auth.Caller;
import io.wingu.controlplane.auth.Role;
import io.wingu.controlplane.sites.DeploymentService;
import io.wingu.controlplane.sites.Revision;
import io.wingu.controlplane.sites.SiteListing;
import io.wingu.controlplane.sites.SiteView;
import io.wingu.templates.catalog.Template;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The webmaster's publishing: pick a template, fill its parameters in a form generated from its
 * JSON Schema, deploy, see the revisions, preview one, roll back. DeploymentService does the work
 * (validation, rendering, revisions, audit); these pages gather the answers and show the outcome.
 */
final class DeployPages {

  private static final Access PUBLISHERS = Access.roles(Role.WEBMASTER, Role.INSTITUTION_ADMIN);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SiteListing sites;
  private final DeploymentService deployments;
  private final TemplateChoices templates;
  private final Views views;

  DeployPages(
      SiteListing sites, DeploymentService deployments, TemplateChoices templates, Views views) {
    this.sites = sites;
    this.deployments = deployments;
    this.templates = templates;
    this.views = views;
  }

  void addTo(Router router, SessionGate gate) {
    router.get("/sites/:id/deploy").handler(gate.require(PUBLISHERS)).handler(this::show);
    router.post("/sites/:id/deploy").handler(gate.require(PUBLISHERS)).handler(this::deploy);
    router.post("/sites/:id/rollback").handler(gate.require(PUBLISHERS)).handler(this::rollback);
    router.get("/sites/:id/preview").handler(gate.require(Access.readers())).handler(this::preview);
  }

  /** The site, its revisions, and the parameters the form starts from for {@code templateId}. */
  private record Current(
      SiteView site, DeploymentService.Listing listing, Template template, JsonNode parameters) {}

  private io.vertx.core.Future<Current> current(Caller caller, UUID siteId, String asked) {
    return deployments
        .list(caller, siteId, new Page(50, Optional.empty(), DeploymentService.CURSOR))
        .compose(
            listing ->
                sites
                    .get(caller.scope(), siteId)
                    .compose(
                        site -> {
                          Optional<Revision> latest = listing.revisions().stream().findFirst();
                          String templateId =
                              asked != null && templates.templates().exists(asked)
                                  ? asked
                                  : latest
                                      .map(Revision::templateId)
                                      .orElse(
                                          site.templateId() != null
                                                  && templates.templates().exists(site.templateId())
                                              ? site.templateId()
                                              : firstTemplate());
                          Template template = templates.templates().find(templateId).orElseThrow();
                          if (latest.isPresent() && latest.get().templateId().equals(templateId)) {
                            return deployments
                                .parametersOf(caller, siteId, latest.get().revision())
                                .map(
                                    stored ->
                                        new Current(
                                            site,
                                            listing,
                                            template,
                                            stored
                                                .map(DeployPages::parse)
                                                .orElse(template.example())));
                          }
                          return io.vertx.core.Future.succeededFuture(
                              new Current(site, listing, template, template.example()));
                        }));
  }

  private String firstTemplate() {
    return String.valueOf(templates.choices("en", "").get(0).get("id"));
  }

  private void show(RoutingContext ctx) {
    Caller caller = SessionGate.caller(ctx);
    current(caller, Form.id(ctx), ctx.queryParams().get("template"))
        .onSuccess(
            now -> {
              Map<String, Object> model = new HashMap<>();
              String done = ctx.queryParams().get("done");
              if (done != null && done.matches("deployed|rolledBack")) {
                model.put("notice", "deploy.done." + done);
              }
              send(ctx, now, now.parameters(), Map.of(), model, 200);
            })
        .onFailure(ctx::fail);
  }

  private void send(
      RoutingContext ctx,
      Current now,
      JsonNode values,
      Map<String, String> errors,
      Map<String, Object> extra,
      int status) {
    String lang = ConsoleLanguage.of(ctx);
    SchemaForm form = new SchemaForm(now.template().parametersSchema(), name -> label(lang, name));
    Map<String, Object> model = new HashMap<>(extra);
    model.put("site", now.site().toJson());
    model.put("templateId", now.template().id());
    model.put("templateName", templates.name(lang, now.template().id()));
    model.put("templates", templates.choices(lang, now.template().id()));
    model.put("rows", form.rows(values).stream().map(r -> r.model(errors)).toList());
    model.put(
        "revisions", now.listing().revisions().stream().map(r -> now.listing().toJson(r)).toList());
    if (!errors.isEmpty()) {
      FormErrors summary = new FormErrors();
      errors.forEach(
          (field, message) -> summary.add("p-" + field.replaceAll("[^A-Za-z0-9_-]", "-"), message));
      model.putAll(summary.model());
    }
    views.send(ctx, status, "deploy", "deploy.title", model);
  }

  private String label(String lang, String property) {
    String key = "param." + property;
    return views.messages().has(key) ? views.messages().text(lang, key) : property;
  }

  private void deploy(RoutingContext ctx) {
    Caller caller = SessionGate.caller(ctx);
    UUID siteId = Form.id(ctx);
    String templateId = Form.value(ctx, "templateId");
    current(caller, siteId, templateId)
        .onSuccess(
            now -> {
              SchemaForm form = new SchemaForm(now.template().parametersSchema(), name -> name);
              JsonNode parameters = form.read(ctx, now.parameters());
              Calls.attempt(
                      () ->
                          deployments.deploy(
                              caller,
                              siteId,
                              new DeploymentService.Deploy(now.template().id(), parameters, null),
                              Respond.requestId(ctx)))
                  .onSuccess(r -> Views.redirect(ctx, "/sites/" + siteId + "/deploy?done=deployed"))
                  .onFailure(
                      f ->
                          Calls.onProblem(
                              f,
                              ctx,
                              p ->
                                  send(
                                      ctx,
                                      now,
                                      parameters,
                                      fieldErrors(ctx, p, form, parameters),
                                      Map.of(),
                                      p.status())));
            })
        .onFailure(ctx::fail);
  }

  /**
   * The template's verdict per form field: an error on a value goes to its field, one on a group (a
   * missing part) to the group's field it names, else to the group's first field.
   */
  private Map<String, String> fieldErrors(
      RoutingContext ctx, Problem problem, SchemaForm form, JsonNode values) {
    String lang = ConsoleLanguage.of(ctx);
    List<String> fields =
        form.rows(values).stream().filter(r -> !r.heading()).map(SchemaForm.Row::name).toList();
    Map<String, String> out = new LinkedHashMap<>();
    var list = problem.toJson().getJsonArray("errors");
    if (list != null) {
      for (Object o : list) {
        JsonObject e = (JsonObject) o;
        String field = e.getString("field").replaceFirst("^parameters\\.?", "");
        String detail = e.getString("message", "");
        String target =
            fields.contains(field)
                ? field
                : fields.stream()
                    .filter(
                        f ->
                            f.startsWith(field.isEmpty() ? "" : field + ".")
                                || f.startsWith(field + "["))
                    .filter(f -> detail.contains(f.substring(f.lastIndexOf('.') + 1)))
                    .findFirst()
                    .orElse(
                        fields.stream()
                            .filter(f -> field.isEmpty() || f.startsWith(field))
                            .findFirst()
                            .orElse(fields.get(0)));
        out.putIfAbsent(target, views.messages().text(lang, "deploy.fieldError", detail));
      }
    }
    if (out.isEmpty()) {
      out.put(
          fields.get(0),
          problem.code() != null
              ? FormErrors.conflict(views.messages(), lang, problem.code())
              : views.messages().text(lang, "deploy.fieldError", problem.getMessage()));
    }
    return out;
  }

  private void rollback(RoutingContext ctx) {
    UUID siteId = Form.id(ctx);
    int revision;
    try {
      revision = Integer.parseInt(Form.value(ctx, "revision"));
    } catch (NumberFormatException e) {
      throw Problem.notFound("no revision " + Form.value(ctx, "revision"));
    }
    Calls.attempt(
            () ->
                deployments.rollback(
                    SessionGate.caller(ctx), siteId, revision, Respond.requestId(ctx)))
        .onSuccess(r -> Views.redirect(ctx, "/sites/" + siteId + "/deploy?done=rolledBack"))
        .onFailure(
            f -> Calls.onProblem(f, ctx, p -> Views.redirect(ctx, "/sites/" + siteId + "/deploy")));
  }

  /** A revision's home page as it renders, shut in a sandbox: no script of it runs here. */
  private void preview(RoutingContext ctx) {
    String asked = ctx.queryParams().get("revision");
    Integer revision = asked == null || !asked.matches("\\d{1,9}") ? null : Integer.valueOf(asked);
    deployments
        .preview(SessionGate.caller(ctx), Form.id(ctx), revision)
        .onSuccess(
            html ->
                ctx.response()
                    .putHeader("Content-Type", "text/html; charset=utf-8")
                    .putHeader(
                        "Content-Security-Policy",
                        "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:")
                    .end(html))
        .onFailure(ctx::fail);
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
