package io.wingu.controlplane.directory;

import io.wingu.controlplane.app.Keyset;
import io.wingu.controlplane.app.Page;
import io.wingu.controlplane.caller.Scope;
import io.wingu.controlplane.sites.ServedSite;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.Update;

/** SQL for directory entries and the public directory's search. */
final class DirectoryStore {

  private static final String COLUMNS =
      "s.id, s.institution_id, s.name_sw, s.name_en, s.description_sw,"
          + " s.description_en, s.url, s.category, s.region, s.hidden_reason, s.hidden_at, s.hidden_by, s.created_at,"
          + " s.updated_at";

  /**
   * The visitor's words as a query in both languages. A sub-select, so PostgreSQL parses them once
   * per statement (an InitPlan) rather than once per row it tests: with the statement's generic
   * plan (a prepared statement after five runs) the bare function calls were evaluated for every
   * institution and every matching service, most of the search's time.
   */
  static final String QUERY =
      "(SELECT websearch_to_tsquery('wingu_sw', :q) || websearch_to_tsquery('wingu_en', :q))";

  public void insert(Handle h, ServiceEntry e, String by) {
    bindEntry(
            h.createUpdate(
                "INSERT INTO directory_service (id, institution_id, name_sw, name_en,"
                    + " description_sw, description_en, url, category, region, created_at, updated_at, updated_by)"
                    + " VALUES (:id, :institutionId, :name.sw, :name.en, :description.sw,"
                    + " :description.en, :url, :category, :region, :createdAt, :updatedAt, :by)"),
            e,
            by)
        .execute();
  }

  public void update(Handle h, ServiceEntry e, String by) {
    bindEntry(
            h.createUpdate(
                "UPDATE directory_service SET name_sw = :name.sw, name_en = :name.en,"
                    + " description_sw = :description.sw, description_en = :description.en, url = :url,"
                    + " category = :category, region = :region, updated_at = :updatedAt, updated_by = :by"
                    + " WHERE id = :id"),
            e,
            by)
        .execute();
  }

  /** The entry's fields by name (its texts' as {@code :name.sw} and so on), and who wrote it. */
  private static Update bindEntry(Update u, ServiceEntry e, String by) {
    return u.bindMethods(e)
        .bindMethods("name", e.name())
        .bindMethods("description", e.description())
        .bind("by", by);
  }

  /** Hides ({@code hidden} given) or shows the entry again. */
  public void setHidden(Handle h, UUID id, ServiceEntry.Hidden hidden) {
    h.createUpdate(
            "UPDATE directory_service SET hidden_reason = :reason, hidden_at = :at, hidden_by = :by"
                + " WHERE id = :id")
        .bind("reason", hidden == null ? null : hidden.reason())
        .bind("at", hidden == null ? null : hidden.at())
        .bind("by", hidden == null ? null : hidden.by())
        .bind("id", id)
        .execute();
  }

  public void delete(Handle h, UUID id) {
    h.createUpdate("DELETE FROM directory_service WHERE id = :id").bind("id", id).execute();
  }

  /**
   * One entry of an institution within the caller's scope, locked for a change when {@code
   * forUpdate}.
   */
  public Optional<ServiceEntry> find(
      Handle h, Scope scope, UUID institutionId, UUID id, boolean forUpdate) {
    return scope
        .byId(
            h, "SELECT " + COLUMNS + " FROM directory_service s", "s", institutionId, id, forUpdate)
        .map(DirectoryStore::read)
        .findOne();
  }

  /** One page of an institution's entries, hidden ones too, by English name then id. */
  public List<ServiceEntry> list(Handle h, UUID institutionId, Keyset keyset) {
    return keyset
        .query(
            h,
            "SELECT "
                + COLUMNS
                + " FROM directory_service s WHERE s.institution_id = :institutionId")
        .bind("institutionId", institutionId)
        .map(DirectoryStore::read)
        .list();
  }

  /** The counter every change to what the directory shows moves on (triggers keep it). */
  public long version(Handle h) {
    return h.createQuery("SELECT version FROM directory_version").mapTo(Long.class).one();
  }

  /** An institution on a page of the public directory, with what it shows there. */
  public record Listed(
      UUID id,
      String code,
      String name,
      String nameSw,
      String sortKey,
      List<Site> sites,
      List<ServiceEntry> services) {}

  public record Site(String name, List<String> hostnames) {}

