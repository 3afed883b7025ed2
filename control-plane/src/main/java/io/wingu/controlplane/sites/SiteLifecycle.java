package io.wingu.controlplane.sites;

import io.vertx.core.Future;
import io.wingu.controlplane.app.DomainError;
import io.wingu.controlplane.app.FieldError;
import io.wingu.controlplane.audit.AuditEntry;
import io.wingu.controlplane.audit.AuditedDatabase;
import io.wingu.controlplane.caller.Caller;
import io.wingu.controlplane.caller.Role;
import io.wingu.controlplane.caller.Scope;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;

/**
 * The operator's suspend, resume and decommission of a site: which status each may start from, the
 * reason a suspension needs, and the audit event. The REST API and the console both call it.
 */
public final class SiteLifecycle {

  /** A change of a site's status, with where it may start from. */
  public enum Transition {
    SUSPEND("site.suspend", Set.of("PROVISIONING", "ACTIVE", "DEGRADED"), "SUSPENDED", true),
    RESUME("site.resume", Set.of("SUSPENDED"), "PROVISIONING", false),
    DECOMMISSION(
        "site.decommission",
        Set.of("PROVISIONING", "ACTIVE", "DEGRADED", "SUSPENDED"),
        "DECOMMISSIONING",
        false);

    private final String action;
    private final Set<String> from;
    private final String to;
    private final boolean reasonRequired;

    Transition(String action, Set<String> from, String to, boolean reasonRequired) {
      this.action = action;
      this.from = from;
      this.to = to;
      this.reasonRequired = reasonRequired;
    }

    /** Whether a site in {@code status} may take this transition. */
    public boolean allowedFrom(String status) {
      return from.contains(status);
    }
  }

  /** As the API document says of {@code reason}. */
  private static final int MAX_REASON = 4000;

  private final AuditedDatabase db;
  private final SiteStore sites = new SiteStore();
  private final Consumer<UUID> changed;

  public SiteLifecycle(AuditedDatabase db, Consumer<UUID> changed) {
    this.db = db;
    this.changed = changed;
  }

  /**
   * Moves the site; 403 for anyone but an operator, 400 without a needed reason (or with one too
   * long), 409 from a status the transition does not start from.
   */
  public Future<SiteView> apply(
      Caller caller, UUID id, Transition t, String reason, String httpRequestId) {
    if (caller.role() != Role.OPERATOR) {
      throw DomainError.forbidden("The role " + caller.role().wireName() + " may not do this");
    }
    if (t.reasonRequired && (reason == null || reason.isBlank())) {
      throw DomainError.invalid(
          "A reason is required",
          List.of(new FieldError("reason", "must not be blank", "reason-required")));
    }
    if (reason != null && reason.length() > MAX_REASON) {
      throw DomainError.invalid(
          "The reason is too long",
          List.of(new FieldError("reason", "at most " + MAX_REASON + " characters")));
    }
    return db.inTransaction(
            h -> {
              SiteView before =
                  sites
                      .find(h, Scope.platform(), id, true)
                      .orElseThrow(() -> DomainError.notFound("No site " + id));
              if (!t.allowedFrom(before.status())) {
                throw DomainError.conflict(
                    "site-transition-not-allowed",
                    null,
                    "The site is " + before.status() + "; it cannot go to " + t.to);
              }
              sites.setStatus(h, id, t.to, reason, db.now());
              SiteView after = sites.find(h, Scope.platform(), id, false).orElseThrow();
              db.audit(
                  h,
                  new AuditEntry(
                      caller.username(),
                      t.action,
                      DeploymentService.target(before),
                      before.institutionId(),
                      httpRequestId,
                      before.toJson(),
                      after.toJson()));
              return after;
            })
        .onSuccess(s -> changed.accept(id));
  }

  /** Creates the approved site, within the caller's transaction (the request's approval). */
  public void create(Handle h, NewSite site) {
    sites.insert(h, site);
  }

  /** Of {@code hostnames}, those a site already serves, within the caller's transaction. */
  public List<String> hostnamesTaken(Handle h, Collection<String> hostnames) {
    return sites.hostnamesTaken(h, hostnames);
  }

  /** Whether the institution has a live site of this name, within the caller's transaction. */
  public boolean liveNameTaken(Handle h, UUID institutionId, String name) {
    return sites.liveNameTaken(h, institutionId, name);
  }
}
