package io.wingu.controlplane.scorecard;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.app.DomainError;
import io.wingu.controlplane.app.FieldError;
import io.wingu.controlplane.app.Problem;
import io.wingu.controlplane.audit.AuditEntry;
import io.wingu.controlplane.audit.AuditedDatabase;
import io.wingu.controlplane.caller.Caller;
import io.wingu.controlplane.caller.Role;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The monthly scorecard: computes a month's draft from the evidence Wingu holds, publishes it as an
 * immutable version (a later publication of the same month is a visible correction), and reads
 * published months back.
 */
public final class ScorecardService {

  /** How long a draft serves the later pages of the listing it was computed for. */
  private static final Duration DRAFT_REUSE = Duration.ofSeconds(30);

  /** A scorecard's rows are paged by position: a cursor names the first row of the next page. */
  public static final io.wingu.controlplane.app.Cursor.Shape CURSOR =
      io.wingu.controlplane.app.Cursor.Shape.of(io.wingu.controlplane.app.Cursor.Part.count("p"));

  private final Vertx vertx;
  private final AuditedDatabase db;
  private final EvidenceStore evidence = new EvidenceStore();
  private final ScorecardStore store = new ScorecardStore();
  private final TlsEvidence tls;
  private final Function<String, String> newestTemplateVersion;
  private final Map<String, Integer> weights;
  private final Map<YearMonth, Draft> drafts = new ConcurrentHashMap<>();

  private record Draft(Instant at, Ranking ranking, boolean tlsKnown) {}

  public ScorecardService(
      Vertx vertx,
      AuditedDatabase db,
      TlsEvidence tls,
      Function<String, String> newestTemplateVersion,
      Map<String, Integer> weights) {
    this.vertx = vertx;
    this.db = db;
    this.tls = tls;
    this.newestTemplateVersion = newestTemplateVersion;
    this.weights = Map.copyOf(weights);
  }

  /**
   * {@code YYYY-MM} of a month that has begun; text that is no month is a 400 naming {@code field},
   * and a month still to come has no scorecard yet (404, as for any month without one).
   */
  public YearMonth month(String text, String field) {
    YearMonth m;
    try {
      m = YearMonth.parse(text == null ? "" : text.strip());
    } catch (DateTimeParseException e) {
      throw DomainError.invalid(
          "month must be YYYY-MM", List.of(new FieldError(field, "must be YYYY-MM")));
    }
    if (m.isAfter(currentMonth())) {
      throw DomainError.notFound("The month " + m + " has not begun: it has no scorecard yet");
    }
    return m;
  }

  public YearMonth currentMonth() {
    return YearMonth.from(db.clock().instant().atZone(ZoneOffset.UTC));
  }

  /**
   * The published ranking of the month if there is one, else (or when {@code draft}) a draft
   * computed now.
   */
  public Future<Ranking> ranking(YearMonth month, boolean draft) {
    return ranking(month, draft, false);
  }

  /**
   * As {@link #ranking(YearMonth, boolean)}; {@code continuing} (a later page of the same listing)
   * may reuse the draft computed for the first page a few seconds ago, so the pages agree.
   */
  public Future<Ranking> ranking(YearMonth month, boolean draft, boolean continuing) {
    if (draft) {
      return compute(month, !continuing)
          .compose(
              d ->
                  db.withHandle(h -> store.versions(h, month))
                      .map(
                          versions -> {
                            Ranking r = d.ranking();
                            return new Ranking(
                                month, null, versions, r.weights(), r.median(), r.items());
                          }));
    }
    return db.withHandle(h -> store.versions(h, month))
        .compose(
            versions ->
                versions.isEmpty()
                    ? compute(month, !continuing).map(Draft::ranking)
                    : readPublished(month, versions, null));
  }

  /**
   * The month's ranking that holds {@code institutionId}: the published one when it ranked that
   * institution, else (the institution is newer) the draft of now.
   */
  public Future<Ranking> rankingWith(UUID institutionId, YearMonth month) {
    return ranking(month, false)
        .compose(
            r ->
                r.published()
                        && r.items().stream()
                            .noneMatch(s -> s.institutionId().equals(institutionId))
                    ? ranking(month, true)
                    : Future.succeededFuture(r));
  }

  /** One institution's view: its own score and evidence, beside the median of all. */
  public Future<Ranking> rankingFor(Caller caller, YearMonth month) {
    UUID own = caller.institutionId().orElseThrow();
    return rankingWith(own, month)
        .map(
            r ->
                new Ranking(
                    r.month(),
                    r.publication(),
                    r.versions(),
                    r.weights(),
                    r.median(),
                    r.items().stream().filter(s -> s.institutionId().equals(own)).toList()));
  }

