package io.wingu.controlplane.backups;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/**
 * One restore of a site's backup: in place (over the live database, after a safety backup) or into
 * a new database beside it, whose credentials the Secret {@code db-<site>-restored-<n>} holds.
 */
public record Restore(
    UUID id,
    UUID siteId,
    UUID institutionId,
    UUID backupId,
    Target target,
    Backup.Status status,
    Integer number,
    String databaseName,
    UUID safetyBackupId,
    String actor,
    Instant startedAt,
    Instant finishedAt,
    String error) {

  /** Where the backup goes. */
  public enum Target {
    IN_PLACE,
    NEW;

    /** From the API's {@code in-place} or {@code new}. */
    public static Target of(String api) {
      return valueOf(api.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    public String api() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /** The Secret a new database's credentials are written to: {@code db-<site>-restored-<n>}. */
  public static String secretName(String siteName, int number) {
    return "db-" + siteName + "-restored-" + number;
  }

  /** The API's view of the restore. */
  public JsonObject toJson() {
    JsonObject j =
        new JsonObject()
            .put("id", id.toString())
            .put("target", target.api())
            .put("status", status.name().toLowerCase(Locale.ROOT))
            .put("startedAt", startedAt.toString());
    if (backupId != null) {
      j.put("backupId", backupId.toString());
    }
    if (number != null) {
      j.put("number", number).put("database", databaseName);
    }
    if (safetyBackupId != null) {
      j.put("safetyBackupId", safetyBackupId.toString());
    }
    if (finishedAt != null) {
      j.put("finishedAt", finishedAt.toString());
    }
    if (error != null) {
      j.put("error", error);
    }
    return j;
  }
}
