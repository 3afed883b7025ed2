package io.wingu.controlplane.institutions;

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
import io.wingu.controlplane.auth.Account;
import io.wingu.controlplane.auth.AccountService;
import io.wingu.controlplane.caller.Caller;
import io.wingu.controlplane.caller.Role;
import io.wingu.controlplane.caller.Scope;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Institutions, their delegated domains and their users: the one way in for the API, the console
 * and the other capabilities. Each call sees only what the caller's scope covers; an institution
 * outside it is not found.
 */
public final class InstitutionService {

  /** Institutions are listed by code: a cursor names the last code seen. */
  public static final Cursor.Shape CURSOR = Cursor.Shape.of(Cursor.Part.text("code"));

  /** One institution with its people, as its page shows them. */
  public record Members(Institution institution, List<Account> users) {}

  private final AuditedDatabase db;
  private final InstitutionStore store = new InstitutionStore();
  private final AccountService accounts;

  public InstitutionService(AuditedDatabase db, AccountService accounts) {
    this.db = db;
    this.accounts = accounts;
  }

  /**
   * Checks the domains and records a new institution (input already valid against the contract). A
   * taken code or a domain that overlaps another institution's is refused by the database.
   */
  public Future<Institution> create(
      Caller caller,
      String code,
      String name,
      String nameSw,
      List<String> requestedDomains,
      String contactEmail,
      String requestId) {
    // compared and stored in one spelling: MOH.go.tz. is moh.go.tz (DnsNames.normalise)
    List<FieldError> errors = new ArrayList<>();
    for (int i = 0; i < requestedDomains.size(); i++) {
      String problem = DnsNames.problem(DnsNames.normalise(requestedDomains.get(i)));
      if (problem != null) {
        errors.add(new FieldError("domains[" + i + "]", problem));
      }
    }
    if (!errors.isEmpty()) {
      return Future.failedFuture(
          DomainError.invalid("Some domains are not valid DNS names", errors));
    }
    List<String> domains = requestedDomains.stream().map(DnsNames::normalise).distinct().toList();
    Institution inst =
        new Institution(UUID.randomUUID(), code, name, nameSw, domains, contactEmail, db.now());
    return db.inTransaction(
        h -> {
          store.insert(h, inst);
          db.audit(
              h,
              new AuditEntry(
                  caller.username(),
                  "institution.create",
                  "institution/" + inst.code(),
                  inst.id(),
                  requestId,
                  null,
                  inst.toJson()));
          return inst;
        });
  }

  /** One page of the institutions the caller may see, by code. */
  public Future<Listing<Institution>> list(Caller caller, Page page) {
    return db.withHandle(
        h ->
            page.listing(
                store.list(h, caller.scope(), Keyset.ascending(page, "i.code")),
                i -> new JsonObject().put("code", i.code())));
  }

  /** The institution, when the caller may see it. */
  public Future<Institution> get(Caller caller, UUID id) {
    return db.withHandle(h -> get(h, caller.scope(), id));
  }

  /**
   * The institutions among {@code ids} the caller may see, by id: for pages that name the
   * institution of each row (the others are simply absent).
   */
  public Future<Map<UUID, Institution>> byIds(Caller caller, Collection<UUID> ids) {
    Set<UUID> distinct = new LinkedHashSet<>(ids);
    distinct.remove(null);
    return db.withHandle(
        h -> {
          Map<UUID, Institution> out = new HashMap<>();
          store.findAll(h, caller.scope(), distinct).forEach(i -> out.put(i.id(), i));
          return out;
        });
  }

  /** The institution with its people (never agents or platform accounts), by username. */
  public Future<Members> members(Caller caller, UUID id) {
    return db.withHandle(
        h -> {
          Institution inst = get(h, caller.scope(), id);
          return new Members(inst, accounts.listByInstitution(h, inst.id()));
        });
  }

  /**
   * Creates a user of the institution, when the caller may see it (rules of {@link
   * AccountService#create}).
   */
  public Future<Account> createUser(
      Caller caller, UUID id, String username, String password, Role role, String requestId) {
    return get(caller, id)
        .compose(
            inst ->
                accounts.create(
                    caller, username, password, role, Optional.of(inst.id()), requestId));
  }

  /**
   * The institution whose code is {@code code}, within the caller's transaction: how sign-in by the
   * identity provider finds the institution a person's claim names.
   */
  public Optional<UUID> idByCode(Handle h, String code) {
    return store.idByCode(h, code);
  }

  /** The institution, if {@code scope} covers it, within the caller's transaction. */
  public Optional<Institution> find(Handle h, Scope scope, UUID id) {
    return store.find(h, scope, id);
  }

  /**
   * The institution, within the caller's transaction; not found (a {@link DomainError}) when {@code
   * scope} does not cover it.
   */
  public Institution get(Handle h, Scope scope, UUID id) {
    return store.find(h, scope, id).orElseThrow(() -> notFound(id));
  }

  /**
   * Who holds the domains the given (normalised) hostnames could fall under, within the caller's
   * transaction: every delegation equal to one of them or a parent of one, for {@link
   * DnsNames#holder}.
   */
  public static List<Delegation> delegationsCovering(Handle h, Collection<String> hostnames) {
    return InstitutionStore.delegationsCovering(h, hostnames);
  }

  static DomainError notFound(UUID id) {
    return DomainError.notFound("No institution " + id);
  }
}
