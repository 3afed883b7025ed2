package io.wingu.controlplane.scorecard;

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
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.result.RowView;
import org.jdbi.v3.core.statement.Query;

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
      Handle h,
      Period p,
      Function<String, String> newestVersion,
      Optional<Map<String, Set<String>>> tls) {
    Map<UUID, Tally> all = new LinkedHashMap<>();
    h.createQuery(
            "SELECT id, code, name, name_sw FROM institution WHERE created_at < :end ORDER BY code")
        .bind("end", p.end())
        .map(
            (rs, ctx) ->
                new Tally(
                    rs.getObject("id", UUID.class),
                    rs.getString("code"),
                    rs.getString("name"),
                    rs.getString("name_sw")))
        .forEach(t -> all.put(t.id, t));
    // a site's current revision stands for the month (revisions are kept, current pointers are not)
    tally(
        h.createQuery(
                "SELECT st.institution_id, i.code, st.name, st.hostnames, r.template_id,"
                    + " r.template_version, chk.passed,"
                    + " greatest(CASE WHEN r.created_at < :end THEN r.created_at END,"
                    + "   (SELECT max(sc.updated_at) FROM site_content sc WHERE sc.site_id = st.id AND sc.updated_at < :end))"
                    + "   AS last_change"
                    + " FROM site st JOIN institution i ON i.id = st.institution_id"
                    + " LEFT JOIN site_revision r ON r.site_id = st.id AND r.revision = st.current_revision"
                    + " LEFT JOIN site_revision_check chk ON chk.site_id = st.id AND chk.revision = st.current_revision"
                    + " WHERE st.status NOT IN ('SUSPENDED', 'DECOMMISSIONING', 'DECOMMISSIONED') AND st.created_at < :end")
            .bind("end", p.end()),
        all,
        (t, row) -> {
          t.live++;
          String[] hosts = row.getColumn("hostnames", String[].class);
          t.hostnames += hosts.length;
          String site =
              row.getColumn("code", String.class) + "/" + row.getColumn("name", String.class);
          Set<String> secured = tls.map(m -> m.getOrDefault(site, Set.of())).orElse(Set.of());
          for (String host : hosts) {
            if (secured.contains(host)) {
              t.withTls++;
            }
          }
          String templateId = row.getColumn("template_id", String.class);
          if (templateId != null) {
            t.deployed++;
            String newest = newestVersion.apply(templateId);
            if (newest != null && newest.equals(row.getColumn("template_version", String.class))) {
              t.onNewest++;
            }
            if (Boolean.TRUE.equals(row.getColumn("passed", Boolean.class))) {
              t.accessible++;
            }
          }
          OffsetDateTime change = row.getColumn("last_change", OffsetDateTime.class);
          if (change != null) {
            LocalDate day = change.withOffsetSameInstant(ZoneOffset.UTC).toLocalDate();
            if (t.lastChange == null || day.isAfter(t.lastChange)) {
              t.lastChange = day;
            }
          }
        });
    tally(
        h.createQuery(
                "SELECT institution_id, count(*) AS alerts FROM usage_alert WHERE threshold = 100"
                    + " AND day BETWEEN :firstDay AND :lastDay GROUP BY institution_id")
            .bind("firstDay", p.start().toLocalDate())
            .bind("lastDay", p.lastDay()),
        all,
        (t, row) -> t.alerts = row.getColumn("alerts", Integer.class));
    tally(
        h.createQuery(
                "SELECT institution_id, count(*) AS systems,"
                    + " count(*) FILTER (WHERE reviewed_at > :reviewedAfter) AS reviewed"
                    + " FROM ict_system WHERE created_at < :end GROUP BY institution_id")
            .bind("reviewedAfter", p.lastDay().minusMonths(Criteria.REVIEW_MONTHS))
            .bind("end", p.end()),
        all,
        (t, row) -> {
          t.systems = row.getColumn("systems", Integer.class);
          t.reviewed = row.getColumn("reviewed", Integer.class);
        });
    tally(
        h.createQuery(
                "SELECT institution_id, count(*) AS incomplete FROM hosting_request"
                    + " WHERE status = 'REJECTED' AND rejection_kind = 'incomplete'"
                    + " AND updated_at >= :start AND updated_at < :end GROUP BY institution_id")
            .bind("start", p.start())
            .bind("end", p.end()),
        all,
        (t, row) -> t.incomplete = row.getColumn("incomplete", Integer.class));
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

  /** Adds each row to the tally of its {@code institution_id} (rows of others are skipped). */
  private static void tally(Query q, Map<UUID, Tally> all, BiConsumer<Tally, RowView> into) {
    q.reduceRows(
        all,
        (tallies, row) -> {
          Tally t = tallies.get(row.getColumn("institution_id", UUID.class));
          if (t != null) {
            into.accept(t, row);
          }
          return tallies;
        });
  }
}
