package io.wingu.controlplane.usage;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.app.DomainError;
import io.wingu.controlplane.app.FieldError;
import io.wingu.controlplane.app.Problem;
import io.wingu.controlplane.audit.AuditEntry;
import io.wingu.controlplane.audit.AuditedDatabase;
import io.wingu.controlplane.auth.TokenService;
import io.wingu.controlplane.caller.Caller;
import io.wingu.controlplane.institutions.Institution;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The way into usage, for the API and the console alike: agent reports in (screened against the
 * cluster's own word), agent tokens, an institution's series against its quota, node capacity, the
 * monthly report, and the roll-up that raises quota alerts.
 */
public final class UsageService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(UsageService.class);

  /** The ResourceQuota the reconciler keeps in each tenant namespace. */
  private static final String QUOTA_NAME = io.wingu.controlplane.provisioning.ResourceQuotas.NAME;

  /** Reports stamped further than this from the server's clock are refused. */
  static final Duration CLOCK_TOLERANCE = Duration.ofMinutes(10);

  /**
   * An institution as the caller may see it; fails with {@link DomainError.NotFound} outside its
   * scope.
   */
  @FunctionalInterface
  public interface Institutions {
    Future<Institution> visibleTo(Caller caller, UUID id);
  }

  /**
   * What became of one agent report: stored or a replay, and how many pod samples were believed.
   */
  public record Receipt(
      boolean duplicate,
      int samplesAccepted,
      int samplesDropped,
      Map<SampleScreen.Reason, Integer> dropped) {

    public JsonObject toJson() {
      JsonObject reasons = new JsonObject();
      dropped.forEach((reason, n) -> reasons.put(reason.tag(), n));
      return new JsonObject()
          .put("accepted", true)
          .put("duplicate", duplicate)
          .put("samplesAccepted", samplesAccepted)
          .put("samplesDropped", samplesDropped)
          .put("dropped", reasons);
    }
  }

  /** A node agent's access token, good for {@code lifetime}. */
  public record AgentToken(String accessToken, Duration lifetime) {

    public JsonObject toJson() {
      return new JsonObject()
          .put("accessToken", accessToken)
          .put("tokenType", "Bearer")
          .put("expiresIn", lifetime.toSeconds());
    }
  }

  private final Vertx vertx;
  private final AuditedDatabase db;
  private final ReportWriter writer;
  private final TokenService tokens;
  private final UsageStore usage = new UsageStore();
  private final AgentTokenStore agentTokens = new AgentTokenStore();
  private final Institutions institutions;
  private final KubernetesClient kubernetes;
  private final PodPlacements placements;
  private final Duration agentTokenLifetime;
  private final Counter samplesAccepted;
  private final Map<SampleScreen.Reason, Counter> samplesDropped =
      new EnumMap<>(SampleScreen.Reason.class);

  public UsageService(
      Vertx vertx,
      AuditedDatabase db,
      TokenService tokens,
      Institutions institutions,
      KubernetesClient kubernetes,
      MeterRegistry registry,
      Duration agentTokenLifetime) {
    this.vertx = vertx;
    this.db = db;
    this.writer = new ReportWriter(vertx, db.database());
    this.tokens = tokens;
    this.institutions = institutions;
    this.kubernetes = kubernetes;
    this.placements = new PodPlacements(kubernetes);
    this.agentTokenLifetime = agentTokenLifetime;
    this.samplesAccepted =
        Counter.builder("wingu.agent.samples.accepted")
            .description("Pod samples of agent reports stored")
            .register(registry);
    for (SampleScreen.Reason reason : SampleScreen.Reason.values()) {
      samplesDropped.put(
          reason,
          Counter.builder("wingu.agent.samples.dropped")
              .tag("reason", reason.tag())
              .description(
                  "Pod samples (or a node's own figures) of agent reports not believed, by reason")
              .register(registry));
    }
  }

  // --- agents ---

  /**
   * Stores the report of {@code node}'s agent once its samples are screened: an agent reports for
   * its own node only (403), stamped within 10 minutes ahead and 2 days behind the server (400).
   */
  public Future<Receipt> submit(String node, AgentReport report) {
    if (!node.equals(report.nodeName())) {
      throw DomainError.forbidden(
          "This agent reports for node " + node + ", not " + report.nodeName());
    }
    Instant now = db.clock().instant();
    if (report.collectedAt().isAfter(now.plus(CLOCK_TOLERANCE))
        || report.collectedAt().isBefore(now.minus(Duration.ofDays(2)))) {
      throw DomainError.invalid(
          "collectedAt is too far from the server's clock",
          List.of(
              new FieldError(
                  "collectedAt", "must be within 10 minutes ahead and 2 days behind " + now)));
    }
    SampleScreen.Screened screened = SampleScreen.screen(report, placements);
    count(screened, report);
    return writer
        .submit(screened.report())
        .map(
            outcome ->
                new Receipt(
                    outcome == ReportWriter.Outcome.DUPLICATE,
                    screened.accepted(),
                    screened.droppedSamples(),
                    screened.dropped()));
  }

  /** Counts what the screen kept and dropped; a report with drops gets one log line naming them. */
  private void count(SampleScreen.Screened screened, AgentReport report) {
    samplesAccepted.increment(screened.accepted());
    if (screened.dropped().isEmpty()) {
      return;
    }
    StringBuilder reasons = new StringBuilder();
    screened
        .dropped()
        .forEach(
            (reason, n) -> {
              samplesDropped.get(reason).increment(n);
              reasons
                  .append(reasons.isEmpty() ? "" : ", ")
                  .append(reason.tag())
                  .append('=')
                  .append(n);
            });
    LOG.warn(
        "agent report of node {} (seq {}): kept {} of {} pod samples, dropped {}{}",
        report.nodeName(),
        report.seq(),
        screened.accepted(),
        report.pods().size(),
        reasons,
        placements.synced() ? "" : " (the pod and node caches are still loading)");
  }

  /** A new token for {@code node}'s agent; the node's previous token stops working. */
  public Future<AgentToken> issueAgentToken(Caller caller, String node, String requestId) {
    String tokenId = UUID.randomUUID().toString();
    Instant now = db.clock().instant();
    return db.inTransaction(
        h -> {
          // only the recorded id is accepted
          agentTokens.record(
              h, node, tokenId, now, now.plus(agentTokenLifetime), caller.username());
          db.audit(
              h,
              new AuditEntry(
                  caller.username(),
                  "agent-token.create",
                  "node/" + node,
                  null,
                  requestId,
                  null,
                  new JsonObject().put("nodeName", node).put("tokenId", tokenId)));
          return new AgentToken(
              tokens.issue(AgentIdentity.agentFor(node), agentTokenLifetime, tokenId),
              agentTokenLifetime);
        });
  }

  /** Revokes {@code node}'s agent token; 404 when it has none. */
  public Future<Void> revokeAgentToken(Caller caller, String node, String requestId) {
    return db.inTransaction(
        h -> {
          if (!agentTokens.revoke(h, node)) {
            throw DomainError.notFound("Node " + node + " has no agent token to revoke");
          }
          db.audit(
              h,
              new AuditEntry(
                  caller.username(),
                  "agent-token.revoke",
                  "node/" + node,
                  null,
                  requestId,
                  null,
                  new JsonObject().put("nodeName", node)));
          return null;
        });
  }

  /**
   * The cluster's word that reports are screened against (tests wait until it has seen their pods).
   */
  public SampleScreen.Cluster cluster() {
    return placements;
  }

  /** Stops the pod and node caches. */
  @Override
  public void close() {
    placements.close();
  }

  // --- what was used ---

  /**
   * An institution's usage series from {@code from} to {@code to} in steps of an hour or a day, its
   * quota and its latest alerts; invalid for a range that ends before it starts, not found outside
   * the caller's scope.
   */
  public Future<InstitutionUsage> institutionUsage(
      Caller caller, UUID id, String step, Instant from, Instant to) {
    if (!step.equals("hour") && !step.equals("day")) {
      return Future.failedFuture(
          DomainError.invalid(
              "step must be hour or day", List.of(new FieldError("step", "must be hour or day"))));
    }
    if (!from.isBefore(to)) {
      return Future.failedFuture(
          DomainError.invalid(
              "from must be before to", List.of(new FieldError("from", "must be before to"))));
    }
    return institutions
        .visibleTo(caller, id)
        .compose(
            inst ->
                reserved(inst.namespace())
                    .compose(
                        reserved ->
                            db.withHandle(
                                h ->
                                    new InstitutionUsage(
                                        inst,
                                        step,
                                        from,
                                        to,
                                        usage.quota(h, id),
                                        reserved,
                                        usage.series(h, inst.namespace(), step, from, to),
                                        usage.databaseSeries(h, id, step, from, to),
                                        usage.alerts(h, id)))));
  }

  /**
   * What the namespace's running pods reserve, from its ResourceQuota's status; empty when the API
   * server does not answer (the usage page still shows what was measured).
   */
  private Future<Optional<Reserved>> reserved(String namespace) {
    return vertx
        .executeBlocking(
            () ->
                Reserved.of(
                    kubernetes.resourceQuotas().inNamespace(namespace).withName(QUOTA_NAME).get()),
            false)
        .otherwise(
            e -> {
              LOG.warn("quota use of namespace {} not read: {}", namespace, e.getMessage());
              return Optional.empty();
            });
  }

  /**
   * Every node's latest agent report with its allocatable and requested CPU and memory from the
   * Kubernetes API (503 when the API server does not answer: the cluster, not the request, failed).
   */
  public Future<List<NodeUsage>> nodes() {
    return vertx
        .executeBlocking(() -> NodeCapacity.read(kubernetes), false)
        .recover(
            e ->
                Future.failedFuture(
                    new Problem(
                        503,
                        "Service Unavailable",
                        "The Kubernetes API did not answer for nodes and pods: " + e.getMessage())))
        .compose(cluster -> db.withHandle(h -> NodeCapacity.annotate(usage.nodes(h), cluster)));
  }

  /** The month's per-institution usage and chargeback lines. */
  public Future<MonthReport> month(YearMonth month) {
    return db.withHandle(h -> new MonthReport(month, usage.month(h, month)));
  }

  /** A YYYY-MM month, or invalid naming the field {@code month}. */
  public static YearMonth month(String value) {
    try {
      return YearMonth.parse(value);
    } catch (DateTimeParseException | NullPointerException e) {
      throw DomainError.invalid(
          "month must be YYYY-MM", List.of(new FieldError("month", "must be YYYY-MM")));
    }
  }

  // --- roll-ups ---

  /**
   * Rolls up dirty hours and raises quota alerts (80 % and 100 %); {@link UsageJobs} runs it
   * periodically.
   */
  public Future<Integer> rollUp() {
    Instant hour = db.clock().instant().truncatedTo(ChronoUnit.HOURS);
    return db.inTransaction(
        h -> {
          int hours = new Rollups().rollUpDirtyHours(h);
          for (UsageStore.Pressure p : usage.pressure(h, hour)) {
            raise(h, p, "cpu", p.cpuMillis(), p.quota().cpuMillis());
            raise(h, p, "memory", p.memoryBytes(), p.quota().memoryBytes());
          }
          return hours;
        });
  }

  private void raise(Handle h, UsageStore.Pressure p, String resource, double used, double quota)
      throws SQLException {
    if (quota <= 0) {
      return;
    }
    for (int threshold : new int[] {100, 80}) {
      if (used >= quota * threshold / 100.0) {
        if (usage.raiseAlert(
            h, p.institutionId(), resource, threshold, used, quota, db.clock().instant())) {
          db.audit(
              h,
              new AuditEntry(
                  "system",
                  "usage.alert",
                  "institution/" + p.code(),
                  p.institutionId(),
                  null,
                  null,
                  new JsonObject()
                      .put("resource", resource)
                      .put("threshold", threshold)
                      .put("used", used)
                      .put("quota", quota)));
        }
        return;
      }
    }
  }
}
