package io.wingu.controlplane.institutions;

import io.wingu.controlplane.auth.Scope;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/** SQL for institutions and their delegated domains. */
final class InstitutionStore {

  private static final String SELECT =
      "SELECT i.id, i.code, i.name, i.name_sw, i.contact_email, i.created_at,"
          + " coalesce((SELECT array_agg(d.domain ORDER BY d.domain) FROM institution_domain d"
          + " WHERE d.institution_id = i.id), '{}') AS domains FROM institution i";

  Institution insert(Connection c, Institution i) throws SQLException {
    try (var st =
        c.prepareStatement(
            "INSERT INTO institution (id, code, name, name_sw, contact_email, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)")) {
      st.setObject(1, i.id());
      st.setString(2, i.code());
      st.setString(3, i.name());
      st.setString(4, i.nameSw());
      st.setString(5, i.contactEmail());
      st.setObject(6, OffsetDateTime.ofInstant(i.createdAt(), java.time.ZoneOffset.UTC));
      st.executeUpdate();
    }
    // one row at a time, so a refusal names the domain (the database refuses overlaps, see V11)
    try (var st =
        c.prepareStatement(
            "INSERT INTO institution_domain (domain, institution_id) VALUES (?, ?)")) {
      for (String d : i.domains()) {
        st.setString(1, d);
        st.setObject(2, i.id());
        st.executeUpdate();
      }
    }
    return i;
  }

  Optional<Institution> find(Connection c, Scope scope, UUID id) throws SQLException {
    try (var st = c.prepareStatement(SELECT + " WHERE i.id = ? AND " + scope.sql("i.id"))) {
      st.setObject(1, id);
      st.setObject(2, scope.parameter());
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  /** Institutions ordered by code, after {@code afterCode} (null for the first page). */
  List<Institution> list(Connection c, Scope scope, String afterCode, int max) throws SQLException {
    try (var st =
        c.prepareStatement(
            SELECT
                + " WHERE "
                + scope.sql("i.id")
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

  /**
   * Who holds the domains the given (normalised) hostnames could fall under: every delegation equal
   * to one of them or a parent of one, for {@link DnsNames#holder}.
   */
  static List<Delegation> delegationsCovering(Connection c, Collection<String> hostnames)
      throws SQLException {
    Set<String> candidates = new TreeSet<>();
    // a name that is not one covers nothing (and may hold bytes PostgreSQL refuses, such as NUL)
    hostnames.stream()
        .filter(h -> DnsNames.problem(h) == null)
        .forEach(h -> candidates.addAll(DnsNames.suffixes(h)));
    List<Delegation> out = new ArrayList<>();
    if (candidates.isEmpty()) {
      return out;
    }
    try (var st =
        c.prepareStatement(
            "SELECT lower(rtrim(domain, '.')), institution_id FROM institution_domain"
                + " WHERE lower(rtrim(domain, '.')) = ANY (?)")) {
      st.setArray(1, c.createArrayOf("text", candidates.toArray()));
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(new Delegation(rs.getString(1), rs.getObject(2, UUID.class)));
        }
      }
    }
    return out;
  }

  private static Institution read(ResultSet rs) throws SQLException {
    Array domains = rs.getArray("domains");
    return new Institution(
        rs.getObject("id", UUID.class),
        rs.getString("code"),
        rs.getString("name"),
        rs.getString("name_sw"),
        Arrays.asList((String[]) domains.getArray()),
        rs.getString("contact_email"),
        rs.getObject("created_at", OffsetDateTime.class).toInstant());
  }
}
