package io.wingu.controlplane.provisioning;

/**
 * The {@code DatabaseReady} condition of a site whose backup was restored: while a restore runs
 * (reason {@code Restoring}) and how the newest one ended ({@code Restored}, {@code
 * RestoreFailed}). The live database serves throughout (an in-place restore swaps it only once the
 * restored copy is checked), so the condition stays True; a failed restore left it unchanged.
 */
final class DatabaseRestores {

  private DatabaseRestores() {}

  static Condition condition(Tenant.Site s, String ready, TenantStore.SiteRestore r) {
    String what =
        r.intoNew()
            ? "backup "
                + r.backupId()
                + " into the new database "
                + r.databaseName()
                + " (Secret "
                + DatabaseSecrets.restoredName(s, r.number())
                + "); the site keeps using "
                + DatabaseSecrets.name(s)
            : "backup " + r.backupId() + " in place";
    if (r.running()) {
      return Condition.of(
          Condition.DATABASE_READY,
          true,
          "Restoring",
          ready
              + "; restoring "
              + what
              + (r.intoNew()
                  ? ""
                  : ": a safety backup first, the live database serves until the checked copy"
                      + " replaces it"));
    }
    if (r.succeeded()) {
      return Condition.of(
          Condition.DATABASE_READY,
          true,
          "Restored",
          ready
              + "; restored "
              + what
              + " at "
              + r.finishedAt()
              + (r.safetyBackupId() == null ? "" : " (safety backup " + r.safetyBackupId() + ")"));
    }
    return Condition.of(
        Condition.DATABASE_READY,
        true,
        "RestoreFailed",
        ready
            + "; the restore of "
            + what
            + " failed at "
            + r.finishedAt()
            + " and the live database kept its data: "
            + r.error());
  }
}
