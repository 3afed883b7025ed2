package io.wingu.controlplane.usage;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.institutions.Institution;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * An institution's usage from {@code from} to {@code to} in steps of an hour or a day: its pods'
 * summed series, its tenant databases' sizes, its quota (and what its running pods reserve of it,
 * as the cluster counts) and its latest alerts.
 */
public record InstitutionUsage(
    Institution institution,
    String step,
    Instant from,
    Instant to,
    Quota quota,
    Optional<Reserved> reserved,
    List<Point> series,
    List<DatabasePoint> databaseSeries,
    List<Alert> alerts) {

  /** One bucket of the namespace's pods: average CPU and memory, network transferred. */
  public record Point(
      Instant at, long cpuMillis, long memoryBytes, long netRxBytes, long netTxBytes) {

    JsonObject toJson() {
      return new JsonObject()
          .put("at", at.toString())
          .put("cpuMillis", cpuMillis)
          .put("memoryBytes", memoryBytes)
          .put("netRxBytes", netRxBytes)
          .put("netTxBytes", netTxBytes);
    }
  }

  /** One bucket of the tenant databases: the sum of each site's largest measured size. */
  public record DatabasePoint(Instant at, long bytes) {

    JsonObject toJson() {
      return new JsonObject().put("at", at.toString()).put("bytes", bytes);
    }
  }

  /** A quota alert: a resource crossed a threshold (80 or 100 %) on a day. */
  public record Alert(
      String resource, int threshold, LocalDate day, double used, double quota, Instant raisedAt) {

    JsonObject toJson() {
      return new JsonObject()
          .put("resource", resource)
          .put("threshold", threshold)
          .put("day", day.toString())
          .put("used", used)
          .put("quota", quota)
          .put("raisedAt", raisedAt.toString());
    }
  }

  public UUID institutionId() {
    return institution.id();
  }

  /** As GET /usage/institutions/{id} answers. */
  public JsonObject toJson() {
    JsonArray points = new JsonArray();
    series.forEach(p -> points.add(p.toJson()));
    JsonArray databasePoints = new JsonArray();
    databaseSeries.forEach(p -> databasePoints.add(p.toJson()));
    JsonArray alertList = new JsonArray();
    alerts.forEach(a -> alertList.add(a.toJson()));
    JsonObject json =
        new JsonObject()
            .put("institutionId", institution.id().toString())
            .put("namespace", institution.namespace())
            .put("step", step)
            .put("from", from.toString())
            .put("to", to.toString())
            .put("quota", quota.toJson())
            .put("storageBytes", quota.storageBytes())
            .put("series", points)
            .put("databaseSeries", databasePoints)
            .put("alerts", alertList);
    reserved.ifPresent(r -> json.put("reserved", r.toJson()));
    return json;
  }
}
