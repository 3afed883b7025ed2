package io.wingu.controlplane.plans;

import io.wingu.controlplane.app.FieldError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Access;
import io.wingu.controlplane.app.ApiOperations;
import io.wingu.controlplane.app.Database;
import io.wingu.controlplane.app.DomainError;
import io.wingu.controlplane.app.Respond;
import io.wingu.controlplane.audit.AuditEntry;
import io.wingu.controlplane.audit.AuditLog;
import io.wingu.controlplane.auth.Caller;
import io.wingu.controlplane.auth.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** GET and POST /plans. */
public final class PlanRoutes {

  private final Database db;
  private final PlanStore plans;
  private final AuditLog audit;

  public PlanRoutes(Database db, PlanStore plans, AuditLog audit) {
    this.db = db;
    this.plans = plans;
    this.audit = audit;
  }

  public void addTo(ApiOperations api) {
    api.add("listPlans", Access.anySignedIn(), ctx ->
        Respond.json(ctx, 200, db.call(c -> new JsonArray(plans.all(c).stream().map(Plan::toJson).toList()))));
    api.add("createPlan", Access.roles(Role.OPERATOR), this::create);
  }

  private void create(RoutingContext ctx) {
    Caller caller = ApiOperations.caller(ctx);
    JsonObject body = ctx.body().asJsonObject();
    List<FieldError> errors = new ArrayList<>();
    long cpu = positive(errors, "cpu", Quantities.cpuMillis(body.getString("cpu")));
    long memory = positive(errors, "memory", Quantities.bytes(body.getString("memory")));
    long storage = positive(errors, "storage", Quantities.bytes(body.getString("storage")));
    long dbStorage = Quantities.bytes(body.getString("dbStorage"));
    if (dbStorage < 0) {
      errors.add(new FieldError("dbStorage", "is not a byte quantity such as 5Gi"));
    }
    if (cpu > Integer.MAX_VALUE) {
      errors.add(new FieldError("cpu", "is too large"));
    }
    if (!errors.isEmpty()) {
      throw DomainError.invalid("The plan is not valid", errors);
    }
    Plan plan = new Plan(UUID.randomUUID(), body.getString("name"), cpu, memory, storage, dbStorage,
        body.getInteger("dbConnections", 20));
    String requestId = Respond.requestId(ctx);
    Respond.json(ctx, 201, db.transaction(c -> {
      plans.insert(c, plan);
      audit.append(c, new AuditEntry(caller.username(), "plan.create", "plan/" + plan.name(), null, requestId,
          null, plan.toJson()));
      return plan.toJson();
    }));
  }

  private static long positive(List<FieldError> errors, String field, long value) {
    if (value <= 0) {
      errors.add(new FieldError(field, "must be a positive quantity such as " + ("cpu".equals(field) ? "500m" : "2Gi")));
    }
    return value;
  }
}
