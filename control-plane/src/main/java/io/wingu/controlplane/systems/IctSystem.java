package io.wingu.controlplane.systems;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** One entry of an institution's register of the ICT systems it runs. */
public record IctSystem(
    UUID id,
    UUID institutionId,
    String name,
    String purpose,
    String category,
    String hosting,
    String builtBy,
    int users,
    LocalDate reviewedAt,
    Instant createdAt,
    Instant updatedAt,
    String updatedBy) {

  /** An entry not reviewed for more than twelve months is flagged. */
  public static final int REVIEW_MONTHS = 12;

  /**
   * True when {@code reviewedAt} lies more than {@value #REVIEW_MONTHS} months before {@code
   * today}.
   */
  public static boolean overdue(LocalDate reviewedAt, LocalDate today) {
    return reviewedAt.isBefore(today.minusMonths(REVIEW_MONTHS));
  }

  public boolean reviewOverdue(LocalDate today) {
    return overdue(reviewedAt, today);
  }

  public JsonObject toJson(LocalDate today) {
    return new JsonObject()
        .put("id", id.toString())
        .put("institutionId", institutionId.toString())
        .put("name", name)
        .put("purpose", purpose)
        .put("category", category)
        .put("hosting", hosting)
        .put("builtBy", builtBy)
        .put("users", users)
        .put("reviewedAt", reviewedAt.toString())
        .put("reviewOverdue", reviewOverdue(today))
        .put("createdAt", createdAt.toString())
        .put("updatedAt", updatedAt.toString())
        .put("updatedBy", updatedBy);
  }
}
