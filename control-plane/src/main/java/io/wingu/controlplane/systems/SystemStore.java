package io.wingu.controlplane.systems;

import io.wingu.controlplane.auth.Scope;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL for the ICT systems register; every query is limited to the caller's scope. */
final class SystemStore {

  private static final String COLUMNS =
      "s.id, s.institution_id, s.name, s.purpose, s.category, s.hosting,"
          + " s.built_by, s.users, s.reviewed_at, s.created_at, s.updated_at, s.updated_by";

  public void insert(Connection c, IctSystem s) throws SQLException {
    try (var st =
        c.prepareStatement(
            "INSERT INTO ict_system (id, institution_id, name, purpose, category, hosting,"
                + " built_by, users, reviewed_at, created_at, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      st.setObject(1, s.id());
      st.setObject(2, s.institutionId());
      bindEntry(st, 3, s);
      st.setObject(10, OffsetDateTime.ofInstant(s.createdAt(), ZoneOffset.UTC));
      st.setObject(11, OffsetDateTime.ofInstant(s.updatedAt(), ZoneOffset.UTC));
      st.setString(12, s.updatedBy());
      st.executeUpdate();
    }
  }

  /** Replaces what an admin writes of an existing entry (found before, in the same transaction). */
  public void update(Connection c, IctSystem s) throws SQLException {
    try (var st =
        c.prepareStatement(
            "UPDATE ict_system SET name = ?, purpose = ?, category = ?, hosting = ?,"
                + " built_by = ?, users = ?, reviewed_at = ?, updated_at = ?, updated_by = ? WHERE id = ? AND institution_id = ?")) {
      bindEntry(st, 1, s);
      st.setObject(8, OffsetDateTime.ofInstant(s.updatedAt(), ZoneOffset.UTC));
      st.setString(9, s.updatedBy());
      st.setObject(10, s.id());
      st.setObject(11, s.institutionId());
      st.executeUpdate();
    }
  }

  public void delete(Connection c, UUID institutionId, UUID id) throws SQLException {
    try (var st =
        c.prepareStatement("DELETE FROM ict_system WHERE id = ? AND institution_id = ?")) {
      st.setObject(1, id);
      st.setObject(2, institutionId);
      st.executeUpdate();
    }
  }

  /** One entry of one institution, if the scope covers it; {@code lock} holds it for an update. */
  public Optional<IctSystem> find(
      Connection c, Scope scope, UUID institutionId, UUID id, boolean lock) throws SQLException {
    try (var st =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM ict_system s WHERE s.id = ? AND s.institution_id = ?"
                + " AND "
                + scope.sql("s.institution_id")
                + (lock ? " FOR UPDATE" : ""))) {
      st.setObject(1, id);
      st.setObject(2, institutionId);
      st.setObject(3, scope.parameter());
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  /**
   * An institution's entries by name then id, after ({@code afterName}, {@code afterId}) when
   * given.
   */
  public List<IctSystem> list(
      Connection c, Scope scope, UUID institutionId, String afterName, UUID afterId, int max)
      throws SQLException {
    try (var st =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM ict_system s WHERE s.institution_id = ? AND "
                + scope.sql("s.institution_id")
                + " AND (?::text IS NULL OR (s.name, s.id) > (?::text, ?::uuid))"
                + " ORDER BY s.name, s.id LIMIT ?")) {
      st.setObject(1, institutionId);
      st.setObject(2, scope.parameter());
      st.setString(3, afterName);
      st.setString(4, afterName);
      st.setObject(5, afterId);
      st.setInt(6, max);
      List<IctSystem> out = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(read(rs));
        }
      }
      return out;
    }
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
  public List<DuplicateRow> duplicates(Connection c, Scope scope) throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            "WITH scoped AS (SELECT * FROM ict_system s WHERE "
                + scope.sql("s.institution_id")
                + "), groups AS (SELECT category, count(DISTINCT institution_id) AS institutions,"
                + " count(*) AS systems, sum(users) AS total_users FROM scoped GROUP BY category"
                + " HAVING count(DISTINCT institution_id) >= 2)"
                + " SELECT g.category, g.institutions, g.systems, g.total_users, i.id AS institution_id, i.code, i.name AS"
                + " institution_name, i.name_sw, s.id, s.name, s.hosting, s.built_by, s.reviewed_at"
                + " FROM groups g JOIN scoped s ON s.category = g.category JOIN institution i ON i.id = s.institution_id"
                + " ORDER BY g.institutions DESC, g.systems DESC, g.total_users DESC, g.category, i.code, s.name, s.id")) {
      st.setObject(1, scope.parameter());
      List<DuplicateRow> out = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(
              new DuplicateRow(
                  rs.getString("category"),
                  rs.getInt("institutions"),
                  rs.getInt("systems"),
                  rs.getLong("total_users"),
                  rs.getObject("institution_id", UUID.class),
                  rs.getString("code"),
                  rs.getString("institution_name"),
                  rs.getString("name_sw"),
                  rs.getObject("id", UUID.class),
                  rs.getString("name"),
                  rs.getString("hosting"),
                  rs.getString("built_by"),
                  rs.getObject("reviewed_at", LocalDate.class)));
        }
      }
      return out;
    }
  }

  private static void bindEntry(PreparedStatement st, int first, IctSystem s) throws SQLException {
    st.setString(first, s.name());
    st.setString(first + 1, s.purpose());
    st.setString(first + 2, s.category());
    st.setString(first + 3, s.hosting());
    st.setString(first + 4, s.builtBy());
    st.setInt(first + 5, s.users());
    st.setObject(first + 6, s.reviewedAt());
  }

  private static IctSystem read(ResultSet rs) throws SQLException {
    return new IctSystem(
        rs.getObject("id", UUID.class),
        rs.getObject("institution_id", UUID.class),
        rs.getString("name"),
        rs.getString("purpose"),
        rs.getString("category"),
        rs.getString("hosting"),
        rs.getString("built_by"),
        rs.getInt("users"),
        rs.getObject("reviewed_at", LocalDate.class),
        rs.getObject("created_at", OffsetDateTime.class).toInstant(),
        rs.getObject("updated_at", OffsetDateTime.class).toInstant(),
        rs.getString("updated_by"));
  }
}
