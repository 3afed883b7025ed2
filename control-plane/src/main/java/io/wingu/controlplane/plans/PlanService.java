package io.wingu.controlplane.plans;

import io.vertx.core.Future;
import io.wingu.controlplane.app.DomainError;
import io.wingu.controlplane.app.FieldError;
import io.wingu.controlplane.audit.AuditEntry;
import io.wingu.controlplane.audit.AuditedDatabase;
import io.wingu.controlplane.caller.Caller;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** The plans catalogue: the one way in for the API, the console and the other capabilities. */
public final class PlanService {

  private final AuditedDatabase db;
  private final PlanStore store = new PlanStore();

  public PlanService(AuditedDatabase db) {
    this.db = db;
  }

  /** Every plan, smallest first. */
  public Future<List<Plan>> all() {
    return db.withHandle(store::all);
  }

  /**
   * Checks the quantities ("500m", "2Gi"…) and records a new plan; a taken name is refused by the
   * database. {@code dbConnections} null means the default of 20.
   */
  public Future<Plan> create(
      Caller caller,
      String name,
      String cpuQuantity,
      String memoryQuantity,
      String storageQuantity,
      String dbStorageQuantity,
      Integer dbConnections,
      String requestId) {
    List<FieldError> errors = new ArrayList<>();
    long cpu = positive(errors, "cpu", Quantities.cpuMillis(cpuQuantity));
    long memory = positive(errors, "memory", Quantities.bytes(memoryQuantity));
    long storage = positive(errors, "storage", Quantities.bytes(storageQuantity));
    long dbStorage = Quantities.bytes(dbStorageQuantity);
    if (dbStorage < 0) {
      errors.add(new FieldError("dbStorage", "is not a byte quantity such as 5Gi"));
    }
    if (cpu > Integer.MAX_VALUE) {
      errors.add(new FieldError("cpu", "is too large"));
    }
    if (!errors.isEmpty()) {
      return Future.failedFuture(DomainError.invalid("The plan is not valid", errors));
    }
    Plan plan =
        new Plan(
            UUID.randomUUID(),
            name,
            cpu,
            memory,
            storage,
            dbStorage,
            dbConnections == null ? 20 : dbConnections);
    return db.inTransaction(
        h -> {
          store.insert(h, plan);
          db.audit(
              h,
              new AuditEntry(
                  caller.username(),
                  "plan.create",
                  "plan/" + plan.name(),
                  null,
                  requestId,
                  null,
                  plan.toJson()));
          return plan;
        });
  }

  /** The plan of that name, within the caller's transaction. */
  public Optional<Plan> byName(Handle h, String name) {
    return store.byName(h, name);
  }

  private static long positive(List<FieldError> errors, String field, long value) {
    if (value <= 0) {
      errors.add(
          new FieldError(
              field,
              "must be a positive quantity such as " + ("cpu".equals(field) ? "500m" : "2Gi")));
    }
    return value;
  }
}
