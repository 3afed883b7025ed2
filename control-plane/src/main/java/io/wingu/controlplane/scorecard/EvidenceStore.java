package io.wingu.controlplane.scorecard;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Gathers every institution's evidence for a month in a handful of set-based queries (one per kind
 * of evidence, never one per institution), so 5,000 institutions take seconds.
 */
final class EvidenceStore {

  /**
   * The month's bounds: evidence counts what happened from {@code start} until {@code end}
   * (exclusive).
   */
  public record Period(OffsetDateTime start, OffsetDateTime end) {
    LocalDate lastDay() {
      return end.minusNanos(1).toLocalDate();
    }
  }

  private static final class Tally {
    final UUID id;
    final String code;
    final String name;
    final String nameSw;
    int deployed;
    int onNewest;
    int hostnames;
    int withTls;
    LocalDate lastChange;
    int live;
    int accessible;
    int alerts;
    int systems;
    int reviewed;
    int incomplete;

    Tally(UUID id, String code, String name, String nameSw) {
      this.id = id;
      this.code = code;
      this.name = name;
      this.nameSw = nameSw;
    }
  }

  /**
   * {@code newestVersion}: a template id's newest version in the catalogue (null when unknown);
   * {@code tls}: hosts with TLS by "code/site", empty when the cluster could not be read.
   */
  public List<Evidence> gather(
      Connection c,
      Period p,
      Function<String, String> newestVersion,
      Optional<Map<String, Set<String>>> tls)
      throws SQLException {
    Map<UUID, Tally> all = new LinkedHashMap<>();
    try (var st =
        c.prepareStatement(
            "SELECT id, code, name, name_sw FROM institution WHERE created_at < ?"
                + " ORDER BY code")) {
      st.setObject(1, p.end());
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          UUID id = rs.getObject(1, UUID.class);
          all.put(id, new Tally(id, rs.getString(2), rs.getString(3), rs.getString(4)));
        }
      }
    }
    // a site's current revision stands for the month (revisions are kept, current pointers are not)
    try (var st =
        c.prepareStatement(
            "SELECT st.institution_id, i.code, st.name, st.hostnames, r.template_id,"
                + " r.template_version, chk.passed,"
                + " greatest(CASE WHEN r.created_at < ? THEN r.created_at END,"
                + "   (SELECT max(sc.updated_at) FROM site_content sc WHERE sc.site_id = st.id AND sc.updated_at < ?))"
                + "   AS last_change"
                + " FROM site st JOIN institution i ON i.id = st.institution_id"
                + " LEFT JOIN site_revision r ON r.site_id = st.id AND r.revision = st.current_revision"
                + " LEFT JOIN site_revision_check chk ON chk.site_id = st.id AND chk.revision = st.current_revision"
                + " WHERE st.status NOT IN ('SUSPENDED', 'DECOMMISSIONING', 'DECOMMISSIONED') AND st.created_at < ?")) {
      st.setObject(1, p.end());
      st.setObject(2, p.end());
      st.setObject(3, p.end());
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          Tally t = all.get(rs.getObject(1, UUID.class));
          if (t == null) {
            continue;
          }
          t.live++;
          String[] hosts = (String[]) rs.getArray(4).getArray();
          t.hostnames += hosts.length;
          String site = rs.getString(2) + "/" + rs.getString(3);
          Set<String> secured = tls.map(m -> m.getOrDefault(site, Set.of())).orElse(Set.of());
          for (String h : hosts) {
            if (secured.contains(h)) {
              t.withTls++;
            }
          }
          String templateId = rs.getString(5);
          if (templateId != null) {
            t.deployed++;
            String newest = newestVersion.apply(templateId);
            if (newest != null && newest.equals(rs.getString(6))) {
              t.onNewest++;
            }
            if (rs.getBoolean(7)) {
              t.accessible++;
            }
          }
          OffsetDateTime change = rs.getObject(8, OffsetDateTime.class);
          if (change != null) {
            LocalDate day = change.withOffsetSameInstant(ZoneOffset.UTC).toLocalDate();
            if (t.lastChange == null || day.isAfter(t.lastChange)) {
              t.lastChange = day;
            }
          }
        }
      }
    }
    try (var st =
        c.prepareStatement(
            "SELECT institution_id, count(*) FROM usage_alert WHERE threshold = 100"
                + " AND day BETWEEN ? AND ? GROUP BY institution_id")) {
      st.setObject(1, p.start().toLocalDate());
      st.setObject(2, p.lastDay());
      forEachCount(st, all, (t, rs) -> t.alerts = rs.getInt(2));
    }
    try (var st =
        c.prepareStatement(
            "SELECT institution_id, count(*), count(*) FILTER (WHERE reviewed_at > ?)"
                + " FROM ict_system WHERE created_at < ? GROUP BY institution_id")) {
      st.setObject(1, p.lastDay().minusMonths(Criteria.REVIEW_MONTHS));
      st.setObject(2, p.end());
      forEachCount(
          st,
          all,
          (t, rs) -> {
            t.systems = rs.getInt(2);
            t.reviewed = rs.getInt(3);
          });
    }
    try (var st =
        c.prepareStatement(
            "SELECT institution_id, count(*) FROM hosting_request WHERE status = 'REJECTED'"
                + " AND rejection_kind = 'incomplete' AND updated_at >= ? AND updated_at < ? GROUP BY institution_id")) {
      st.setObject(1, p.start());
      st.setObject(2, p.end());
      forEachCount(st, all, (t, rs) -> t.incomplete = rs.getInt(2));
    }
    boolean tlsKnown = tls.isPresent();
    List<Evidence> out = new ArrayList<>(all.size());
    for (Tally t : all.values()) {
      out.add(
          new Evidence(
              t.id,
              t.code,
              t.name,
              t.nameSw,
              t.deployed,
              t.onNewest,
              t.hostnames,
              tlsKnown ? t.withTls : null,
              t.lastChange,
              t.live,
              t.accessible,
              t.alerts,
              t.systems,
              t.reviewed,
              t.incomplete));
    }
    return out;
  }

  @FunctionalInterface
  private interface RowInto {
    void apply(Tally t, ResultSet rs) throws SQLException;
  }

  private static void forEachCount(
      java.sql.PreparedStatement st, Map<UUID, Tally> all, RowInto into) throws SQLException {
    try (ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        Tally t = all.get(rs.getObject(1, UUID.class));
        if (t != null) {
          into.apply(t, rs);
        }
      }
    }
  }
}
