package io.wingu.controlplane.scorecard;

import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Turns each institution's evidence into its score and ranks them: pure, no database. */
public final class Scorer {

  private final Map<String, Integer> weights;

  public Scorer(Map<String, Integer> weights) {
    this.weights = Map.copyOf(weights);
  }

  /** The ranking, best first; equal scores share a rank (1, 2, 2, 4) and are ordered by code. */
  public List<Score> rank(List<Evidence> all, LocalDate asOf) {
    List<Score> scored = new ArrayList<>(all.size());
    for (Evidence e : all) {
      scored.add(score(e, asOf));
    }
    scored.sort(Comparator.comparingDouble(Score::score).reversed().thenComparing(Score::code));
    List<Score> ranked = new ArrayList<>(scored.size());
    for (int i = 0; i < scored.size(); i++) {
      Score s = scored.get(i);
      int rank = i > 0 && scored.get(i - 1).score() == s.score() ? ranked.get(i - 1).rank() : i + 1;
      ranked.add(s.withRank(rank));
    }
    return ranked;
  }

  /**
   * The weighted share of criteria met, over the criteria that apply, as 0–100 with one decimal.
   */
  public Score score(Evidence e, LocalDate asOf) {
    List<Score.Result> results =
        List.of(
            templateCurrent(e),
            tls(e),
            contentFresh(e, asOf),
            accessibility(e),
            withinQuota(e),
            registerReviewed(e),
            completeRequests(e));
    double earned = 0;
    double possible = 0;
    for (Score.Result r : results) {
      if (r.applicable()) {
        earned += r.weight() * r.value();
        possible += r.weight();
      }
    }
    double score = possible == 0 ? 0 : Math.round(1000.0 * earned / possible) / 10.0;
    return new Score(e.institutionId(), e.code(), e.name(), e.nameSw(), score, 0, results);
  }

  /** The median of the scores (0 for none). */
  public static double median(List<Score> ranking) {
    if (ranking.isEmpty()) {
      return 0;
    }
    double[] s = ranking.stream().mapToDouble(Score::score).sorted().toArray();
    int n = s.length;
    double m = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    return Math.round(m * 10) / 10.0;
  }

  private Score.Result result(
      String id,
      boolean applicable,
      double value,
      JsonObject evidence,
      String summary,
      String advice) {
    return new Score.Result(
        id, weights.getOrDefault(id, 0), applicable, value, evidence, summary, advice);
  }

  private static double share(int part, int whole) {
    return whole == 0 ? 0 : (double) part / whole;
  }

  private Score.Result templateCurrent(Evidence e) {
    return result(
        Criteria.TEMPLATE_CURRENT,
        e.deployedSites() > 0,
        share(e.sitesOnNewestTemplate(), e.deployedSites()),
        new JsonObject().put("count", e.sitesOnNewestTemplate()).put("total", e.deployedSites()),
        e.deployedSites() == 0
            ? "No deployed site"
            : e.sitesOnNewestTemplate()
                + " of "
                + e.deployedSites()
                + " deployed sites run their template's newest version",
        "Upgrade each site to its template's newest version from the site's page in the console.");
  }

  private Score.Result tls(Evidence e) {
    boolean known = e.hostnamesWithTls() != null;
    int withTls = known ? e.hostnamesWithTls() : 0;
    return result(
        Criteria.TLS,
        e.hostnames() > 0 && known,
        share(withTls, e.hostnames()),
        new JsonObject().put("count", known ? withTls : null).put("total", e.hostnames()),
        !known
            ? "TLS could not be read from the cluster"
            : e.hostnames() == 0
                ? "No live hostname"
                : withTls + " of " + e.hostnames() + " hostnames have TLS configured",
        "Ask the Authority to check the certificates of the hostnames without TLS; every hostname must be served over https.");
  }

  private Score.Result contentFresh(Evidence e, LocalDate asOf) {
    Long days =
        e.lastContentChange() == null ? null : ChronoUnit.DAYS.between(e.lastContentChange(), asOf);
    boolean fresh = days != null && days <= Criteria.FRESH_CONTENT_DAYS;
    return result(
        Criteria.CONTENT_FRESH,
        e.liveSites() > 0,
        fresh ? 1 : 0,
        new JsonObject()
            .put(
                "lastChange",
                e.lastContentChange() == null ? null : e.lastContentChange().toString())
            .put("days", days)
            .put("limitDays", Criteria.FRESH_CONTENT_DAYS),
        e.liveSites() == 0
            ? "No live site"
            : days == null
                ? "Content was never published"
                : "Content last changed " + days + " days before the month's end",
        "Publish news, pages or documents at least every "
            + Criteria.FRESH_CONTENT_DAYS
            + " days.");
  }

  private Score.Result accessibility(Evidence e) {
    return result(
        Criteria.ACCESSIBILITY,
        e.deployedSites() > 0,
        share(e.sitesPassingAccessibility(), e.deployedSites()),
        new JsonObject()
            .put("count", e.sitesPassingAccessibility())
            .put("total", e.deployedSites()),
        e.deployedSites() == 0
            ? "No deployed site"
            : e.sitesPassingAccessibility()
                + " of "
                + e.deployedSites()
                + " sites' current revision passed the accessibility check",
        "Fix what the accessibility check found on the latest revision (links and headings need text) and deploy again.");
  }

  private Score.Result withinQuota(Evidence e) {
    return result(
        Criteria.WITHIN_QUOTA,
        true,
        e.quotaExceededAlerts() == 0 ? 1 : 0,
        new JsonObject().put("alerts", e.quotaExceededAlerts()),
        e.quotaExceededAlerts() == 0
            ? "No quota was exceeded"
            : e.quotaExceededAlerts() + " alerts of a quota reached at 100 %",
        "Reduce use or ask for a larger plan before reaching a quota.");
  }

  private Score.Result registerReviewed(Evidence e) {
    return result(
        Criteria.REGISTER_REVIEWED,
        true,
        share(e.systemsReviewed(), e.systems()),
        new JsonObject()
            .put("count", e.systemsReviewed())
            .put("total", e.systems())
            .put("limitMonths", Criteria.REVIEW_MONTHS),
        e.systems() == 0
            ? "The ICT systems register is empty"
            : e.systemsReviewed()
                + " of "
                + e.systems()
                + " systems reviewed in the last "
                + Criteria.REVIEW_MONTHS
                + " months",
        "Record every ICT system in the register and review each entry at least once a year.");
  }

  private Score.Result completeRequests(Evidence e) {
    return result(
        Criteria.COMPLETE_REQUESTS,
        true,
        e.requestsRejectedIncomplete() == 0 ? 1 : 0,
        new JsonObject().put("rejectedIncomplete", e.requestsRejectedIncomplete()),
        e.requestsRejectedIncomplete() == 0
            ? "No request was rejected for missing information"
            : e.requestsRejectedIncomplete() + " requests rejected for missing information",
        "Give every detail a request asks for (hostnames, plan, justification) before submitting it.");
  }
}
