package io.wingu.controlplane.usage;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.plans.Quantities;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code WithinQuota} condition every live site of an institution shows: "False" while the
 * institution has a current quota alert, "True" otherwise. The quota is the institution's (one
 * ResourceQuota over its namespace), so every site counted in it is affected alike.
 *
 * <p>"Current" means raised on the current UTC day: alerts are kept one per resource, threshold and
 * day (the rollup raises each at most once a day, when the latest hour crosses it), so an alert of
 * today is the latest word on the institution's pressure, and one of an earlier day no longer is —
 * the condition turns back to "True" at the start of the next day, unless that day's rollups raise
 * it again.
 *
 * <p>The condition is computed when a site is read, not stored with the provisioning conditions the
 * reconciler writes: it follows the alerts, not the cluster.
 */
public final class QuotaCondition {

  public static final String TYPE = "WithinQuota";
  public static final String NEARLY_REACHED = "QuotaNearlyReached";
  public static final String EXCEEDED = "QuotaExceeded";
  public static final String BELOW = "BelowAlertThreshold";

  /**
   * SQL columns, over a {@code site s}: {@code quota_alerts}, today's highest alert per resource
   * (JSON array), and {@code quota_last_alert_day}, the last earlier day that had one.
   */
  public static final String COLUMNS =
      "(SELECT coalesce(json_agg(json_build_object('resource', a.resource,"
          + " 'threshold', a.threshold, 'used', a.used, 'quota', a.quota, 'raisedAt', a.raised_at) ORDER BY a.resource),"
          + " '[]') FROM (SELECT DISTINCT ON (resource) * FROM usage_alert WHERE institution_id = s.institution_id"
          + " AND day = (now() AT TIME ZONE 'UTC')::date ORDER BY resource, threshold DESC) a) AS quota_alerts,"
          + " (SELECT max(day) FROM usage_alert WHERE institution_id = s.institution_id"
          + " AND day < (now() AT TIME ZONE 'UTC')::date) AS quota_last_alert_day";

  private QuotaCondition() {}

  /**
   * The condition from today's alerts (as {@link #COLUMNS} gives them); {@code lastAlertDay} (may
   * be null) and {@code siteCreated} say since when a site without a current alert is within quota.
   */
  public static JsonObject of(
      JsonArray currentAlerts, LocalDate lastAlertDay, Instant siteCreated) {
    if (currentAlerts.isEmpty()) {
      Instant since = siteCreated;
      if (lastAlertDay != null) {
        Instant alertEnded = lastAlertDay.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        since = alertEnded.isAfter(since) ? alertEnded : since;
      }
      return json(
          "True",
          BELOW,
          "No quota alert today: the institution's CPU and memory use is below 80 % of"
              + " its quota",
          since);
    }
    boolean exceeded = false;
    Instant raised = null;
    List<String> parts = new ArrayList<>();
    for (Object o : currentAlerts) {
      JsonObject a = (JsonObject) o;
      exceeded |= a.getInteger("threshold") >= 100;
      Instant at = OffsetDateTime.parse(a.getString("raisedAt")).toInstant();
      raised = raised == null || at.isBefore(raised) ? at : raised;
      parts.add(describe(a.getString("resource"), a.getDouble("used"), a.getDouble("quota")));
    }
    return json(
        "False",
        exceeded ? EXCEEDED : NEARLY_REACHED,
        "The institution uses " + String.join(" and ", parts),
        raised);
  }

  /** "cpu 450m of 500m (90 %)", "memory 900Mi of 1Gi (88 %)". */
  static String describe(String resource, double used, double quota) {
    long percent = Math.round(used * 100 / quota);
    String of =
        resource.equals("cpu")
            ? Math.round(used) + "m of " + Quantities.cpu(Math.round(quota))
            : Math.round(used / (1 << 20)) + "Mi of " + Quantities.bytes(Math.round(quota));
    return String.format(Locale.ROOT, "%s %s (%d %%)", resource, of, percent);
  }

  private static JsonObject json(String status, String reason, String message, Instant since) {
    return new JsonObject()
        .put("type", TYPE)
        .put("status", status)
        .put("reason", reason)
        .put("message", message)
        .put("lastTransitionTime", since.toString());
  }
}
