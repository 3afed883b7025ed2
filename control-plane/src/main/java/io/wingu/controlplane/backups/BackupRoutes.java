package io.wingu.controlplane.backups;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Access;
import io.wingu.controlplane.app.ApiOperations;
import io.wingu.controlplane.app.Cursor;
import io.wingu.controlplane.app.DomainError;
import io.wingu.controlplane.app.Page;
import io.wingu.controlplane.app.Respond;
import io.wingu.controlplane.caller.Caller;
import io.wingu.controlplane.caller.Role;
import io.wingu.controlplane.sites.SiteListing;
import java.io.InputStream;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backup routes (API.md, "Backups"): a site's backups, one now, one restored, one downloaded.
 * The site must be in the caller's scope (404 otherwise, as for any site); the work itself runs on
 * the backups' own worker pool, never on an event loop.
 */
public final class BackupRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(BackupRoutes.class);

  /** Backups are listed newest first: a cursor names the last one seen. */
  public static final Cursor.Shape CURSOR =
      Cursor.Shape.of(Cursor.Part.time("at"), Cursor.Part.uuid("id"));

  static final Access ADMINS_AND_OPERATORS = Access.roles(Role.INSTITUTION_ADMIN, Role.OPERATOR);
  static final Access ADMINS = Access.roles(Role.INSTITUTION_ADMIN);

  private final Optional<BackupService> service;
  private final SiteListing sites;
  private final WorkerExecutor workers;

  /** {@code service} is empty when backups are not configured (no WINGU_BACKUP_S3_ENDPOINT). */
  public BackupRoutes(Optional<BackupService> service, SiteListing sites, WorkerExecutor workers) {
    this.service = service;
    this.sites = sites;
    this.workers = workers;
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
        inScope(ctx, site)
            .compose(
                s ->
                    blocking(
                        () ->
                            page.answer(
                                s.page(
                                    site,
                                    page.after().map(c -> c.instant("at")).orElse(null),
                                    page.after().map(c -> c.uuid("id")).orElse(null),
                                    page.fetchSize()),
                                Backup::toJson,
                                b ->
                                    new JsonObject()
                                        .put("at", b.startedAt().toString())
                                        .put("id", b.id().toString())))));
  }

  private void get(RoutingContext ctx) {
    UUID site = Respond.idParam(ctx, "id");
    UUID backup = Respond.idParam(ctx, "backupId");
    Respond.json(
        ctx, 200, inScope(ctx, site).compose(s -> blocking(() -> s.get(site, backup).toJson())));
  }

  private void create(RoutingContext ctx) {
    UUID site = Respond.idParam(ctx, "id");
    String actor = ApiOperations.caller(ctx).username();
    Respond.json(
        ctx,
        202,
        inScope(ctx, site)
            .compose(
                s ->
                    blocking(() -> s.start(site, Backup.Reason.ON_DEMAND))
                        .map(
                            running -> {
                              // an on-demand backup is proven restorable right after it is made
                              blocking(
                                  () -> {
                                    Backup done = s.run(running, actor);
                                    if (done.status() == Backup.Status.SUCCEEDED) {
                                      s.verify(site, done.id());
                                    }
                                    return done;
                                  });
                              return new JsonObject()
                                  .put("id", running.id().toString())
                                  .put("status", "running");
                            })));
  }

  private void restore(RoutingContext ctx) {
    UUID site = Respond.idParam(ctx, "id");
    UUID backup = Respond.idParam(ctx, "backupId");
    String target = ctx.body().asJsonObject().getString("target");
    Caller caller = ApiOperations.caller(ctx);
    String requestId = Respond.requestId(ctx);
    Respond.json(
        ctx,
        202,
        inScope(ctx, site)
            .compose(
                s -> {
                  if (!"in-place".equals(target)) {
                    return Future.failedFuture(
                        DomainError.conflict(
                            "restore-new-unavailable",
                            "target",
                            "Restoring into a new database beside the live one is not available"
                                + " yet: restore in place (a safety backup is taken first)"));
                  }
                  // the stored object is read whole first: a damaged one is refused here
                  return blocking(() -> s.checkStored(site, backup))
                      .map(
                          checked -> {
                            blocking(
                                () -> s.restoreInPlace(site, backup, caller.username(), requestId));
                            return new JsonObject()
                                .put("id", backup.toString())
                                .put("target", target)
                                .put("status", "restoring");
                          });
                }));
  }

  private void download(RoutingContext ctx) {
    UUID site = Respond.idParam(ctx, "id");
    UUID backup = Respond.idParam(ctx, "backupId");
    Caller caller = ApiOperations.caller(ctx);
    String requestId = Respond.requestId(ctx);
    inScope(ctx, site)
        .compose(
            s ->
                blocking(
                    () -> {
                      Backup b = s.get(site, backup);
                      InputStream dump = s.open(site, backup);
                      s.recordDownload(b, caller.username(), requestId);
                      return dump;
                    }))
        .onSuccess(dump -> stream(ctx, dump))
        .onFailure(ctx::fail);
  }

  /** Sends the decrypted dump chunk by chunk, each written before the next is read. */
  private void stream(RoutingContext ctx, InputStream dump) {
    var response =
        ctx.response()
            .setChunked(true)
            .putHeader("Content-Type", "application/octet-stream")
            .putHeader("Content-Disposition", "attachment; filename=\"backup.dump\"");
    workers
        .executeBlocking(
            () -> {
              try (dump) {
                byte[] buf = new byte[1 << 20];
                int n;
                while ((n = dump.read(buf)) >= 0) {
                  response
                      .write(Buffer.buffer(java.util.Arrays.copyOf(buf, n)))
                      .toCompletionStage()
                      .toCompletableFuture()
                      .join();
                }
              }
              return null;
            },
            false)
        .onSuccess(v -> response.end())
        .onFailure(
            e -> {
              // mid-stream the status is sent: a broken connection tells the client it failed
              LOG.warn("download of a backup failed midway: {}", e.toString());
              response.reset();
            });
  }

  /** The service when the site is the caller's and backups are configured. */
  private Future<BackupService> inScope(RoutingContext ctx, UUID site) {
    return sites
        .get(ApiOperations.caller(ctx).scope(), site)
        .compose(
            s ->
                service
                    .map(Future::succeededFuture)
                    .orElseGet(
                        () ->
                            Future.failedFuture(
                                DomainError.conflict(
                                    "backups-off",
                                    null,
                                    "Backups are not configured on this platform"
                                        + " (WINGU_BACKUP_S3_ENDPOINT)"))));
  }

  private <T> Future<T> blocking(Callable<T> work) {
    return workers.executeBlocking(work, false);
  }
}
