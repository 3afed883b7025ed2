package io.wingu.controlplane.usage;

import io.wingu.controlplane.app.FieldError;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Access;
import io.wingu.controlplane.app.ApiOperations;
import io.wingu.controlplane.app.Database;
import io.wingu.controlplane.app.Csv;
import io.wingu.controlplane.app.Problem;
import io.wingu.controlplane.app.Respond;
import io.wingu.controlplane.audit.AuditEntry;
import io.wingu.controlplane.audit.AuditLog;
import io.wingu.controlplane.auth.Caller;
import io.wingu.controlplane.auth.Role;
import io.wingu.controlplane.auth.TokenService;
import io.wingu.controlplane.institutions.InstitutionService;
import io.wingu.controlplane.plans.Quantities;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Agent reports in; usage series, node capacity and the monthly report out. */
public final class UsageRoutes implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(UsageRoutes.class);

  /** Reports stamped further than this from the server's clock are refused. */
  static final Duration CLOCK_TOLERANCE = Duration.ofMinutes(10);

  private final Vertx vertx;
  private final Database db;
  private final ReportWriter writer;
  private final AgentIdentity agents;
  private final TokenService tokens;
  private final UsageStore usage = new UsageStore();
  private final InstitutionService institutions;
  private final AuditLog audit;
  private final Clock clock;
  private final KubernetesClient kubernetes;
  private final PodPlacements placements;
  private final AgentTokenStore agentTokens = new AgentTokenStore();
  private final Duration agentTokenLifetime;
  private final Counter samplesAccepted;
  private final Map<SampleScreen.Reason, Counter> samplesDropped = new EnumMap<>(SampleScreen.Reason.class);

  public UsageRoutes(Vertx vertx, Database db, AgentIdentity agents, TokenService tokens, InstitutionService institutions,
      AuditLog audit, Clock clock, KubernetesClient kubernetes, MeterRegistry registry, Duration agentTokenLifetime) {
    this.vertx = vertx;
    this.placements = new PodPlacements(kubernetes);
    this.agentTokenLifetime = agentTokenLifetime;
    this.samplesAccepted = Counter.builder("wingu.agent.samples.accepted")
        .description("Pod samples of agent reports stored").register(registry);
    for (SampleScreen.Reason reason : SampleScreen.Reason.values()) {
      samplesDropped.put(reason, Counter.builder("wingu.agent.samples.dropped").tag("reason", reason.tag())
          .description("Pod samples (or a node's own figures) of agent reports not believed, by reason")
          .register(registry));
    }
    this.kubernetes = kubernetes;
    this.db = db;
    this.writer = new ReportWriter(vertx, db);
    this.agents = agents;
    this.tokens = tokens;
    this.institutions = institutions;
    this.audit = audit;
    this.clock = clock;
  }

  public void addTo(ApiOperations api) {
    api.addSelfValidated("submitAgentReport", Access.anyone(), this::report);
    api.add("createAgentToken", Access.roles(Role.OPERATOR), this::agentToken);
    api.add("revokeAgentToken", Access.roles(Role.OPERATOR), this::revokeAgentToken);
    api.add("institutionUsage", Access.readers(), this::institutionUsage);
    api.add("nodeUsage", Access.roles(Role.OPERATOR, Role.AUDITOR),
        ctx -> Respond.json(ctx, 200, nodes().map(items -> new JsonObject().put("items", items))));
    api.add("usageReport", Access.roles(Role.OPERATOR, Role.AUDITOR), this::monthReport);
  }

  private void report(RoutingContext ctx) {
    agents.node(ctx).compose(node -> {
      Object body;
      try {
        body = ctx.body().asJsonObject();
      } catch (io.vertx.core.json.DecodeException | ClassCastException e) {
        throw Problem.badRequest("The body is not a JSON object", List.of(new FieldError("body", "is not a JSON object")));
      }
      AgentReport report = AgentReport.parse(body);
      if (!node.equals(report.nodeName())) {
        throw new Problem(403, "Forbidden", "This agent reports for node " + node + ", not " + report.nodeName());
      }
      Instant now = clock.instant();
      if (report.collectedAt().isAfter(now.plus(CLOCK_TOLERANCE)) || report.collectedAt().isBefore(now.minus(Duration.ofDays(2)))) {
        throw Problem.badRequest("collectedAt is too far from the server's clock",
            List.of(new FieldError("collectedAt", "must be within 10 minutes ahead and 2 days behind " + now)));
      }
      SampleScreen.Screened screened = SampleScreen.screen(report, placements);
      count(screened, report);
      return writer.submit(screened.report()).map(outcome -> {
        JsonObject dropped = new JsonObject();
        screened.dropped().forEach((reason, n) -> dropped.put(reason.tag(), n));
        return new JsonObject().put("accepted", true).put("duplicate", outcome == ReportWriter.Outcome.DUPLICATE)
            .put("samplesAccepted", screened.accepted()).put("samplesDropped", screened.droppedSamples())
            .put("dropped", dropped);
      });
    }).onSuccess(answer -> ctx.response().setStatusCode(202).putHeader("Content-Type", "application/json")
        .end(answer.encode()))
        .onFailure(ctx::fail);
  }

  /** Counts what the screen kept and dropped; a report with drops gets one log line naming them. */
  private void count(SampleScreen.Screened screened, AgentReport report) {
    samplesAccepted.increment(screened.accepted());
    if (screened.dropped().isEmpty()) {
      return;
    }
    StringBuilder reasons = new StringBuilder();
    screened.dropped().forEach((reason, n) -> {
      samplesDropped.get(reason).increment(n);
      reasons.append(reasons.isEmpty() ? "" : ", ").append(reason.tag()).append('=').append(n);
    });
    LOG.warn("agent report of node {} (seq {}): kept {} of {} pod samples, dropped {}{}", report.nodeName(),
        report.seq(), screened.accepted(), report.pods().size(), reasons,
        placements.synced() ? "" : " (the pod and node caches are still loading)");
  }

  private void agentToken(RoutingContext ctx) {
    Caller caller = ApiOperations.caller(ctx);
    String node = ctx.body().asJsonObject().getString("nodeName");
    String requestId = Respond.requestId(ctx);
    String tokenId = UUID.randomUUID().toString();
    Instant now = clock.instant();
    Respond.json(ctx, 201, db.transaction(c -> {
      // the node's previous token, if any, stops working: only the recorded id is accepted
      agentTokens.record(c, node, tokenId, now, now.plus(agentTokenLifetime), caller.username());
      audit.append(c, new AuditEntry(caller.username(), "agent-token.create", "node/" + node, null, requestId, null,
          new JsonObject().put("nodeName", node).put("tokenId", tokenId)));
      return new JsonObject().put("accessToken", tokens.issue(AgentIdentity.agentFor(node), agentTokenLifetime, tokenId))
          .put("tokenType", "Bearer").put("expiresIn", agentTokenLifetime.toSeconds());
    }));
  }

  private void revokeAgentToken(RoutingContext ctx) {
    Caller caller = ApiOperations.caller(ctx);
    String node = ctx.pathParam("nodeName");
    String requestId = Respond.requestId(ctx);
    db.transaction(c -> {
      if (!agentTokens.revoke(c, node)) {
        throw Problem.notFound("Node " + node + " has no agent token to revoke");
      }
      audit.append(c, new AuditEntry(caller.username(), "agent-token.revoke", "node/" + node, null, requestId, null,
          new JsonObject().put("nodeName", node)));
      return null;
    }).onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
  }

  /** The cluster's word that reports are screened against (tests wait until it has seen their pods). */
  public SampleScreen.Cluster cluster() {
    return placements;
  }

  /** Stops the pod and node caches. */
  @Override
  public void close() {
    placements.close();
  }

  private void institutionUsage(RoutingContext ctx) {
    Caller caller = ApiOperations.caller(ctx);
    UUID id = Respond.idParam(ctx, "id");
    String step = ctx.queryParams().get("step") == null ? "hour" : ctx.queryParams().get("step");
    Instant to = time(ctx, "to", clock.instant());
    Instant from = time(ctx, "from", to.minus(step.equals("day") ? Duration.ofDays(30) : Duration.ofHours(24)));
    Respond.json(ctx, 200, institutionUsage(caller, id, step, from, to));
  }

  /**
   * An institution's usage series from {@code from} to {@code to} in steps of an hour or a day,
   * its quota and its latest alerts; 400 for a range that ends before it starts, 404 outside the
   * caller's scope. What the API and the console both answer with.
   */
  public Future<JsonObject> institutionUsage(Caller caller, UUID id, String step, Instant from,
      Instant to) {
    if (!step.equals("hour") && !step.equals("day")) {
      return Future.failedFuture(Problem.badRequest("step must be hour or day",
          List.of(new FieldError("step", "must be hour or day"))));
    }
    if (!from.isBefore(to)) {
      return Future.failedFuture(
          Problem.badRequest("from must be before to", List.of(new FieldError("from", "must be before to"))));
    }
    return db.call(c -> {
      var inst = institutions.find(c, caller.scope(), id).orElseThrow(() -> Problem.notFound("No institution " + id));
      var quota = usage.quota(c, id);
      return new JsonObject()
          .put("institutionId", id.toString())
          .put("namespace", inst.namespace())
          .put("step", step)
          .put("from", from.toString())
          .put("to", to.toString())
          .put("quota", new JsonObject().put("cpuMillis", quota.cpuMillis()).put("memoryBytes", quota.memoryBytes())
              .put("storageBytes", quota.storageBytes()).put("cpu", Quantities.cpu(quota.cpuMillis()))
              .put("memory", Quantities.bytes(quota.memoryBytes())).put("storage", Quantities.bytes(quota.storageBytes()))
              .put("databaseBytes", quota.databaseBytes()).put("database", Quantities.bytes(quota.databaseBytes())))
          .put("storageBytes", quota.storageBytes())
          .put("series", usage.series(c, inst.namespace(), step, from, to))
          .put("databaseSeries", usage.databaseSeries(c, id, step, from, to))
          .put("alerts", usage.alerts(c, id));
    });
  }

  /**
   * Every node's latest agent report with its allocatable and requested CPU and memory from the
   * Kubernetes API (503 when the API server does not answer).
   */
  public Future<JsonArray> nodes() {
    return vertx.executeBlocking(() -> NodeCapacity.read(kubernetes), false)
        .recover(e -> Future.failedFuture(new Problem(503, "Service Unavailable",
            "The Kubernetes API did not answer for nodes and pods: " + e.getMessage())))
        .compose(cluster -> db.call(c -> NodeCapacity.annotate(usage.nodes(c), cluster)));
  }

  /** The month's per-institution usage and chargeback lines, as the API and the console report them. */
  public Future<List<UsageStore.MonthLine>> month(YearMonth month) {
    return db.call(c -> usage.month(c, month));
  }

  /** A YYYY-MM month, or a 400 problem naming the field {@code month}. */
  public static YearMonth month(String value) {
    try {
      return YearMonth.parse(value);
    } catch (DateTimeParseException | NullPointerException e) {
      throw Problem.badRequest("month must be YYYY-MM", List.of(new FieldError("month", "must be YYYY-MM")));
    }
  }

  /** The monthly report as CSV: a header line, then one line per institution (names quoted). */
  public static String csv(List<UsageStore.MonthLine> lines) {
    StringBuilder out = new StringBuilder("institution_id,code,name,cpu_core_hours,memory_gib_hours,"
        + "storage_gib_months,net_rx_bytes,net_tx_bytes\n");
    for (UsageStore.MonthLine l : lines) {
      JsonObject j = l.toJson();
      out.append(l.institutionId()).append(',').append(l.code()).append(',').append(csvField(l.name())).append(',')
          .append(j.getValue("cpuCoreHours")).append(',').append(j.getValue("memoryGibHours")).append(',')
          .append(j.getValue("storageGibMonths")).append(',').append(l.netRxBytes()).append(',')
          .append(l.netTxBytes()).append('\n');
    }
    return out.toString();
  }

  /** The file name a downloaded report is saved as. */
  public static String csvFileName(YearMonth month) {
    return "wingu-usage-" + month + ".csv";
  }

  private void monthReport(RoutingContext ctx) {
    YearMonth month = month(ctx.queryParams().get("month"));
    String accept = ctx.request().getHeader("Accept");
    boolean csv = accept != null && accept.contains("text/csv");
    month(month).onSuccess(lines -> {
      if (csv) {
        ctx.response().putHeader("Content-Type", "text/csv; charset=utf-8")
            .putHeader("Content-Disposition", "attachment; filename=\"" + csvFileName(month) + "\"").end(csv(lines));
      } else {
        JsonArray items = new JsonArray();
        lines.forEach(l -> items.add(l.toJson()));
        ctx.json(new JsonObject().put("month", month.toString()).put("items", items));
      }
    }).onFailure(ctx::fail);
  }

  private static String csvField(String s) {
    // quote always, and neutralise spreadsheet formulas
    return "\"" + Csv.defuse(s).replace("\"", "\"\"") + "\"";
  }

  private static Instant time(RoutingContext ctx, String name, Instant fallback) {
    String v = ctx.queryParams().get(name);
    if (v == null) {
      return fallback;
    }
    try {
      return OffsetDateTime.parse(v).toInstant();
    } catch (DateTimeParseException e) {
      throw Problem.badRequest(name + " is not a date-time",
          List.of(new FieldError(name, "must be an RFC 3339 date-time")));
    }
  }

  /** Rolls up dirty hours and raises quota alerts (80 % and 100 %); run periodically. */
  public Future<Integer> rollUp() {
    Instant hour = clock.instant().truncatedTo(ChronoUnit.HOURS);
    return db.transaction(c -> {
      int hours = new Rollups().rollUpDirtyHours(c);
      for (UsageStore.Pressure p : usage.pressure(c, hour)) {
        raise(c, p, "cpu", p.cpuMillis(), p.quota().cpuMillis());
        raise(c, p, "memory", p.memoryBytes(), p.quota().memoryBytes());
      }
      return hours;
    });
  }

  private void raise(java.sql.Connection c, UsageStore.Pressure p, String resource, double used, double quota)
      throws java.sql.SQLException {
    if (quota <= 0) {
      return;
    }
    for (int threshold : new int[] {100, 80}) {
      if (used >= quota * threshold / 100.0) {
        if (usage.raiseAlert(c, p.institutionId(), resource, threshold, used, quota, clock.instant())) {
          audit.append(c, new AuditEntry("system", "usage.alert", "institution/" + p.code(), p.institutionId(), null,
              null, new JsonObject().put("resource", resource).put("threshold", threshold).put("used", used)
                  .put("quota", quota)));
        }
        return;
      }
    }
  }

}
