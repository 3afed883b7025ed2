package io.wingu.controlplane.backups;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Access;
import io.wingu.controlplane.app.ApiOperations;
import io.wingu.controlplane.app.Cursor;
import io.wingu.controlplane.app.Page;
import io.wingu.controlplane.app.Respond;
import io.wingu.controlplane.caller.Caller;
import io.wingu.controlplane.caller.Role;
import java.util.UUID;

/**
 * The backup routes (API.md, "Backups"): a site's backups, one now, one restored, one downloaded,
 * through {@link SiteBackups} (the site in the caller's scope, the work on the backups' workers).
 */
public final class BackupRoutes {

  /** Backups are listed newest first: a cursor names the last one seen. */
  public static final Cursor.Shape CURSOR =
      Cursor.Shape.of(Cursor.Part.time("at"), Cursor.Part.uuid("id"));

  static final Access ADMINS_AND_OPERATORS = Access.roles(Role.INSTITUTION_ADMIN, Role.OPERATOR);
  static final Access ADMINS = Access.roles(Role.INSTITUTION_ADMIN);

  private final SiteBackups backups;

  public BackupRoutes(SiteBackups backups) {
    this.backups = backups;
  }

  public void addTo(ApiOperations api) {
    api.add("listBackups", ADMINS_AND_OPERATORS, this::list);
    api.add("createBackup", ADMINS_AND_OPERATORS, this::create);
    api.add("getBackup", ADMINS_AND_OPERATORS, this::get);
    api.add("restoreBackup", ADMINS_AND_OPERATORS, this::restore);
    api.add("downloadBackup", ADMINS, this::download);
  }

  private void list(RoutingContext ctx) {
    Page page = Page.from(ctx, CURSOR);
    UUID site = Respond.idParam(ctx, "id");
    Respond.json(
        ctx,
        200,
        backups
            .page(
                ApiOperations.caller(ctx),
                site,
                page.after().map(c -> c.instant("at")).orElse(null),
                page.after().map(c -> c.uuid("id")).orElse(null),
                page.fetchSize())
            .map(
                found ->
                    page.answer(
                        found,
                        Backup::toJson,
                        b ->
                            new JsonObject()
                                .put("at", b.startedAt().toString())
                                .put("id", b.id().toString()))));
  }

  private void get(RoutingContext ctx) {
    UUID site = Respond.idParam(ctx, "id");
    UUID backup = Respond.idParam(ctx, "backupId");
    Respond.json(
        ctx, 200, backups.get(ApiOperations.caller(ctx), site, backup).map(Backup::toJson));
  }

  private void create(RoutingContext ctx) {
    UUID site = Respond.idParam(ctx, "id");
    Respond.json(
        ctx,
        202,
        backups
            .backUpNow(ApiOperations.caller(ctx), site)
            .map(
                running ->
                    new JsonObject().put("id", running.id().toString()).put("status", "running")));
  }

  private void restore(RoutingContext ctx) {
    UUID site = Respond.idParam(ctx, "id");
    UUID backup = Respond.idParam(ctx, "backupId");
    Restore.Target target = Restore.Target.of(ctx.body().asJsonObject().getString("target"));
    Respond.json(
        ctx,
        202,
        backups
            .restore(ApiOperations.caller(ctx), site, backup, target, Respond.requestId(ctx))
            .map(BackupRoutes::started));
  }

  /** The answer to a restore that has started. */
  private static JsonObject started(SiteBackups.Started s) {
    Restore r = s.restore();
    JsonObject j =
        new JsonObject()
            .put("id", r.backupId().toString())
            .put("restoreId", r.id().toString())
            .put("target", r.target().api())
            .put("status", "restoring");
    if (r.number() != null) {
      j.put("database", r.databaseName()).put("secret", s.secret());
    }
    return j;
  }

  private void download(RoutingContext ctx) {
    UUID site = Respond.idParam(ctx, "id");
    UUID backup = Respond.idParam(ctx, "backupId");
    Caller caller = ApiOperations.caller(ctx);
    backups
        .download(caller, site, backup, Respond.requestId(ctx))
        .onSuccess(dump -> backups.send(ctx.response(), dump))
        .onFailure(ctx::fail);
  }
}
