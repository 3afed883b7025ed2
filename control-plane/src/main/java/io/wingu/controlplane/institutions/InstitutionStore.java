package io.wingu.controlplane.institutions;

import io.wingu.controlplane.app.Problem;
import io.wingu.controlplane.app.SqlStates;
import io.wingu.controlplane.auth.Scope;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL for institutions and their delegated domains. */
public final class InstitutionStore {

  private static final String SELECT = "SELECT i.id, i.code, i.name, i.name_sw, i.contact_email, i.created_at,"
      + " coalesce((SELECT array_agg(d.domain ORDER BY d.domain) FROM institution_domain d"
      + " WHERE d.institution_id = i.id), '{}') AS domains FROM institution i";

  public Institution insert(Connection c, Institution i) throws SQLException {
    try (var st = c.prepareStatement("INSERT INTO institution (id, code, name, name_sw, contact_email, created_at)"
        + " VALUES (?, ?, ?, ?, ?, ?)")) {
      st.setObject(1, i.id());
      st.setString(2, i.code());
      st.setString(3, i.name());
      st.setString(4, i.nameSw());
      st.setString(5, i.contactEmail());
      st.setObject(6, OffsetDateTime.ofInstant(i.createdAt(), java.time.ZoneOffset.UTC));
      st.executeUpdate();
    } catch (SQLException e) {
      if (SqlStates.isUniqueViolation(e, "institution_code_key")) {
        throw Problem.conflict("An institution with code '" + i.code() + "' already exists");
      }
      throw e;
    }
    try (var st = c.prepareStatement("INSERT INTO institution_domain (domain, institution_id) VALUES (?, ?)")) {
      for (String d : i.domains()) {
        st.setString(1, d);
        st.setObject(2, i.id());
        st.addBatch();
      }
      st.executeBatch();
    } catch (SQLException e) {
      if (e.getSQLState() != null && e.getSQLState().equals(SqlStates.UNIQUE_VIOLATION)
          || (e.getNextException() != null && SqlStates.UNIQUE_VIOLATION.equals(e.getNextException().getSQLState()))) {
        throw Problem.conflict("One of the domains " + i.domains() + " is already delegated to another institution");
      }
      throw e;
    }
    return i;
  }

  public Optional<Institution> find(Connection c, Scope scope, UUID id) throws SQLException {
    try (var st = c.prepareStatement(SELECT + " WHERE i.id = ? AND " + scope.sql("i.id"))) {
      st.setObject(1, id);
      st.setObject(2, scope.parameter());
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  /** Institutions ordered by code, after {@code afterCode} (null for the first page). */
  /** A page of institutions by code, as GET /institutions answers it: {@code items} and {@code nextCursor}. */
  public io.vertx.core.json.JsonObject page(Connection c, Scope scope, io.wingu.controlplane.app.Page page)
      throws SQLException {
    String after = page.after().map(k -> k.text("code")).orElse(null);
    return page.answer(list(c, scope, after, page.fetchSize()), Institution::toJson,
        i -> new io.vertx.core.json.JsonObject().put("code", i.code()));
  }

  public List<Institution> list(Connection c, Scope scope, String afterCode, int max) throws SQLException {
    try (var st = c.prepareStatement(SELECT + " WHERE " + scope.sql("i.id")
        + " AND (?::text IS NULL OR i.code > ?::text) ORDER BY i.code LIMIT ?")) {
      st.setObject(1, scope.parameter());
      st.setString(2, afterCode);
      st.setString(3, afterCode);
      st.setInt(4, max);
      List<Institution> out = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(read(rs));
        }
      }
      return out;
    }
  }

  private static Institution read(ResultSet rs) throws SQLException {
    Array domains = rs.getArray("domains");
    return new Institution(rs.getObject("id", UUID.class), rs.getString("code"), rs.getString("name"),
        rs.getString("name_sw"), Arrays.asList((String[]) domains.getArray()), rs.getString("contact_email"),
        rs.getObject("created_at", OffsetDateTime.class).toInstant());
  }

}
