package io.wingu.controlplane.requests;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.app.Cursor;
import io.wingu.controlplane.app.DomainError;
import io.wingu.controlplane.app.FieldError;
import io.wingu.controlplane.app.Keyset;
import io.wingu.controlplane.app.Listing;
import io.wingu.controlplane.app.Page;
import io.wingu.controlplane.audit.AuditEntry;
import io.wingu.controlplane.audit.AuditedDatabase;
import io.wingu.controlplane.caller.Caller;
import io.wingu.controlplane.caller.Scope;
import io.wingu.controlplane.institutions.Delegation;
import io.wingu.controlplane.institutions.DnsNames;
import io.wingu.controlplane.institutions.Institution;
import io.wingu.controlplane.institutions.InstitutionService;
import io.wingu.controlplane.plans.Plan;
import io.wingu.controlplane.plans.PlanService;
import io.wingu.controlplane.requests.HostingRequest.HistoryEntry;
import io.wingu.controlplane.requests.HostingRequest.Quota;
import io.wingu.controlplane.requests.HostingRequest.Status;
import io.wingu.controlplane.sites.NewSite;
import io.wingu.controlplane.sites.SiteLifecycle;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;

/** The hosting-request workflow: submit, approve, reject, cancel. Knows nothing of HTTP. */
public final class RequestService {

  /** What an institution admin asks for. */
  public record Submission(
      String siteName,
      List<String> hostnames,
      String plan,
      String templateId,
      String databaseEngine,
      String databasePlan,
      String justification) {}

  /** An operator's approval: optional note, optional quota overrides (null = keep). */
  public record Approval(String note, Long cpuMillis, Long memoryBytes, Long storageBytes) {}

  private final AuditedDatabase db;
  private final RequestStore requests = new RequestStore();
  private final InstitutionService institutions;
  private final PlanService plans;
  private final SiteLifecycle sites;
  private final TemplateIds templates;
  private final Consumer<UUID> siteApproved;

  public RequestService(
      AuditedDatabase db,
      InstitutionService institutions,
      PlanService plans,
      SiteLifecycle sites,
      TemplateIds templates,
      Consumer<UUID> siteApproved) {
    this.db = db;
    this.institutions = institutions;
    this.plans = plans;
    this.sites = sites;
    this.templates = templates;
    this.siteApproved = siteApproved;
  }

  /** Requests are listed newest first: a cursor names the last one's time and id. */
  public static final Cursor.Shape CURSOR =
      Cursor.Shape.of(Cursor.Part.time("at"), Cursor.Part.uuid("id"));

  /**
   * A page of the requests the caller may see, newest first, of one status or all ({@code null}).
   */
  public Future<Listing<HostingRequest>> list(Caller caller, Status status, Page page) {
    return db.withHandle(h -> page(h, caller.scope(), status, page));
  }

  /** The request, when the caller may see it. */
  public Future<HostingRequest> get(Caller caller, UUID id) {
    return db.withHandle(
        h ->
            requests
                .find(h, caller.scope(), id, false)
                .orElseThrow(() -> DomainError.notFound("No request " + id)));
  }

  /**
   * The scope's pending requests, newest first, at most {@code max}, within the caller's
   * transaction.
   */
  public List<HostingRequest> pending(Handle h, Scope scope, int max) {
    return page(h, scope, Status.PENDING, new Page(max, Optional.empty(), CURSOR)).items();
  }

  /** The scope's latest requests of any status, newest first, at most {@code max}. */
  public List<HostingRequest> latest(Handle h, Scope scope, int max) {
    return page(h, scope, null, new Page(max, Optional.empty(), CURSOR)).items();
  }

  private Listing<HostingRequest> page(Handle h, Scope scope, Status status, Page page) {
    return page.listing(
        requests.list(h, scope, status, Keyset.descending(page, "r.created_at", "r.id")),
        r -> new JsonObject().put("at", r.createdAt().toString()).put("id", r.id().toString()));
  }

  /**
   * Checks a submission as {@link #submit} would, without recording anything: the console's first
   * step refuses a hostname outside the institution's domains before the answers are confirmed.
   */
  public Future<Void> check(Caller caller, Submission s) {
    return db.withHandle(
        h -> {
          validate(h, caller.institutionId().orElseThrow(), s);
          return null;
        });
  }

