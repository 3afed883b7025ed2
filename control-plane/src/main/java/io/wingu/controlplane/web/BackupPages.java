package io.wingu.controlplane.web;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Access;
import io.wingu.controlplane.app.Problem;
import io.wingu.controlplane.app.Respond;
import io.wingu.controlplane.backups.Backup;
import io.wingu.controlplane.backups.Restore;
import io.wingu.controlplane.backups.SiteBackups;
import io.wingu.controlplane.caller.Caller;
import io.wingu.controlplane.caller.Role;
import io.wingu.controlplane.sites.SiteListing;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * A site's backups for its institution admin and the operators: the list (when, size, whether the
 * last check restored it), a button that backs up now, and a restore with its confirmation page
 * (into a new database beside the live one, or in place after ticking that the live data is
 * replaced). The restores run on; the list shows them and the site's DatabaseReady condition words
 * them.
 */
record BackupPages(SiteListing sites, SiteBackups backups, Views views) {

  private static final Access ADMINS_AND_OPERATORS =
      Access.roles(Role.INSTITUTION_ADMIN, Role.OPERATOR);
  private static final Access ADMINS = Access.roles(Role.INSTITUTION_ADMIN);
  private static final int SHOWN = 50;

  void addTo(Router router, SessionGate gate) {
    router
        .get("/sites/:id/backups")
        .handler(gate.require(ADMINS_AND_OPERATORS))
        .handler(ctx -> list(ctx, null, 200));
    router
        .post("/sites/:id/backups")
        .handler(gate.require(ADMINS_AND_OPERATORS))
        .handler(this::backUp);
    router
        .get("/sites/:id/backups/:backupId/restore")
        .handler(gate.require(ADMINS_AND_OPERATORS))
        .handler(ctx -> confirm(ctx, Map.of(), new FormErrors(), 200));
    router
        .post("/sites/:id/backups/:backupId/restore")
        .handler(gate.require(ADMINS_AND_OPERATORS))
        .handler(this::restore);
    router
        .get("/sites/:id/backups/:backupId/download")
        .handler(gate.require(ADMINS))
        .handler(this::download);
  }

  /** The decrypted dump as a file, for the institution's admin (audited as the API's download). */
  private void download(RoutingContext ctx) {
    UUID id = Form.id(ctx);
    UUID backupId = backupId(ctx);
    backups
        .download(SessionGate.caller(ctx), id, backupId, Respond.requestId(ctx))
        .onSuccess(dump -> backups.send(ctx.response(), dump))
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx, String refused, int status) {
    Caller caller = SessionGate.caller(ctx);
    UUID id = Form.id(ctx);
    sites
        .get(caller.scope(), id)
        .onSuccess(
            site -> {
              Map<String, Object> model = new HashMap<>();
              model.put("site", site.toJson());
              model.put("configured", backups.configured());
              model.put("mayDownload", caller.role() == Role.INSTITUTION_ADMIN);
              String done = ctx.queryParams().get("done");
              if (done != null && done.matches("started|restoring")) {
                model.put("notice", "backups.done." + done);
              }
              if (refused != null) {
                model.put("refused", refused);
              }
              if (!backups.configured()) {
                views.send(ctx, status, "backups", "backups.title", model);
                return;
              }
              backups
                  .page(caller, id, null, null, SHOWN)
                  .compose(
                      found ->
                          backups
                              .restores(caller, id, 10)
                              .map(
                                  restores -> {
                                    model.put("backups", rows(found));
                                    model.put("restores", restoreRows(restores));
                                    return model;
                                  }))
                  .onSuccess(m -> views.send(ctx, status, "backups", "backups.title", m))
                  .onFailure(ctx::fail);
            })
        .onFailure(ctx::fail);
  }

