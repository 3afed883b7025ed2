package io.wingu.controlplane.scorecard;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * SQL for published months. Rows are only ever inserted: the application role has no UPDATE or
 * DELETE on these tables, and a trigger refuses both to anyone else.
 */
final class ScorecardStore {

  private static final String PUBLICATION =
      "SELECT month, version, published_at, published_by, weights, median, note"
          + " FROM scorecard_publication";

  /** Every version of a month, oldest first. */
  public List<Publication> versions(Handle h, YearMonth month) {
    return h.createQuery(PUBLICATION + " WHERE month = :month ORDER BY version")
        .bind("month", month.atDay(1))
        .map(ScorecardStore::publication)
        .list();
  }

  /** Every publication of every month, newest month first, versions oldest first. */
  public List<Publication> all(Handle h) {
    return h.createQuery(PUBLICATION + " ORDER BY month DESC, version")
        .map(ScorecardStore::publication)
        .list();
  }

  private static Publication publication(ResultSet rs, StatementContext ctx) throws SQLException {
    Map<String, Integer> weights = new LinkedHashMap<>();
    new JsonObject(rs.getString("weights"))
        .forEach(e -> weights.put(e.getKey(), ((Number) e.getValue()).intValue()));
    return new Publication(
        YearMonth.from(rs.getObject("month", LocalDate.class)),
        rs.getInt("version"),
        rs.getObject("published_at", OffsetDateTime.class).toInstant(),
        rs.getString("published_by"),
        weights,
        rs.getDouble("median"),
        rs.getString("note"));
  }

  /**
   * Inserts the next version of the month with its ranking; the primary key stops two racing
   * publishers.
   */
  public void insert(Handle h, Publication p, List<Score> ranking) {
    h.createUpdate(
            "INSERT INTO scorecard_publication (month, version, published_at, published_by,"
                + " weights, median, note) VALUES (:month, :version, :publishedAt, :publishedBy,"
                + " :weights::jsonb, :median, :note)")
        .bind("month", p.month().atDay(1))
        .bind("version", p.version())
        .bind("publishedAt", p.publishedAt())
        .bind("publishedBy", p.publishedBy())
        .bind("weights", new JsonObject(new LinkedHashMap<>(p.weights())).encode())
        .bind("median", p.median())
        .bind("note", p.note())
        .execute();
    PreparedBatch entries =
        h.prepareBatch(
            "INSERT INTO scorecard_entry (month, version, institution_id, rank, score, criteria)"
                + " VALUES (:month, :version, :institutionId, :rank, :score, :criteria::jsonb)");
    for (Score s : ranking) {
      JsonArray criteria = new JsonArray();
      s.criteria().forEach(r -> criteria.add(r.toJson()));
      entries
          .bind("month", p.month().atDay(1))
          .bind("version", p.version())
          .bind("institutionId", s.institutionId())
          .bind("rank", s.rank())
          .bind("score", s.score())
          .bind("criteria", criteria.encode())
          .add();
    }
    if (entries.size() > 0) {
      entries.execute();
    }
  }

  /** The ranking of one version, best first; {@code institutionId} limits it to one institution. */
  public List<Score> entries(Handle h, YearMonth month, int version, UUID institutionId) {
    var query =
        h.createQuery(
                "SELECT e.institution_id, i.code, i.name, i.name_sw, e.score, e.rank, e.criteria"
                    + " FROM scorecard_entry e JOIN institution i ON i.id = e.institution_id"
                    + " WHERE e.month = :month AND e.version = :version"
                    + (institutionId == null ? "" : " AND e.institution_id = :institutionId")
                    + " ORDER BY e.rank, i.code")
            .bind("month", month.atDay(1))
            .bind("version", version);
    if (institutionId != null) {
      query.bind("institutionId", institutionId);
    }
    return query
        .map(
            (rs, ctx) -> {
              List<Score.Result> criteria = new ArrayList<>();
              new JsonArray(rs.getString("criteria"))
                  .forEach(o -> criteria.add(Score.Result.from((JsonObject) o)));
              return new Score(
                  rs.getObject("institution_id", UUID.class),
                  rs.getString("code"),
                  rs.getString("name"),
                  rs.getString("name_sw"),
                  rs.getDouble("score"),
                  rs.getInt("rank"),
                  criteria);
            })
        .list();
  }

  /** One institution's place in the latest version of every published month, newest month first. */
  public List<JsonObject> history(Handle h, UUID institutionId) {
    return h.createQuery(
            "SELECT e.month, e.version, e.score, e.rank,"
                + " (SELECT count(*) FROM scorecard_entry x WHERE x.month = e.month AND x.version = e.version) AS ranked,"
                + " p.median FROM scorecard_entry e"
                + " JOIN scorecard_publication p ON p.month = e.month AND p.version = e.version"
                + " WHERE e.institution_id = :institutionId AND e.version = (SELECT max(version)"
                + "   FROM scorecard_publication q WHERE q.month = e.month) ORDER BY e.month DESC")
        .bind("institutionId", institutionId)
        .map(
            (rs, ctx) ->
                new JsonObject()
                    .put("month", YearMonth.from(rs.getObject("month", LocalDate.class)).toString())
                    .put("version", rs.getInt("version"))
                    .put("score", rs.getDouble("score"))
                    .put("rank", rs.getInt("rank"))
                    .put("ranked", rs.getInt("ranked"))
                    .put("median", rs.getDouble("median")))
        .list();
  }
}