  /**
   * The newest version of a published month (the latest published month when null); 404 when none.
   */
  public Future<Ranking> published(YearMonth month) {
    return db.withHandle(
            h -> {
              if (month != null) {
                return store.versions(h, month);
              }
              List<Publication> all = store.all(h);
              if (all.isEmpty()) {
                return all;
              }
              YearMonth latest = all.get(0).month();
              return all.stream().filter(p -> p.month().equals(latest)).toList();
            })
        .compose(
            versions -> {
              if (versions.isEmpty()) {
                throw DomainError.notFound(
                    month == null
                        ? "No scorecard has been published yet"
                        : "The scorecard of " + month + " has not been published");
              }
              return readPublished(versions.get(0).month(), versions, null);
            });
  }

  private Future<Ranking> readPublished(
      YearMonth month, List<Publication> versions, UUID institutionId) {
    Publication newest = versions.get(versions.size() - 1);
    return db.withHandle(
        h ->
            new Ranking(
                month,
                newest,
                versions,
                newest.weights(),
                newest.median(),
                store.entries(h, month, newest.version(), institutionId)));
  }

  /** Publishes the month as computed now: version 1, or the next version as a correction. */
  public Future<Publication> publish(
      Caller caller, YearMonth month, String note, String requestId) {
    if (caller.role() != Role.OPERATOR) {
      throw DomainError.forbidden("Only operators publish the scorecard");
    }
    if (note != null && note.length() > 2000) {
      throw DomainError.invalid(
          "The note is too long",
          List.of(new FieldError("note", "must be at most 2000 characters")));
    }
    return compute(month, true)
        .compose(
            draft -> {
              if (!draft.tlsKnown()) {
                throw new Problem(
                    503,
                    "Service Unavailable",
                    "The cluster's Ingresses could not be read, so TLS evidence is missing: publish when Kubernetes answers");
              }
              Ranking r = draft.ranking();
              return db.inTransaction(
                  h -> {
                    List<Publication> before = store.versions(h, month);
                    Publication p =
                        new Publication(
                            month,
                            before.size() + 1,
                            db.now(),
                            caller.username(),
                            r.weights(),
                            r.median(),
                            note == null || note.isBlank() ? null : note.strip());
                    store.insert(h, p, r.items());
                    db.audit(
                        h,
                        new AuditEntry(
                            caller.username(),
                            "scorecard.publish",
                            "scorecard/" + month,
                            null,
                            requestId,
                            null,
                            p.toJson()
                                .put("institutions", r.items().size())
                                .put("median", r.median())));
                    return p;
                  });
            });
  }

  /** Published months with their versions, or one institution's place in each. */
  public Future<JsonObject> history(UUID institutionId) {
    return db.withHandle(
        h -> {
          JsonObject out = new JsonObject();
          io.vertx.core.json.JsonArray months = new io.vertx.core.json.JsonArray();
          YearMonth current = null;
          JsonObject entry = null;
          for (Publication p : store.all(h)) {
            if (!p.month().equals(current)) {
              current = p.month();
              entry =
                  new JsonObject()
                      .put("month", current.toString())
                      .put("versions", new io.vertx.core.json.JsonArray());
              months.add(entry);
            }
            entry.getJsonArray("versions").add(p.toJson().put("median", p.median()));
          }
          out.put("months", months);
          if (institutionId != null) {
            out.put("institutionId", institutionId.toString())
                .put("scores", new io.vertx.core.json.JsonArray(store.history(h, institutionId)));
          }
          return out;
        });
  }

  private Future<Draft> compute(YearMonth month, boolean fresh) {
    Draft cached = drafts.get(month);
    Instant now = db.clock().instant();
    if (!fresh && cached != null && cached.at().plus(DRAFT_REUSE).isAfter(now)) {
      return Future.succeededFuture(cached);
    }
    OffsetDateTime start = month.atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC);
    OffsetDateTime monthEnd = month.plusMonths(1).atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC);
    OffsetDateTime nowUtc = now.atOffset(ZoneOffset.UTC);
    EvidenceStore.Period period =
        new EvidenceStore.Period(start, monthEnd.isBefore(nowUtc) ? monthEnd : nowUtc);
    LocalDate asOf = period.lastDay();
    return vertx
        .executeBlocking(tls::hostsBySite, false)
        .compose(
            hosts ->
                db.withHandle(h -> evidence.gather(h, period, newestTemplateVersion, hosts))
                    .map(
                        all -> {
                          Scorer scorer = new Scorer(weights);
                          List<Score> ranked = scorer.rank(all, asOf);
                          Draft d =
                              new Draft(
                                  now,
                                  new Ranking(
                                      month,
                                      null,
                                      List.of(),
                                      weights,
                                      Scorer.median(ranked),
                                      ranked),
                                  hosts.isPresent());
                          drafts.put(month, d);
                          return d;
                        }));
  }
}
