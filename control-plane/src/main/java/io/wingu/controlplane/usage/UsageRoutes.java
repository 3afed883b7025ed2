package io.wingu.controlplane.usage;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Access;
import io.wingu.controlplane.app.ApiOperations;
import io.wingu.controlplane.app.FieldError;
import io.wingu.controlplane.app.Problem;
import io.wingu.controlplane.app.Respond;
import io.wingu.controlplane.caller.Role;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

/**
 * Agent reports in; usage series, node capacity and the monthly report out: HTTP to {@link
 * UsageService} and back.
 */
public record UsageRoutes(UsageService usage, AgentIdentity agents, Clock clock) {

  public void addTo(ApiOperations api) {
    api.addSelfValidated("submitAgentReport", Access.anyone(), this::report);
    api.add(
        "createAgentToken",
        Access.roles(Role.OPERATOR),
        ctx ->
            Respond.json(
                ctx,
                201,
                usage
                    .issueAgentToken(
                        ApiOperations.caller(ctx),
                        ctx.body().asJsonObject().getString("nodeName"),
                        Respond.requestId(ctx))
                    .map(UsageService.AgentToken::toJson)));
    api.add(
        "revokeAgentToken",
        Access.roles(Role.OPERATOR),
        ctx ->
            Respond.noContent(
                ctx,
                usage.revokeAgentToken(
                    ApiOperations.caller(ctx), ctx.pathParam("nodeName"), Respond.requestId(ctx))));
    api.add("institutionUsage", Access.readers(), this::institutionUsage);
    api.add(
        "nodeUsage",
        Access.roles(Role.OPERATOR, Role.AUDITOR),
        ctx ->
            Respond.json(
                ctx,
                200,
                usage
                    .nodes()
                    .map(
                        nodes ->
                            new JsonObject()
                                .put(
                                    "items",
                                    new JsonArray(
                                        nodes.stream().map(NodeUsage::toJson).toList())))));
    api.add("usageReport", Access.roles(Role.OPERATOR, Role.AUDITOR), this::monthReport);
  }

  /**
   * The agent is known by its token before the body is read; the body is then checked against the
   * contract.
   */
  private void report(RoutingContext ctx) {
    agents
        .node(ctx)
        .compose(
            node -> {
              Object body;
              try {
                body = ctx.body().asJsonObject();
              } catch (io.vertx.core.json.DecodeException | ClassCastException e) {
                throw Problem.badRequest(
                    "The body is not a JSON object",
                    List.of(new FieldError("body", "is not a JSON object")));
              }
              return usage.submit(node, AgentReport.parse(body));
            })
        .onSuccess(
            receipt ->
                ctx.response()
                    .setStatusCode(202)
                    .putHeader("Content-Type", "application/json")
                    .end(receipt.toJson().encode()))
        .onFailure(ctx::fail);
  }

  private void institutionUsage(RoutingContext ctx) {
    UUID id = Respond.idParam(ctx, "id");
    String step = ctx.queryParams().get("step") == null ? "hour" : ctx.queryParams().get("step");
    Instant to = time(ctx, "to", clock.instant());
    Instant from =
        time(
            ctx, "from", to.minus(step.equals("day") ? Duration.ofDays(30) : Duration.ofHours(24)));
    Respond.json(
        ctx,
        200,
        usage
            .institutionUsage(ApiOperations.caller(ctx), id, step, from, to)
            .map(InstitutionUsage::toJson));
  }

  /** JSON, or CSV for a caller that accepts text/csv. */
  private void monthReport(RoutingContext ctx) {
    YearMonth month = UsageService.month(ctx.queryParams().get("month"));
    String accept = ctx.request().getHeader("Accept");
    boolean csv = accept != null && accept.contains("text/csv");
    usage
        .month(month)
        .onSuccess(
            report -> {
              if (csv) {
                ctx.response()
                    .putHeader("Content-Type", "text/csv; charset=utf-8")
                    .putHeader(
                        "Content-Disposition",
                        "attachment; filename=\"" + report.csvFileName() + "\"")
                    .end(report.csv());
              } else {
                ctx.json(report.toJson());
              }
            })
        .onFailure(ctx::fail);
  }

  private static Instant time(RoutingContext ctx, String name, Instant fallback) {
    String v = ctx.queryParams().get(name);
    if (v == null) {
      return fallback;
    }
    try {
      return OffsetDateTime.parse(v).toInstant();
    } catch (DateTimeParseException e) {
      throw Problem.badRequest(
          name + " is not a date-time",
          List.of(new FieldError(name, "must be an RFC 3339 date-time")));
    }
  }
}
