package io.wingu.controlplane.directory;

import io.wingu.controlplane.auth.Scope;
import io.wingu.controlplane.sites.ServedSite;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

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
      "(SELECT websearch_to_tsquery('wingu_sw', ?) || websearch_to_tsquery('wingu_en', ?))";

  public void insert(Connection c, ServiceEntry e, String by) throws SQLException {
    try (var st =
        c.prepareStatement(
            "INSERT INTO directory_service (id, institution_id, name_sw, name_en,"
                + " description_sw, description_en, url, category, region, created_at, updated_at, updated_by)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      st.setObject(1, e.id());
      st.setObject(2, e.institutionId());
      int i = bindInput(st, 3, e);
      st.setObject(i++, utc(e.createdAt()));
      st.setObject(i++, utc(e.updatedAt()));
      st.setString(i, by);
      st.executeUpdate();
    }
  }

  public void update(Connection c, ServiceEntry e, String by) throws SQLException {
    try (var st =
        c.prepareStatement(
            "UPDATE directory_service SET name_sw = ?, name_en = ?, description_sw = ?,"
                + " description_en = ?, url = ?, category = ?, region = ?, updated_at = ?, updated_by = ? WHERE id = ?")) {
      int i = bindInput(st, 1, e);
      st.setObject(i++, utc(e.updatedAt()));
      st.setString(i++, by);
      st.setObject(i, e.id());
      st.executeUpdate();
    }
  }

  private static int bindInput(PreparedStatement st, int i, ServiceEntry e) throws SQLException {
    st.setString(i++, e.name().sw());
    st.setString(i++, e.name().en());
    st.setString(i++, e.description().sw());
    st.setString(i++, e.description().en());
    st.setString(i++, e.url());
    st.setString(i++, e.category());
    st.setString(i++, e.region());
    return i;
  }

  /** Hides ({@code hidden} given) or shows the entry again. */
  public void setHidden(Connection c, UUID id, ServiceEntry.Hidden hidden) throws SQLException {
    try (var st =
        c.prepareStatement(
            "UPDATE directory_service SET hidden_reason = ?, hidden_at = ?, hidden_by = ?"
                + " WHERE id = ?")) {
      st.setString(1, hidden == null ? null : hidden.reason());
      st.setObject(2, hidden == null ? null : utc(hidden.at()));
      st.setString(3, hidden == null ? null : hidden.by());
      st.setObject(4, id);
      st.executeUpdate();
    }
  }

  public void delete(Connection c, UUID id) throws SQLException {
    try (var st = c.prepareStatement("DELETE FROM directory_service WHERE id = ?")) {
      st.setObject(1, id);
      st.executeUpdate();
    }
  }

  /**
   * One entry of an institution within the caller's scope, locked for a change when {@code
   * forUpdate}.
   */
  public Optional<ServiceEntry> find(
      Connection c, Scope scope, UUID institutionId, UUID id, boolean forUpdate)
      throws SQLException {
    try (var st =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM directory_service s WHERE s.id = ?"
                + " AND s.institution_id = ? AND "
                + scope.sql("s.institution_id")
                + (forUpdate ? " FOR UPDATE" : ""))) {
      st.setObject(1, id);
      st.setObject(2, institutionId);
      st.setObject(3, scope.parameter());
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  /** An institution's entries, hidden ones too, by English name then id, after the given key. */
  public List<ServiceEntry> list(
      Connection c, UUID institutionId, String afterName, UUID afterId, int max)
      throws SQLException {
    try (var st =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM directory_service s WHERE s.institution_id = ?"
                + " AND (?::text IS NULL OR (s.name_en, s.id) > (?::text, ?::uuid)) ORDER BY s.name_en, s.id LIMIT ?")) {
      st.setObject(1, institutionId);
      st.setString(2, afterName);
      st.setString(3, afterName);
      st.setObject(4, afterId);
      st.setInt(5, max);
      List<ServiceEntry> out = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(read(rs));
        }
      }
      return out;
    }
  }

  /** The counter every change to what the directory shows moves on (triggers keep it). */
  public long version(Connection c) throws SQLException {
    try (var st = c.prepareStatement("SELECT version FROM directory_version");
        ResultSet rs = st.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
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
  public List<Listed> search(Connection c, DirectorySearch s, int max, List<ServedSite> served)
      throws SQLException {
    Map<UUID, List<Site>> sites = new java.util.HashMap<>();
    for (ServedSite site : served) {
      sites
          .computeIfAbsent(site.institutionId(), k -> new ArrayList<>())
          .add(new Site(site.name(), site.hostnames()));
    }
    String sortKey = "en".equals(s.lang()) ? "i.name" : "coalesce(i.name_sw, i.name)";
    boolean serviceFilters = s.category() != null || s.region() != null;
    StringBuilder svc =
        new StringBuilder(
            "SELECT s.institution_id FROM directory_service s" + " WHERE s.hidden_at IS NULL");
    List<Object> params = new ArrayList<>();
    if (s.q() != null) {
      svc.append(" AND s.search @@ ").append(QUERY);
      params.add(s.q());
      params.add(s.q());
    }
    if (s.category() != null) {
      svc.append(" AND s.category = ?");
      params.add(s.category());
    }
    if (s.region() != null) {
      svc.append(" AND s.region = ?");
      params.add(s.region());
    }
    StringBuilder sql =
        new StringBuilder("SELECT i.id, i.code, i.name, i.name_sw, ")
            .append(sortKey)
            .append(" AS sort_key, ");
    if (s.q() != null && !serviceFilters) {
      sql.append("i.search @@ ").append(QUERY);
      params.add(0, s.q());
      params.add(0, s.q());
    } else {
      sql.append(s.q() == null && !serviceFilters ? "true" : "false");
    }
    sql.append(" AS by_name FROM institution i WHERE ");
    if (s.q() == null && !serviceFilters) {
      sql.append("true");
    } else {
      sql.append("(i.id IN (").append(svc).append(")");
      if (s.q() != null && !serviceFilters) {
        sql.append(" OR i.search @@ ").append(QUERY);
        params.add(s.q());
        params.add(s.q());
      }
      sql.append(")");
    }
    sql.append(
        " AND (i.id = ANY (?) OR EXISTS (SELECT 1 FROM directory_service v"
            + " WHERE v.institution_id = i.id AND v.hidden_at IS NULL))");
    params.add(c.createArrayOf("uuid", sites.keySet().toArray()));
    if (s.afterKey() != null) {
      sql.append(" AND (").append(sortKey).append(", i.code) > (?, ?)");
      params.add(s.afterKey());
      params.add(s.afterCode());
    }
    sql.append(" ORDER BY 5, i.code LIMIT ?");
    params.add(max);

    Map<UUID, Listed> page = new LinkedHashMap<>();
    Map<UUID, Boolean> byName = new java.util.HashMap<>();
    try (var st = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < params.size(); i++) {
        st.setObject(i + 1, params.get(i));
      }
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          UUID id = rs.getObject("id", UUID.class);
          page.put(
              id,
              new Listed(
                  id,
                  rs.getString("code"),
                  rs.getString("name"),
                  rs.getString("name_sw"),
                  rs.getString("sort_key"),
                  new ArrayList<>(),
                  new ArrayList<>()));
          byName.put(id, rs.getBoolean("by_name"));
        }
      }
    }
    if (page.isEmpty()) {
      return List.of();
    }
    UUID[] ids = page.keySet().toArray(UUID[]::new);
    page.forEach((id, listed) -> listed.sites().addAll(sites.getOrDefault(id, List.of())));
    addServices(c, s, ids, page, byName);
    return List.copyOf(page.values());
  }

  private static void addServices(
      Connection c,
      DirectorySearch s,
      UUID[] ids,
      Map<UUID, Listed> page,
      Map<UUID, Boolean> byName)
      throws SQLException {
    StringBuilder sql =
        new StringBuilder("SELECT ")
            .append(COLUMNS)
            .append(", ")
            .append(s.q() == null ? "true" : "s.search @@ " + QUERY)
            .append(
                " AS matched FROM directory_service s WHERE s.institution_id = ANY (?) AND s.hidden_at IS NULL");
    List<Object> params = new ArrayList<>();
    if (s.q() != null) {
      params.add(s.q());
      params.add(s.q());
    }
    params.add(c.createArrayOf("uuid", ids));
    if (s.category() != null) {
      sql.append(" AND s.category = ?");
      params.add(s.category());
    }
    if (s.region() != null) {
      sql.append(" AND s.region = ?");
      params.add(s.region());
    }
    sql.append(" ORDER BY ")
        .append("en".equals(s.lang()) ? "s.name_en" : "s.name_sw")
        .append(", s.id");
    try (var st = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < params.size(); i++) {
        st.setObject(i + 1, params.get(i));
      }
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          ServiceEntry e = read(rs);
          if (rs.getBoolean("matched") || byName.get(e.institutionId())) {
            page.get(e.institutionId()).services().add(e);
          }
        }
      }
    }
  }

  static ServiceEntry read(ResultSet rs) throws SQLException {
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

  private static OffsetDateTime utc(Instant at) {
    return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
  }
}
