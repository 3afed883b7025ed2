package io.wingu.controlplane.systems;

import io.wingu.controlplane.app.Keyset;
import io.wingu.controlplane.caller.Scope;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** SQL for the ICT systems register; every query is limited to the caller's scope. */
final class SystemStore {

  private static final String COLUMNS =
      "s.id, s.institution_id, s.name, s.purpose, s.category, s.hosting,"
          + " s.built_by, s.users, s.reviewed_at, s.created_at, s.updated_at, s.updated_by";

  private static final RowMapper<IctSystem> SYSTEM = ConstructorMapper.of(IctSystem.class);

  public void insert(Handle h, IctSystem s) {
    h.createUpdate(
            "INSERT INTO ict_system (id, institution_id, name, purpose, category, hosting,"
                + " built_by, users, reviewed_at, created_at, updated_at, updated_by) VALUES (:id,"
                + " :institutionId, :name, :purpose, :category, :hosting, :builtBy, :users,"
                + " :reviewedAt, :createdAt, :updatedAt, :updatedBy)")
        .bindMethods(s)
        .execute();
  }

  /** Replaces what an admin writes of an existing entry (found before, in the same transaction). */
  public void update(Handle h, IctSystem s) {
    h.createUpdate(
            "UPDATE ict_system SET name = :name, purpose = :purpose, category = :category,"
                + " hosting = :hosting, built_by = :builtBy, users = :users, reviewed_at = :reviewedAt,"
                + " updated_at = :updatedAt, updated_by = :updatedBy"
                + " WHERE id = :id AND institution_id = :institutionId")
        .bindMethods(s)
        .execute();
  }

  public void delete(Handle h, UUID institutionId, UUID id) {
    h.createUpdate("DELETE FROM ict_system WHERE id = :id AND institution_id = :institutionId")
        .bind("id", id)
        .bind("institutionId", institutionId)
        .execute();
  }

  /** One entry of one institution, if the scope covers it; {@code lock} holds it for an update. */
  public Optional<IctSystem> find(
      Handle h, Scope scope, UUID institutionId, UUID id, boolean lock) {
    return scope
        .byId(h, "SELECT " + COLUMNS + " FROM ict_system s", "s", institutionId, id, lock)
        .map(SYSTEM)
        .findOne();
  }

  /** One page of an institution's entries, by name then id. */
  public List<IctSystem> list(Handle h, Scope scope, UUID institutionId, Keyset keyset) {
    return keyset
        .query(
            h,
            "SELECT "
                + COLUMNS
                + " FROM ict_system s WHERE s.institution_id = :institutionId AND "
                + scope.where("s.institution_id"))
        .bind("institutionId", institutionId)
        .bind("scope", scope.parameter())
        .map(SYSTEM)
        .list();
  }

  /** One system of a category that at least two institutions run, with its institution. */
  public record DuplicateRow(
      String category,
      int institutionCount,
      int systemCount,
      long totalUsers,
      UUID institutionId,
      String institutionCode,
      String institutionName,
      String institutionNameSw,
      UUID systemId,
      String systemName,
      String hosting,
      String builtBy,
      LocalDate reviewedAt) {}

  /**
   * Every system of every category run separately by at least two institutions of the scope: the
   * largest groups (most institutions, then most systems) first, institutions by code within a
   * group.
   */
  public List<DuplicateRow> duplicates(Handle h, Scope scope) {
    return h.createQuery(
            "WITH scoped AS (SELECT * FROM ict_system s WHERE "
                + scope.where("s.institution_id")
                + "), groups AS (SELECT category, count(DISTINCT institution_id) AS institution_count,"
                + " count(*) AS system_count, sum(users) AS total_users FROM scoped GROUP BY category"
                + " HAVING count(DISTINCT institution_id) >= 2)"
                + " SELECT g.category, g.institution_count, g.system_count, g.total_users,"
                + " i.id AS institution_id, i.code AS institution_code, i.name AS institution_name,"
                + " i.name_sw AS institution_name_sw, s.id AS system_id, s.name AS system_name,"
                + " s.hosting, s.built_by, s.reviewed_at"
                + " FROM groups g JOIN scoped s ON s.category = g.category JOIN institution i ON i.id = s.institution_id"
                + " ORDER BY g.institution_count DESC, g.system_count DESC, g.total_users DESC, g.category, i.code, s.name, s.id")
        .bind("scope", scope.parameter())
        .map(ConstructorMapper.of(DuplicateRow.class))
        .list();
  }
}
