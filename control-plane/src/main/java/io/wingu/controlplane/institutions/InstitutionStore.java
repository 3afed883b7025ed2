package io.wingu.controlplane.institutions;

import io.wingu.controlplane.app.Keyset;
import io.wingu.controlplane.caller.Scope;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** SQL for institutions and their delegated domains. */
final class InstitutionStore {

  private static final String SELECT =
      "SELECT i.id, i.code, i.name, i.name_sw, i.contact_email, i.created_at,"
          + " coalesce((SELECT array_agg(d.domain ORDER BY d.domain) FROM institution_domain d"
          + " WHERE d.institution_id = i.id), '{}') AS domains FROM institution i";

  private static final RowMapper<Institution> INSTITUTION = ConstructorMapper.of(Institution.class);

  private static final RowMapper<Delegation> DELEGATION = ConstructorMapper.of(Delegation.class);

  Institution insert(Handle h, Institution i) {
    h.createUpdate(
            "INSERT INTO institution (id, code, name, name_sw, contact_email, created_at)"
                + " VALUES (:id, :code, :name, :nameSw, :contactEmail, :createdAt)")
        .bindMethods(i)
        .execute();
    // one row at a time, so a refusal names the domain (the database refuses overlaps, see V11)
    for (String d : i.domains()) {
      h.createUpdate(
              "INSERT INTO institution_domain (domain, institution_id) VALUES (:domain, :id)")
          .bind("domain", d)
          .bind("id", i.id())
          .execute();
    }
    return i;
  }

  Optional<UUID> idByCode(Handle h, String code) {
    return h.createQuery("SELECT id FROM institution WHERE code = :code")
        .bind("code", code)
        .mapTo(UUID.class)
        .findOne();
  }

  Optional<Institution> find(Handle h, Scope scope, UUID id) {
    return scope
        .bind(h.createQuery(SELECT + " WHERE i.id = :id AND " + scope.where("i.id")))
        .bind("id", id)
        .map(INSTITUTION)
        .findOne();
  }

  /** The institutions among {@code ids} the scope covers. */
  List<Institution> findAll(Handle h, Scope scope, Collection<UUID> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return scope
        .bind(h.createQuery(SELECT + " WHERE i.id = ANY (:ids) AND " + scope.where("i.id")))
        .bindArray("ids", UUID.class, ids)
        .map(INSTITUTION)
        .list();
  }

  /** One page of the institutions the scope covers, by code. */
  List<Institution> list(Handle h, Scope scope, Keyset keyset) {
    return scope
        .bind(keyset.query(h, SELECT + " WHERE " + scope.where("i.id")))
        .map(INSTITUTION)
        .list();
  }

  /**
   * Who holds the domains the given (normalised) hostnames could fall under: every delegation equal
   * to one of them or a parent of one, for {@link DnsNames#holder}.
   */
  static List<Delegation> delegationsCovering(Handle h, Collection<String> hostnames) {
    Set<String> candidates = new TreeSet<>();
    // a name that is not one covers nothing (and may hold bytes PostgreSQL refuses, such as NUL)
    hostnames.stream()
        .filter(n -> DnsNames.problem(n) == null)
        .forEach(n -> candidates.addAll(DnsNames.suffixes(n)));
    if (candidates.isEmpty()) {
      return List.of();
    }
    return h.createQuery(
            "SELECT lower(rtrim(domain, '.')) AS domain, institution_id FROM institution_domain"
                + " WHERE lower(rtrim(domain, '.')) = ANY (:candidates)")
        .bindArray("candidates", String.class, candidates)
        .map(DELEGATION)
        .list();
  }
}
