package io.wingu.controlplane.requests;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.plans.Quantities;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An institution's request for a hosted site, and where it stands. */
public record HostingRequest(
    UUID id,
    UUID institutionId,
    String siteName,
    List<String> hostnames,
    UUID planId,
    String planName,
    String templateId,
    String databaseEngine,
    String databasePlanName,
    String justification,
    Status status,
    Quota quota,
    UUID siteId,
    String createdBy,
    Instant createdAt,
    Instant updatedAt,
    List<HistoryEntry> history,
    String rejectionKind) {

  /**
   * Why a request was rejected; "incomplete" (missing information) counts on the institution's
   * scorecard.
   */
  public static final List<String> REJECTION_KINDS =
      List.of("incomplete", "not-eligible", "capacity", "other");

  /** The state machine of API.md: PENDING → APPROVED | REJECTED | CANCELLED, nothing else. */
  public enum Status {
    PENDING,
    APPROVED,
    REJECTED,
    CANCELLED
  }

  /** The resources the site may use. */
  public record Quota(long cpuMillis, long memoryBytes, long storageBytes) {
    JsonObject toJson() {
      return new JsonObject()
          .put("cpu", Quantities.cpu(cpuMillis))
          .put("memory", Quantities.bytes(memoryBytes))
          .put("storage", Quantities.bytes(storageBytes));
    }
  }

  /** One step of the request's life. */
  public record HistoryEntry(Status status, Instant at, String actor, String note) {
    JsonObject toJson() {
      return new JsonObject()
          .put("status", status.name())
          .put("at", at.toString())
          .put("actor", actor)
          .put("note", note);
    }
  }

  public HostingRequest withHistory(List<HistoryEntry> entries) {
    return new HostingRequest(
        id,
        institutionId,
        siteName,
        hostnames,
        planId,
        planName,
        templateId,
        databaseEngine,
        databasePlanName,
        justification,
        status,
        quota,
        siteId,
        createdBy,
        createdAt,
        updatedAt,
        entries,
        rejectionKind);
  }

  public JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put("id", id.toString())
            .put("institutionId", institutionId.toString())
            .put("siteName", siteName)
            .put("hostnames", new JsonArray(hostnames))
            .put("plan", planName)
            .put("templateId", templateId)
            .put(
                "database",
                databaseEngine == null
                    ? null
                    : new JsonObject().put("engine", databaseEngine).put("plan", databasePlanName))
            .put("justification", justification)
            .put("status", status.name())
            .put("quota", quota.toJson())
            .put("siteId", siteId == null ? null : siteId.toString())
            .put("createdBy", createdBy)
            .put("createdAt", createdAt.toString())
            .put("updatedAt", updatedAt.toString());
    if (rejectionKind != null) {
      json.put("rejectionKind", rejectionKind);
    }
    if (history != null) {
      JsonArray h = new JsonArray();
      history.forEach(e -> h.add(e.toJson()));
      json.put("history", h);
    }
    return json;
  }
}
