package io.wingu.controlplane.backups;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.wingu.controlplane.app.DomainError;
import io.wingu.controlplane.caller.Caller;
import io.wingu.controlplane.sites.SiteListing;
import io.wingu.controlplane.sites.SiteView;
import java.io.InputStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A site's backups for a caller, the way in for the API and the console alike: the site must be in
 * the caller's scope (404 otherwise, as for any site) and backups configured (409 {@code
 * backups-off}); the blocking work runs on the backups' own worker pool, never on an event loop. A
 * backup or restore that is asked for is recorded RUNNING and answered at once, then done on that
 * pool.
 */
public final class SiteBackups {

  private static final Logger LOG = LoggerFactory.getLogger(SiteBackups.class);

  private final Optional<BackupService> service;
  private final SiteListing sites;
  private final WorkerExecutor workers;

  /** {@code service} is empty when backups are not configured (no WINGU_BACKUP_S3_ENDPOINT). */
  public SiteBackups(Optional<BackupService> service, SiteListing sites, WorkerExecutor workers) {
    this.service = service;
    this.sites = sites;
    this.workers = workers;
  }

  /**
   * Sends a decrypted dump as an attachment, chunk by chunk, each written before the next is read
   * (the API's download and the console's alike). Mid-stream the status is sent already: a broken
   * connection is how the client learns the download failed.
   */
  public void send(HttpServerResponse response, InputStream dump) {
    response
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
                      .write(Buffer.buffer(Arrays.copyOf(buf, n)))
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
              LOG.warn("download of a backup failed midway: {}", e.toString());
              response.reset();
            });
  }

  /** Whether backups are configured on this platform. */
  public boolean configured() {
    return service.isPresent();
  }

  /** The site's backups, newest first, after ({@code beforeAt}, {@code beforeId}) when given. */
  public Future<List<Backup>> page(
      Caller caller, UUID site, Instant beforeAt, UUID beforeId, int limit) {
    return blocking(caller, site, (s, v) -> s.page(site, beforeAt, beforeId, limit));
  }

  /** One backup of the site. */
  public Future<Backup> get(Caller caller, UUID site, UUID backup) {
    return blocking(caller, site, (s, v) -> s.get(site, backup));
  }

  /** The site's latest restores, newest first. */
  public Future<List<Restore>> restores(Caller caller, UUID site, int limit) {
    return blocking(caller, site, (s, v) -> s.restores(site, limit));
  }

  /**
   * Starts an on-demand backup and answers it RUNNING; it is made, then proven restorable, on the
   * workers.
   */
  public Future<Backup> backUpNow(Caller caller, UUID site) {
    return blocking(caller, site, (s, v) -> s.start(site, Backup.Reason.ON_DEMAND))
        .map(
            running -> {
              workers.executeBlocking(
                  () -> {
                    Backup done = service.orElseThrow().run(running, caller.username());
                    if (done.status() == Backup.Status.SUCCEEDED) {
                      service.orElseThrow().verify(site, done.id());
                    }
                    return done;
                  },
                  false);
              return running;
            });
  }

  /** A restore that has started, with the name of the site it restores. */
  public record Started(SiteView site, Restore restore) {

    /** The Secret a new database's credentials go to; null for a restore in place. */
    public String secret() {
      return restore.number() == null ? null : Restore.secretName(site.name(), restore.number());
    }
  }

  /**
   * Starts a restore ({@link BackupService#startRestore}: the stored object is checked whole first,
   * a damaged one refused) and answers it RUNNING; it runs on the workers.
   */
  public Future<Started> restore(
      Caller caller, UUID site, UUID backup, Restore.Target target, String requestId) {
    return blocking(
            caller,
            site,
            (s, v) -> new Started(v, s.startRestore(site, backup, target, caller.username())))
        .map(
            started -> {
              workers.executeBlocking(
                  () -> service.orElseThrow().runRestore(started.restore(), requestId), false);
              return started;
            });
  }

  /** The decrypted dump of a backup, its download recorded in the audit log. */
  public Future<java.io.InputStream> download(
      Caller caller, UUID site, UUID backup, String requestId) {
    return blocking(
        caller,
        site,
        (s, v) -> {
          Backup b = s.get(site, backup);
          java.io.InputStream dump = s.open(site, backup);
          s.recordDownload(b, caller.username(), requestId);
          return dump;
        });
  }

  /** Work on the service for a site in the caller's scope. */
  private interface Work<T> {
    T on(BackupService service, SiteView site) throws Exception;
  }

  private <T> Future<T> blocking(Caller caller, UUID site, Work<T> work) {
    return sites
        .get(caller.scope(), site)
        .compose(
            view -> {
              if (service.isEmpty()) {
                return Future.failedFuture(
                    DomainError.conflict(
                        "backups-off",
                        null,
                        "Backups are not configured on this platform"
                            + " (WINGU_BACKUP_S3_ENDPOINT)"));
              }
              Callable<T> call = () -> work.on(service.get(), view);
              return workers.executeBlocking(call, false);
            });
  }
}