  public Future<HostingRequest> submit(Caller caller, Submission s, String httpRequestId) {
    UUID institutionId = caller.institutionId().orElseThrow();
    return db.inTransaction(
        h -> {
          Valid v = validate(h, institutionId, s);
          List<String> hostnames = v.hostnames();
          Optional<Plan> plan = v.plan();
          Optional<Plan> dbPlan = v.databasePlan();
          Instant now = now();
          Plan p = plan.get();
          HostingRequest r =
              new HostingRequest(
                  UUID.randomUUID(),
                  institutionId,
                  s.siteName(),
                  hostnames,
                  p.id(),
                  p.name(),
                  s.templateId(),
                  s.databaseEngine(),
                  dbPlan.map(Plan::name).orElse(null),
                  s.justification(),
                  Status.PENDING,
                  new Quota(p.cpuMillis(), p.memoryBytes(), p.storageBytes()),
                  null,
                  caller.username(),
                  now,
                  now,
                  null,
                  null);
          requests.insert(h, r, dbPlan.map(Plan::id).orElse(null));
          HistoryEntry created = new HistoryEntry(Status.PENDING, now, caller.username(), null);
          requests.addHistory(h, r.id(), created);
          HostingRequest stored = r.withHistory(List.of(created));
          db.audit(
              h,
              new AuditEntry(
                  caller.username(),
                  "request.submit",
                  target(r),
                  institutionId,
                  httpRequestId,
                  null,
                  stored.toJson()));
          return stored;
        });
  }

  /** What {@link #validate} found good: the hostnames as stored and the plans named. */
  private record Valid(List<String> hostnames, Optional<Plan> plan, Optional<Plan> databasePlan) {}

  /**
   * Every rule of a submission, each refusal naming its field (invalid), then the conflicts with
   * what exists (a hostname or site name taken).
   */
  private Valid validate(Handle h, UUID institutionId, Submission s) {
    // one spelling, as domains are stored: WWW.moh.go.tz. is www.moh.go.tz
    List<String> asked = s.hostnames().stream().map(DnsNames::normalise).toList();
    List<String> hostnames = asked.stream().distinct().toList();
    Institution inst =
        institutions.find(h, Scope.institution(institutionId), institutionId).orElseThrow();
    List<Delegation> delegations = InstitutionService.delegationsCovering(h, hostnames);
    List<FieldError> errors = new ArrayList<>();
    for (int i = 0; i < asked.size(); i++) {
      String problem = DnsNames.problem(asked.get(i));
      String code = null;
      if (problem == null && !DnsNames.within(asked.get(i), inst.domains())) {
        problem = "is not within the institution's domains " + inst.domains();
        code = "hostname-outside-domains";
      } else if (problem == null && !holds(institutionId, asked.get(i), delegations)) {
        problem = "falls under a more specific domain delegated to another institution";
        code = "hostname-delegated-elsewhere";
      }
      if (problem != null) {
        errors.add(new FieldError("hostnames[" + i + "]", problem, code));
      }
    }
    Optional<Plan> plan = plans.byName(h, s.plan());
    if (plan.isEmpty()) {
      errors.add(new FieldError("plan", "no plan named '" + s.plan() + "'"));
    }
    Optional<Plan> dbPlan = Optional.empty();
    if (s.databaseEngine() != null) {
      dbPlan = s.databasePlan() == null ? plan : plans.byName(h, s.databasePlan());
      if (s.databasePlan() != null && dbPlan.isEmpty()) {
        errors.add(new FieldError("database.plan", "no plan named '" + s.databasePlan() + "'"));
      }
    }
    if (s.templateId() != null && !templates.exists(s.templateId())) {
      errors.add(new FieldError("templateId", "no template '" + s.templateId() + "'"));
    }
    if (s.justification().isBlank()) {
      errors.add(new FieldError("justification", "must not be blank"));
    }
    if (!errors.isEmpty()) {
      throw DomainError.invalid("The request is not valid", errors);
    }
    List<String> taken = sites.hostnamesTaken(h, hostnames);
    if (!taken.isEmpty()) {
      throw DomainError.conflict(
          "hostname-taken",
          "hostnames",
          "Already served by another site: " + String.join(", ", taken));
    }
    if (sites.liveNameTaken(h, institutionId, s.siteName())
        || requests.pendingNameTaken(h, institutionId, s.siteName())) {
      throw DomainError.conflict(
          "site-name-taken",
          "siteName",
          "The institution already has a site or pending request named '" + s.siteName() + "'");
    }
    return new Valid(hostnames, plan, dbPlan);
  }

