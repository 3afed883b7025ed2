package io.wingu.controlplane.institutions;

import io.wingu.controlplane.app.FieldError;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Access;
import io.wingu.controlplane.app.ApiOperations;
import io.wingu.controlplane.app.Database;
import io.wingu.controlplane.app.Page;
import io.wingu.controlplane.app.DomainError;
import io.wingu.controlplane.app.Respond;
import io.wingu.controlplane.audit.AuditEntry;
import io.wingu.controlplane.audit.AuditLog;
import io.wingu.controlplane.auth.AuthRoutes;
import io.wingu.controlplane.auth.Caller;
import io.wingu.controlplane.auth.Role;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Institutions and their users. */
public final class InstitutionRoutes {

  private final Database db;
  private final InstitutionStore institutions;
  private final AuthRoutes auth;
  private final AuditLog audit;
  private final Clock clock;

  public InstitutionRoutes(Database db, InstitutionStore institutions, AuthRoutes auth, AuditLog audit, Clock clock) {
    this.db = db;
    this.institutions = institutions;
    this.auth = auth;
    this.audit = audit;
    this.clock = clock;
  }

  public void addTo(ApiOperations api) {
    api.add("createInstitution", Access.roles(Role.OPERATOR), this::create);
    api.add("listInstitutions", Access.readers(), this::list);
    api.add("getInstitution", Access.readers(), this::get);
    api.add("createInstitutionUser", Access.roles(Role.OPERATOR, Role.INSTITUTION_ADMIN), this::createUser);
  }

  private void create(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    List<String> domains = body.getJsonArray("domains").stream().map(String.class::cast).toList();
    Respond.json(ctx, 201, create(ApiOperations.caller(ctx), body.getString("code"), body.getString("name"),
        body.getString("nameSw"), domains, body.getString("contactEmail"), Respond.requestId(ctx))
        .map(Institution::toJson));
  }

  /**
   * Checks the domains and records a new institution (input already valid against the contract);
   * the API and the web console both create institutions through here.
   */
  public io.vertx.core.Future<Institution> create(Caller caller, String code, String name, String nameSw,
      List<String> requestedDomains, String contactEmail, String requestId) {
    // compared and stored in one spelling: MOH.go.tz. is moh.go.tz (DnsNames.normalise)
    List<FieldError> errors = new ArrayList<>();
    for (int i = 0; i < requestedDomains.size(); i++) {
      String problem = DnsNames.problem(DnsNames.normalise(requestedDomains.get(i)));
      if (problem != null) {
        errors.add(new FieldError("domains[" + i + "]", problem));
      }
    }
    List<String> domains = requestedDomains.stream().map(DnsNames::normalise).distinct().toList();
    if (!errors.isEmpty()) {
      return io.vertx.core.Future.failedFuture(DomainError.invalid("Some domains are not valid DNS names", errors));
    }
    Institution inst = new Institution(UUID.randomUUID(), code, name, nameSw, domains, contactEmail,
        clock.instant().truncatedTo(ChronoUnit.MICROS));
    return db.transaction(c -> {
      institutions.insert(c, inst);
      audit.append(c, new AuditEntry(caller.username(), "institution.create", "institution/" + inst.code(),
          inst.id(), requestId, null, inst.toJson()));
      return inst;
    });
  }

  private void list(RoutingContext ctx) {
    Caller caller = ApiOperations.caller(ctx);
    Page page = Page.from(ctx, InstitutionStore.CURSOR);
    Respond.json(ctx, 200, db.call(c -> institutions.page(c, caller.scope(), page)));
  }

  private void get(RoutingContext ctx) {
    Caller caller = ApiOperations.caller(ctx);
    UUID id = Respond.idParam(ctx, "id");
    Respond.json(ctx, 200, db.call(c -> institutions.find(c, caller.scope(), id)
        .orElseThrow(() -> notFound(id)).toJson()));
  }

  private void createUser(RoutingContext ctx) {
    Caller caller = ApiOperations.caller(ctx);
    UUID id = Respond.idParam(ctx, "id");
    JsonObject body = ctx.body().asJsonObject();
    Role role = Role.fromWire(body.getString("role")).orElseThrow();
    Respond.json(ctx, 201, db.call(c -> institutions.find(c, caller.scope(), id).orElseThrow(() -> notFound(id)))
        .compose(inst -> auth.createAccount(ctx, caller, body.getString("username"), body.getString("password"),
            role, Optional.of(inst.id()))));
  }

  static DomainError notFound(UUID id) {
    return DomainError.notFound("No institution " + id);
  }
}