  /**
   * A page of the public directory: institutions in name order (in the asked language) that match;
   * an institution matches with no filter at all, by its own name for {@code q}, or by one of its
   * visible services meeting every filter. An institution found by its name shows all its services;
   * one found by its services shows those that matched. An institution with neither a served site
   * (of {@code served}) nor a visible service is never listed: it has nothing to show.
   */
  public List<Listed> search(Handle h, DirectorySearch s, Page page, List<ServedSite> served) {
    Map<UUID, List<Site>> sites = new HashMap<>();
    for (ServedSite site : served) {
      sites
          .computeIfAbsent(site.institutionId(), k -> new ArrayList<>())
          .add(new Site(site.name(), site.hostnames()));
    }
    String sortKey = "en".equals(s.lang()) ? "i.name" : "coalesce(i.name_sw, i.name)";
    Keyset keyset = Keyset.ascending(page, sortKey, "i.code");
    boolean serviceFilters = s.category() != null || s.region() != null;
    boolean byQueryAlone = s.q() != null && !serviceFilters;
    StringBuilder sql =
        new StringBuilder("SELECT i.id, i.code, i.name, i.name_sw, ")
            .append(sortKey)
            .append(" AS sort_key, ")
            // with no filter every institution is listed whole; with service filters only by them
            .append(
                byQueryAlone
                    ? "i.search @@ " + QUERY
                    : s.q() == null && !serviceFilters ? "true" : "false")
            .append(" AS by_name FROM institution i WHERE ");
    if (s.q() == null && !serviceFilters) {
      sql.append("true");
    } else {
      sql.append("(i.id IN (SELECT s.institution_id FROM directory_service s")
          .append(" WHERE s.hidden_at IS NULL")
          .append(serviceFilters(s))
          .append(")")
          .append(byQueryAlone ? " OR i.search @@ " + QUERY : "")
          .append(")");
    }
    sql.append(
        " AND (i.id = ANY (:served) OR EXISTS (SELECT 1 FROM directory_service v"
            + " WHERE v.institution_id = i.id AND v.hidden_at IS NULL))");
    Query query =
        bindFilters(keyset.query(h, sql.toString()), s)
            .bind("served", sites.keySet().toArray(UUID[]::new));

    Map<UUID, Listed> listed = new LinkedHashMap<>();
    Set<UUID> byName = new HashSet<>();
    for (var found :
        query
            .map(
                (rs, ctx) ->
                    Map.entry(
                        new Listed(
                            rs.getObject("id", UUID.class),
                            rs.getString("code"),
                            rs.getString("name"),
                            rs.getString("name_sw"),
                            rs.getString("sort_key"),
                            new ArrayList<>(),
                            new ArrayList<>()),
                        rs.getBoolean("by_name")))
            .list()) {
      listed.put(found.getKey().id(), found.getKey());
      if (found.getValue()) {
        byName.add(found.getKey().id());
      }
    }
    if (listed.isEmpty()) {
      return List.of();
    }
    UUID[] ids = listed.keySet().toArray(UUID[]::new);
    listed.forEach((id, l) -> l.sites().addAll(sites.getOrDefault(id, List.of())));
    addServices(h, s, ids, listed, byName);
    return List.copyOf(listed.values());
  }

  /** The category and region filters, and the query, as conditions on services {@code s}. */
  private static String serviceFilters(DirectorySearch s) {
    return (s.q() == null ? "" : " AND s.search @@ " + QUERY)
        + (s.category() == null ? "" : " AND s.category = :category")
        + (s.region() == null ? "" : " AND s.region = :region");
  }

  private static Query bindFilters(Query query, DirectorySearch s) {
    if (s.q() != null) {
      query.bind("q", s.q());
    }
    if (s.category() != null) {
      query.bind("category", s.category());
    }
    if (s.region() != null) {
      query.bind("region", s.region());
    }
    return query;
  }

  private static void addServices(
      Handle h, DirectorySearch s, UUID[] ids, Map<UUID, Listed> page, Set<UUID> byName) {
    String sql =
        "SELECT "
            + COLUMNS
            + ", "
            + (s.q() == null ? "true" : "s.search @@ " + QUERY)
            + " AS matched FROM directory_service s WHERE s.institution_id = ANY (:ids)"
            + " AND s.hidden_at IS NULL"
            + (s.category() == null ? "" : " AND s.category = :category")
            + (s.region() == null ? "" : " AND s.region = :region")
            + " ORDER BY "
            + ("en".equals(s.lang()) ? "s.name_en" : "s.name_sw")
            + ", s.id";
    bindFilters(h.createQuery(sql), s)
        .bind("ids", ids)
        .map((rs, ctx) -> Map.entry(read(rs, ctx), rs.getBoolean("matched")))
        .forEach(
            found -> {
              ServiceEntry e = found.getKey();
              if (found.getValue() || byName.contains(e.institutionId())) {
                page.get(e.institutionId()).services().add(e);
              }
            });
  }

  static ServiceEntry read(ResultSet rs, StatementContext ctx) throws SQLException {
    OffsetDateTime hiddenAt = rs.getObject("hidden_at", OffsetDateTime.class);
    return new ServiceEntry(
        rs.getObject("id", UUID.class),
        rs.getObject("institution_id", UUID.class),
        new ServiceEntry.Text(rs.getString("name_sw"), rs.getString("name_en")),
        new ServiceEntry.Text(rs.getString("description_sw"), rs.getString("description_en")),
        rs.getString("url"),
        rs.getString("category"),
        rs.getString("region"),
        hiddenAt == null
            ? null
            : new ServiceEntry.Hidden(
                rs.getString("hidden_reason"), hiddenAt.toInstant(), rs.getString("hidden_by")),
        rs.getObject("created_at", OffsetDateTime.class).toInstant(),
        rs.getObject("updated_at", OffsetDateTime.class).toInstant());
  }
}