  public Future<HostingRequest> approve(Caller caller, UUID id, Approval a, String httpRequestId) {
    return decide(
        caller,
        id,
        httpRequestId,
        (h, before, now) -> {
          Quota asked = before.quota();
          Quota granted =
              new Quota(
                  a.cpuMillis() == null ? asked.cpuMillis() : a.cpuMillis(),
                  a.memoryBytes() == null ? asked.memoryBytes() : a.memoryBytes(),
                  a.storageBytes() == null ? asked.storageBytes() : a.storageBytes());
          if (!granted.equals(asked) && (a.note() == null || a.note().isBlank())) {
            throw DomainError.invalid(
                "A quota override needs a note saying why",
                List.of(
                    new FieldError(
                        "note",
                        "is required when overrides change the quota",
                        "override-note-required")));
          }
          // the domains may have changed since the request was made: each hostname must still be
          // the
          // institution's, under the most specific delegated domain
          List<String> names = before.hostnames().stream().map(DnsNames::normalise).toList();
          List<Delegation> delegations = InstitutionService.delegationsCovering(h, names);
          List<String> lost =
              names.stream()
                  .filter(
                      name ->
                          DnsNames.problem(name) != null
                              || !holds(before.institutionId(), name, delegations))
                  .toList();
          if (!lost.isEmpty()) {
            throw DomainError.conflict(
                "hostname-not-delegated",
                "hostnames",
                "No longer the institution's to ask for: "
                    + String.join(", ", lost)
                    + " (under a domain delegated to another institution, or to none)");
          }
          UUID siteId = UUID.randomUUID();
          sites.create(
              h,
              new NewSite(
                  siteId,
                  before.institutionId(),
                  before.id(),
                  before.siteName(),
                  names,
                  before.planId(),
                  before.templateId(),
                  granted.cpuMillis(),
                  granted.memoryBytes(),
                  granted.storageBytes(),
                  before.databaseEngine(),
                  before.databaseEngine() == null
                      ? null
                      : plans.byName(h, before.databasePlanName()).map(Plan::id).orElse(null),
                  now));
          requests.decide(h, id, Status.APPROVED, granted, siteId, now);
          return new Outcome(Status.APPROVED, a.note(), siteId);
        },
        Scope.platform(),
        "request.approve");
  }

  /** {@code kind}: one of {@link HostingRequest#REJECTION_KINDS}, "other" when not given. */
  public Future<HostingRequest> reject(
      Caller caller, UUID id, String reason, String kind, String httpRequestId) {
    if (reason == null || reason.isBlank()) {
      throw DomainError.invalid(
          "A rejection needs a reason",
          List.of(new FieldError("reason", "must not be blank", "reason-required")));
    }
    String rejectionKind = kind == null || kind.isBlank() ? "other" : kind;
    if (!HostingRequest.REJECTION_KINDS.contains(rejectionKind)) {
      throw DomainError.invalid(
          "Unknown kind of rejection",
          List.of(new FieldError("kind", "must be one of " + HostingRequest.REJECTION_KINDS)));
    }
    return decide(
        caller,
        id,
        httpRequestId,
        (h, before, now) -> {
          requests.decide(h, id, Status.REJECTED, before.quota(), null, now);
          requests.setRejectionKind(h, id, rejectionKind);
          return new Outcome(Status.REJECTED, reason, null);
        },
        Scope.platform(),
        "request.reject");
  }

  public Future<HostingRequest> cancel(Caller caller, UUID id, String note, String httpRequestId) {
    return decide(
        caller,
        id,
        httpRequestId,
        (h, before, now) -> {
          requests.decide(h, id, Status.CANCELLED, before.quota(), null, now);
          return new Outcome(Status.CANCELLED, note, null);
        },
        caller.scope(),
        "request.cancel");
  }

  private record Outcome(Status status, String note, UUID siteId) {}

  @FunctionalInterface
  private interface Decision {
    Outcome apply(Handle h, HostingRequest before, Instant now) throws SQLException;
  }

  /** Locks the request; only a PENDING one may move, so of two racing decisions one gets 409. */
  private Future<HostingRequest> decide(
      Caller caller, UUID id, String httpRequestId, Decision decision, Scope scope, String action) {
    return db.inTransaction(
            h -> {
              HostingRequest before =
                  requests
                      .find(h, scope, id, true)
                      .orElseThrow(() -> DomainError.notFound("No request " + id));
              if (before.status() != Status.PENDING) {
                throw DomainError.conflict(
                    "request-not-pending",
                    null,
                    "The request is already "
                        + before.status()
                        + "; only a PENDING request can change");
              }
              Instant now = now();
              Outcome outcome = decision.apply(h, before, now);
              requests.addHistory(
                  h,
                  id,
                  new HistoryEntry(outcome.status(), now, caller.username(), outcome.note()));
              HostingRequest after = requests.find(h, Scope.platform(), id, false).orElseThrow();
              JsonObject afterJson = after.toJson();
              db.audit(
                  h,
                  new AuditEntry(
                      caller.username(),
                      action,
                      target(after),
                      after.institutionId(),
                      httpRequestId,
                      before.toJson(),
                      afterJson));
              return after;
            })
        .onSuccess(
            after -> {
              if (after.siteId() != null) {
                siteApproved.accept(after.siteId());
              }
            });
  }

  /** The hostname falls under the most specific delegated domain, and that is the institution's. */
  private static boolean holds(UUID institutionId, String hostname, List<Delegation> delegations) {
    return DnsNames.holder(hostname, delegations).filter(institutionId::equals).isPresent();
  }

  private Instant now() {
    return db.now();
  }

  private static String target(HostingRequest r) {
    return "request/" + r.id();
  }
}
