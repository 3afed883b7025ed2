package io.wingu.controlplane.backups;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One backup of a site's database as the catalogue holds it. */
public record Backup(
    UUID id,
    UUID siteId,
    UUID institutionId,
    String databaseName,
    Reason reason,
    Status status,
    String objectKey,
    long keyId,
    Instant startedAt,
    Instant finishedAt,
    Long sizeBytes,
    String sha256,
    List<TableRows> tables,
    String error,
    Verification verified) {

  /** Why the backup was made. */
  public enum Reason {
    ON_DEMAND,
    SCHEDULED,
    SAFETY
  }

  /** Only SUCCEEDED names a finished, hashed, fully uploaded object. */
  public enum Status {
    RUNNING,
    SUCCEEDED,
    FAILED
  }

  /** Rows of one table ({@code schema.table}) in the snapshot that was dumped. */
  public record TableRows(String name, long rows) {}

  /** The last proof that the backup restores: when, whether, and what was found. */
  public record Verification(Instant at, boolean ok, String detail) {}

  /** The API's view (API.md, "Backups"). */
  public JsonObject toJson() {
    JsonArray t = new JsonArray();
    tables.forEach(r -> t.add(new JsonObject().put("name", r.name()).put("rows", r.rows())));
    JsonObject j =
        new JsonObject()
            .put("id", id.toString())
            .put("status", status.name().toLowerCase(java.util.Locale.ROOT))
            .put("reason", reason.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'))
            .put("startedAt", startedAt.toString())
            .put("keyId", Long.toString(keyId))
            .put("tables", t);
    if (finishedAt != null) {
      j.put("finishedAt", finishedAt.toString());
    }
    if (sizeBytes != null) {
      j.put("sizeBytes", sizeBytes);
    }
    if (sha256 != null) {
      j.put("sha256", sha256);
    }
    if (verified != null) {
      j.put(
          "verified",
          new JsonObject()
              .put("at", verified.at().toString())
              .put("ok", verified.ok())
              .put("detail", verified.detail()));
    }
    if (error != null) {
      j.put("error", error);
    }
    return j;
  }
}