  private static List<Map<String, Object>> rows(List<Backup> found) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Backup b : found) {
      Map<String, Object> row = new HashMap<>(b.toJson().getMap());
      row.put("succeeded", b.status() == Backup.Status.SUCCEEDED);
      row.put("statusKey", b.status().name().toLowerCase(Locale.ROOT));
      row.put("reasonKey", b.reason().name().toLowerCase(Locale.ROOT));
      if (b.verified() != null) {
        row.put("verifiedOk", b.verified().ok());
        row.put("verifiedAt", b.verified().at().toString());
        row.put("verifiedDetail", b.verified().detail());
      }
      rows.add(row);
    }
    return rows;
  }

  private static List<Map<String, Object>> restoreRows(List<Restore> found) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Restore r : found) {
      Map<String, Object> row = new HashMap<>(r.toJson().getMap());
      row.put("statusKey", r.status().name().toLowerCase(Locale.ROOT));
      row.put("targetKey", r.target().name().toLowerCase(Locale.ROOT));
      rows.add(row);
    }
    return rows;
  }

  private void backUp(RoutingContext ctx) {
    UUID id = Form.id(ctx);
    Calls.attempt(() -> backups.backUpNow(SessionGate.caller(ctx), id))
        .onSuccess(b -> Views.redirect(ctx, "/sites/" + id + "/backups?done=started"))
        .onFailure(Calls.onProblem(ctx, p -> list(ctx, refusal(ctx, p), p.status())));
  }

  private void confirm(
      RoutingContext ctx, Map<String, Object> answers, FormErrors errors, int status) {
    Caller caller = SessionGate.caller(ctx);
    UUID id = Form.id(ctx);
    UUID backupId = backupId(ctx);
    sites
        .get(caller.scope(), id)
        .compose(
            site ->
                backups
                    .get(caller, id, backupId)
                    .map(
                        b -> {
                          Map<String, Object> model = new HashMap<>(errors.model());
                          model.put("site", site.toJson());
                          model.put("backup", rows(List.of(b)).get(0));
                          Map<String, Object> form = new HashMap<>(answers);
                          form.putIfAbsent("target", "new");
                          form.put("targetNew", "new".equals(form.get("target")));
                          form.put("targetInPlace", "in-place".equals(form.get("target")));
                          model.put("form", form);
                          return model;
                        }))
        .onSuccess(
            model -> views.send(ctx, status, "backup-restore", "backups.restoreTitle", model))
        .onFailure(ctx::fail);
  }

  private void restore(RoutingContext ctx) {
    UUID id = Form.id(ctx);
    UUID backupId = backupId(ctx);
    String lang = ConsoleLanguage.of(ctx);
    String target = Form.value(ctx, "target");
    boolean confirmed = !Form.value(ctx, "confirm").isEmpty();
    Map<String, Object> answers = new HashMap<>();
    answers.put("target", target);
    answers.put("confirm", confirmed);
    if (!target.equals("new") && !target.equals("in-place")) {
      confirm(
          ctx,
          answers,
          new FormErrors().add("target", views.messages().text(lang, "backups.error.target")),
          400);
      return;
    }
    if (target.equals("in-place") && !confirmed) {
      confirm(
          ctx,
          answers,
          new FormErrors().add("confirm", views.messages().text(lang, "backups.error.confirm")),
          400);
      return;
    }
    Calls.attempt(
            () ->
                backups.restore(
                    SessionGate.caller(ctx),
                    id,
                    backupId,
                    Restore.Target.of(target),
                    Respond.requestId(ctx)))
        .onSuccess(r -> Views.redirect(ctx, "/sites/" + id + "/backups?done=restoring"))
        .onFailure(
            Calls.onProblem(
                ctx,
                p ->
                    confirm(
                        ctx,
                        answers,
                        new FormErrors().add("target", refusal(ctx, p)),
                        p.status())));
  }

  private String refusal(RoutingContext ctx, Problem p) {
    return FormErrors.conflict(views.messages(), ConsoleLanguage.of(ctx), p.code());
  }

  private static UUID backupId(RoutingContext ctx) {
    try {
      return UUID.fromString(ctx.pathParam("backupId"));
    } catch (IllegalArgumentException e) {
      throw Problem.notFound("no page " + ctx.request().path());
    }
  }
}
