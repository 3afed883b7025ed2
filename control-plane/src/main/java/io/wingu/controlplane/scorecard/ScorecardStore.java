package io.wingu.controlplane.scorecard;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * SQL for published months. Rows are only ever inserted: the application role has no UPDATE or
 * DELETE on these tables, and a trigger refuses both to anyone else.
 */
final class ScorecardStore {

  /** Every version of a month, oldest first. */
  public List<Publication> versions(Connection c, YearMonth month) throws SQLException {
    try (var st =
        c.prepareStatement(
            "SELECT month, version, published_at, published_by, weights, median, note"
                + " FROM scorecard_publication WHERE month = ? ORDER BY version")) {
      st.setObject(1, month.atDay(1));
      return readPublications(st);
    }
  }

  /** Every publication of every month, newest month first, versions oldest first. */
  public List<Publication> all(Connection c) throws SQLException {
    try (var st =
        c.prepareStatement(
            "SELECT month, version, published_at, published_by, weights, median, note"
                + " FROM scorecard_publication ORDER BY month DESC, version")) {
      return readPublications(st);
    }
  }

  private static List<Publication> readPublications(java.sql.PreparedStatement st)
      throws SQLException {
    List<Publication> out = new ArrayList<>();
    try (ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        Map<String, Integer> weights = new LinkedHashMap<>();
        new JsonObject(rs.getString(5))
            .forEach(e -> weights.put(e.getKey(), ((Number) e.getValue()).intValue()));
        out.add(
            new Publication(
                YearMonth.from(rs.getObject(1, LocalDate.class)),
                rs.getInt(2),
                rs.getObject(3, OffsetDateTime.class).toInstant(),
                rs.getString(4),
                weights,
                rs.getDouble(6),
                rs.getString(7)));
      }
    }
    return out;
  }

  /**
   * Inserts the next version of the month with its ranking; the primary key stops two racing
   * publishers.
   */
  public void insert(Connection c, Publication p, List<Score> ranking) throws SQLException {
    try (var st =
        c.prepareStatement(
            "INSERT INTO scorecard_publication (month, version, published_at, published_by,"
                + " weights, median, note) VALUES (?, ?, ?, ?, ?::jsonb, ?, ?)")) {
      st.setObject(1, p.month().atDay(1));
      st.setInt(2, p.version());
      st.setObject(3, OffsetDateTime.ofInstant(p.publishedAt(), ZoneOffset.UTC));
      st.setString(4, p.publishedBy());
      st.setString(5, new JsonObject(new LinkedHashMap<>(p.weights())).encode());
      st.setDouble(6, p.median());
      st.setString(7, p.note());
      st.executeUpdate();
    }
    try (var st =
        c.prepareStatement(
            "INSERT INTO scorecard_entry (month, version, institution_id, rank, score,"
                + " criteria) VALUES (?, ?, ?, ?, ?, ?::jsonb)")) {
      int batched = 0;
      for (Score s : ranking) {
        st.setObject(1, p.month().atDay(1));
        st.setInt(2, p.version());
        st.setObject(3, s.institutionId());
        st.setInt(4, s.rank());
        st.setDouble(5, s.score());
        JsonArray criteria = new JsonArray();
        s.criteria().forEach(r -> criteria.add(r.toJson()));
        st.setString(6, criteria.encode());
        st.addBatch();
        if (++batched % 1000 == 0) {
          st.executeBatch();
        }
      }
      st.executeBatch();
    }
  }

  /** The ranking of one version, best first; {@code institutionId} limits it to one institution. */
  public List<Score> entries(Connection c, YearMonth month, int version, UUID institutionId)
      throws SQLException {
    try (var st =
        c.prepareStatement(
            "SELECT e.institution_id, i.code, i.name, i.name_sw, e.score, e.rank, e.criteria"
                + " FROM scorecard_entry e JOIN institution i ON i.id = e.institution_id"
                + " WHERE e.month = ? AND e.version = ? AND (?::uuid IS NULL OR e.institution_id = ?::uuid)"
                + " ORDER BY e.rank, i.code")) {
      st.setObject(1, month.atDay(1));
      st.setInt(2, version);
      st.setObject(3, institutionId);
      st.setObject(4, institutionId);
      List<Score> out = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          List<Score.Result> criteria = new ArrayList<>();
          new JsonArray(rs.getString(7))
              .forEach(o -> criteria.add(Score.Result.from((JsonObject) o)));
          out.add(
              new Score(
                  rs.getObject(1, UUID.class),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getDouble(5),
                  rs.getInt(6),
                  criteria));
        }
      }
      return out;
    }
  }

  /** One institution's place in the latest version of every published month, newest month first. */
  public List<JsonObject> history(Connection c, UUID institutionId) throws SQLException {
    try (var st =
        c.prepareStatement(
            "SELECT e.month, e.version, e.score, e.rank,"
                + " (SELECT count(*) FROM scorecard_entry x WHERE x.month = e.month AND x.version = e.version) AS ranked,"
                + " p.median FROM scorecard_entry e"
                + " JOIN scorecard_publication p ON p.month = e.month AND p.version = e.version"
                + " WHERE e.institution_id = ? AND e.version = (SELECT max(version) FROM scorecard_publication q"
                + "   WHERE q.month = e.month) ORDER BY e.month DESC")) {
      st.setObject(1, institutionId);
      List<JsonObject> out = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(
              new JsonObject()
                  .put("month", YearMonth.from(rs.getObject(1, LocalDate.class)).toString())
                  .put("version", rs.getInt(2))
                  .put("score", rs.getDouble(3))
                  .put("rank", rs.getInt(4))
                  .put("ranked", rs.getInt(5))
                  .put("median", rs.getDouble(6)));
        }
      }
      return out;
    }
  }
}
