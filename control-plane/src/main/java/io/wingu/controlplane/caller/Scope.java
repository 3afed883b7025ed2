package io.wingu.controlplane.caller;

import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * Tenant scoping, in one place: every store query for institution-owned rows takes a Scope and
 * filters with {@link #sql(String)}, so a caller of institution A can never read B's rows — they
 * simply are not found (404).
 */
public final class Scope {

  private enum Kind {
    PLATFORM,
    INSTITUTION,
    NOTHING
  }

  private final Kind kind;
  private final UUID institutionId;

  private Scope(Kind kind, UUID institutionId) {
    this.kind = kind;
    this.institutionId = institutionId;
  }

  public static Scope platform() {
    return new Scope(Kind.PLATFORM, null);
  }

  public static Scope institution(UUID id) {
    return new Scope(Kind.INSTITUTION, id);
  }

  static Scope nothing() {
    return new Scope(Kind.NOTHING, null);
  }

  public Optional<UUID> institutionId() {
    return Optional.ofNullable(institutionId);
  }

  public boolean coversPlatform() {
    return kind == Kind.PLATFORM;
  }

  public boolean covers(UUID institution) {
    return kind == Kind.PLATFORM || (kind == Kind.INSTITUTION && institutionId.equals(institution));
  }

  /**
   * A predicate on {@code column} with one {@code ?} placeholder: bind it with {@link
   * #parameter()}. Platform scope matches all rows, institution scope its own, nothing none.
   */
  public String sql(String column) {
    return switch (kind) {
      case PLATFORM -> "(?::uuid IS NULL)";
      case INSTITUTION -> column + " = ?::uuid";
      case NOTHING -> "(?::uuid IS NOT NULL AND false)";
    };
  }

  /**
   * The same predicate with the named parameter {@code :scope}, for Jdbi statements: bind it with
   * {@link #bind}.
   */
  public String where(String column) {
    return switch (kind) {
      case PLATFORM -> "(CAST(:scope AS uuid) IS NULL)";
      case INSTITUTION -> column + " = :scope";
      case NOTHING -> "(CAST(:scope AS uuid) IS NOT NULL AND false)";
    };
  }

  /** Binds {@code :scope} of {@link #where}. */
  public <S extends SqlStatement<S>> S bind(S statement) {
    return statement.bindByType("scope", parameter(), UUID.class);
  }

  /**
   * {@code selectWhere}, a query that ends in its {@code WHERE} conditions, kept to the rows this
   * scope covers by {@code column}, then {@code tail} (a locking clause, or empty); {@code :scope}
   * bound.
   */
  public Query query(Handle h, String selectWhere, String column, String tail) {
    return bind(h.createQuery(selectWhere + " AND " + where(column) + tail));
  }

  /**
   * The row of {@code select} (a query up to its {@code FROM}, naming the row's table {@code
   * alias}) whose id is {@code id}, when this scope covers its {@code institution_id}; locked for
   * an update when {@code forUpdate}.
   */
  public Query byId(Handle h, String select, String alias, UUID id, boolean forUpdate) {
    return query(
            h,
            select + " WHERE " + alias + ".id = :id",
            alias + ".institution_id",
            forUpdate ? " FOR UPDATE OF " + alias : "")
        .bind("id", id);
  }

  /**
   * As {@link #byId}, the row also of the institution {@code institutionId}: what an institution's
   * own records (its directory entries, its systems) are found by.
   */
  public Query byId(
      Handle h, String select, String alias, UUID institutionId, UUID id, boolean forUpdate) {
    return query(
            h,
            select
                + " WHERE "
                + alias
                + ".id = :id AND "
                + alias
                + ".institution_id = :institutionId",
            alias + ".institution_id",
            forUpdate ? " FOR UPDATE OF " + alias : "")
        .bind("id", id)
        .bind("institutionId", institutionId);
  }

  public Object parameter() {
    return kind == Kind.INSTITUTION ? institutionId : null;
  }
}
