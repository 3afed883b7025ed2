package io.wingu.controlplane.requests;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Access;
import io.wingu.controlplane.app.ApiOperations;
import io.wingu.controlplane.app.DomainError;
import io.wingu.controlplane.app.FieldError;
import io.wingu.controlplane.app.Page;
import io.wingu.controlplane.app.Respond;
import io.wingu.controlplane.caller.Caller;
import io.wingu.controlplane.caller.Role;
import io.wingu.controlplane.plans.Quantities;
import io.wingu.controlplane.requests.HostingRequest.Status;
import java.util.List;
import java.util.UUID;

/** The routes of the hosting-request workflow. */
public record RequestRoutes(RequestService service) {

  public void addTo(ApiOperations api) {
    api.add("createRequest", Access.roles(Role.INSTITUTION_ADMIN), this::create);
    api.add("listRequests", Access.readers(), this::list);
    api.add("getRequest", Access.readers(), this::get);
    api.add("approveRequest", Access.roles(Role.OPERATOR), this::approve);
    api.add("rejectRequest", Access.roles(Role.OPERATOR), this::reject);
    api.add("cancelRequest", Access.roles(Role.INSTITUTION_ADMIN), this::cancel);
  }

  private void create(RoutingContext ctx) {
    JsonObject b = ctx.body().asJsonObject();
    JsonObject database = b.getJsonObject("database");
    var submission =
        new RequestService.Submission(
            b.getString("siteName"),
            b.getJsonArray("hostnames").stream().map(String.class::cast).toList(),
            b.getString("plan"),
            b.getString("templateId"),
            database == null ? null : database.getString("engine"),
            database == null ? null : database.getString("plan"),
            b.getString("justification"));
    Respond.json(
        ctx,
        201,
        service
            .submit(ApiOperations.caller(ctx), submission, Respond.requestId(ctx))
            .map(HostingRequest::toJson));
  }

  private void list(RoutingContext ctx) {
    Caller caller = ApiOperations.caller(ctx);
    Page page = Page.from(ctx, RequestService.CURSOR);
    String statusParam = ctx.queryParams().get("status");
    Status status = statusParam == null ? null : Status.valueOf(statusParam);
    Respond.json(
        ctx, 200, service.list(caller, status, page).map(l -> l.toJson(HostingRequest::toJson)));
  }

  private void get(RoutingContext ctx) {
    Caller caller = ApiOperations.caller(ctx);
    UUID id = Respond.idParam(ctx, "id");
    Respond.json(ctx, 200, service.get(caller, id).map(HostingRequest::toJson));
  }

  private void approve(RoutingContext ctx) {
    JsonObject b = body(ctx);
    JsonObject o = b.getJsonObject("overrides", new JsonObject());
    var approval =
        new RequestService.Approval(
            b.getString("note"),
            quantity(o, "cpu", true),
            quantity(o, "memory", false),
            quantity(o, "storage", false));
    Respond.json(
        ctx,
        200,
        service
            .approve(
                ApiOperations.caller(ctx),
                Respond.idParam(ctx, "id"),
                approval,
                Respond.requestId(ctx))
            .map(HostingRequest::toJson));
  }

  private void reject(RoutingContext ctx) {
    Respond.json(
        ctx,
        200,
        service
            .reject(
                ApiOperations.caller(ctx),
                Respond.idParam(ctx, "id"),
                body(ctx).getString("reason"),
                body(ctx).getString("kind"),
                Respond.requestId(ctx))
            .map(HostingRequest::toJson));
  }

  private void cancel(RoutingContext ctx) {
    Respond.json(
        ctx,
        200,
        service
            .cancel(
                ApiOperations.caller(ctx),
                Respond.idParam(ctx, "id"),
                body(ctx).getString("note"),
                Respond.requestId(ctx))
            .map(HostingRequest::toJson));
  }

  private static JsonObject body(RoutingContext ctx) {
    JsonObject body = ctx.body() == null ? null : ctx.body().asJsonObject();
    return body == null ? new JsonObject() : body;
  }

  private static Long quantity(JsonObject overrides, String field, boolean cpu) {
    String q = overrides.getString(field);
    if (q == null) {
      return null;
    }
    long v = cpu ? Quantities.cpuMillis(q) : Quantities.bytes(q);
    if (v <= 0) {
      throw DomainError.invalid(
          "The override is not valid",
          List.of(new FieldError("overrides." + field, "must be a positive quantity")));
    }
    return v;
  }
}
