package io.wingu.controlplane.web;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Access;
import io.wingu.controlplane.app.Respond;
import io.wingu.controlplane.caller.Caller;
import io.wingu.controlplane.caller.Role;
import io.wingu.controlplane.sites.DeploymentService;
import io.wingu.controlplane.sites.SiteLifecycle;
import io.wingu.controlplane.sites.SiteLifecycle.Transition;
import io.wingu.controlplane.sites.SiteListing;
import io.wingu.controlplane.sites.SiteView;
import io.wingu.controlplane.sites.TemplateVersions;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Sites: lists (operators and auditors may keep only those on an outdated template version) and
 * each site's live conditions for everyone who may read them; the operator's suspend, resume and
 * decommission (with a confirmation step); the publishers' template upgrade (with a confirmation
 * step). SiteLifecycle and DeploymentService, which the API calls too, do the work.
 */
record SitePages(
    SiteListing listing,
    SiteLifecycle lifecycle,
    DeploymentService deployments,
    TemplateVersions versions,
    TemplateChoices templates,
    Views views) {

  private static final Access OPERATOR = Access.roles(Role.OPERATOR);
  private static final Access PUBLISHERS = Access.roles(Role.WEBMASTER, Role.INSTITUTION_ADMIN);

  void addTo(Router router, SessionGate gate) {
    GatedRouter routes = new GatedRouter(router, gate);
    routes.get("/sites", Access.readers(), this::list);
    routes.get("/sites/:id", Access.readers(), ctx -> detail(ctx, Map.of(), 200));
    routes.get("/sites/:id/conditions", Access.readers(), this::conditions);
    routes.post(
        "/sites/:id/suspend", OPERATOR, ctx -> transition(ctx, Transition.SUSPEND, "suspended"));
    routes.post(
        "/sites/:id/resume", OPERATOR, ctx -> transition(ctx, Transition.RESUME, "resumed"));
    routes.get(
        "/sites/:id/decommission",
        OPERATOR,
        ctx -> confirm(ctx, "site-decommission", "siteDecommission.title"));
    routes.post(
        "/sites/:id/decommission",
        OPERATOR,
        ctx -> transition(ctx, Transition.DECOMMISSION, "decommissioned"));
    routes.get(
        "/sites/:id/upgrade", PUBLISHERS, ctx -> confirm(ctx, "site-upgrade", "siteUpgrade.title"));
    routes.post("/sites/:id/upgrade", PUBLISHERS, this::upgrade);
  }

  /** Operators and auditors may list only the sites whose template has a newer version. */
  private void list(RoutingContext ctx) {
    Caller caller = SessionGate.caller(ctx);
    boolean platform = caller.role() == Role.OPERATOR || caller.role() == Role.AUDITOR;
    boolean outdated = platform && "true".equals(ctx.queryParams().get("outdated"));
    var page = Paging.of(ctx, SiteListing.CURSOR);
    listing
        .page(caller.scope(), page, outdated)
        .onSuccess(
            answer -> {
              String lang = ConsoleLanguage.of(ctx);
              Map<String, Object> model =
                  Paging.model(
                      ctx,
                      answer,
                      site ->
                          versions
                              .toJson(site)
                              .put("templateName", templates.name(lang, site.templateId())),
                      "sites");
              model.put("canFilter", platform);
              model.put("outdated", outdated);
              model.put("showVersions", true);
              views.send(ctx, 200, "sites", "sites.title", model);
            })
        .onFailure(ctx::fail);
  }

  private void withSite(RoutingContext ctx, java.util.function.Consumer<SiteView> then) {
    Caller caller = SessionGate.caller(ctx);
    UUID id = Form.id(ctx);
    listing.get(caller.scope(), id).onSuccess(then::accept).onFailure(ctx::fail);
  }

  private void detail(RoutingContext ctx, Map<String, Object> extra, int status) {
    Role role = SessionGate.caller(ctx).role();
    withSite(
        ctx,
        site -> {
          Map<String, Object> model = new HashMap<>(extra);
          model.put("site", versions.toJson(site));
          model.put("templateName", templates.name(ConsoleLanguage.of(ctx), site.templateId()));
          model.put(
              "conditions", ConditionWords.of(views.messages(), ConsoleLanguage.of(ctx), site));
          boolean operator = role == Role.OPERATOR;
          boolean publisher = role == Role.WEBMASTER || role == Role.INSTITUTION_ADMIN;
          boolean live = !site.status().startsWith("DECOMMISSION");
          model.put("canSuspend", operator && Transition.SUSPEND.allowedFrom(site.status()));
          model.put("canResume", operator && Transition.RESUME.allowedFrom(site.status()));
          model.put(
              "canDecommission", operator && Transition.DECOMMISSION.allowedFrom(site.status()));
          model.put("canDeploy", publisher && live);
          model.put("canBackUp", live && (operator || role == Role.INSTITUTION_ADMIN));
          model.put("canUpgrade", publisher && versions.upgradeAvailable(site));
          String done = ctx.queryParams().get("done");
          if (done != null
              && done.matches("suspended|resumed|decommissioned|upgraded")
              && !model.containsKey("notice")) {
            model.put("notice", "siteDetail.done." + done);
          }
          views.send(ctx, status, "site-detail", "siteDetail.title", model);
        });
  }

  /** The conditions table alone: what the page's optional live update fetches every few seconds. */
  private void conditions(RoutingContext ctx) {
    withSite(
        ctx,
        site ->
            views.send(
                ctx,
                200,
                "site-conditions",
                "siteDetail.title",
                Map.of(
                    "site",
                    site.toJson(),
                    "conditions",
                    ConditionWords.of(views.messages(), ConsoleLanguage.of(ctx), site))));
  }

  private void confirm(RoutingContext ctx, String template, String titleKey) {
    withSite(
        ctx,
        site -> views.send(ctx, 200, template, titleKey, Map.of("site", versions.toJson(site))));
  }

  private void transition(RoutingContext ctx, Transition transition, String done) {
    UUID id = Form.id(ctx);
    String reason = Form.optional(ctx, "reason");
    Calls.attempt(
            () ->
                lifecycle.apply(
                    SessionGate.caller(ctx), id, transition, reason, Respond.requestId(ctx)))
        .onSuccess(site -> Views.redirect(ctx, "/sites/" + id + "?done=" + done))
        .onFailure(
            refusal(
                ctx,
                (problem, model) -> {
                  model.putAll(
                      FormErrors.of(problem, views.messages(), ConsoleLanguage.of(ctx), "reason")
                          .model());
                  model.put("reason", reason == null ? "" : reason);
                }));
  }

  /**
   * The upgrade: a new revision with the newest template version; what it refuses is shown on the
   * site.
   */
  private void upgrade(RoutingContext ctx) {
    UUID id = Form.id(ctx);
    Calls.attempt(() -> deployments.upgrade(SessionGate.caller(ctx), id, Respond.requestId(ctx)))
        .onSuccess(r -> Views.redirect(ctx, "/sites/" + id + "?done=upgraded"))
        .onFailure(
            refusal(
                ctx,
                (problem, model) ->
                    model.put(
                        "upgradeRefused",
                        problem.errors().stream()
                            .map(e -> e.field() + ": " + e.message())
                            .toList())));
  }

  /**
   * What a refused change shows: a 409 means the site moved on meanwhile, so the site page shows it
   * as it now stands with a notice; anything else is shown on the page by {@code explained}.
   */
  private io.vertx.core.Handler<Throwable> refusal(
      RoutingContext ctx,
      java.util.function.BiConsumer<io.wingu.controlplane.app.Problem, Map<String, Object>>
          explained) {
    return Calls.onProblem(
        ctx,
        problem -> {
          Map<String, Object> model = new HashMap<>();
          if (problem.status() == 409) {
            model.put(
                "notice", FormErrors.noticeKey(problem, views.messages(), "siteDetail.stale"));
          } else {
            explained.accept(problem, model);
          }
          detail(ctx, model, problem.status());
        });
  }
}
