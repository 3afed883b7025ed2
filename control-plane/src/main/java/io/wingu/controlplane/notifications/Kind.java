package io.wingu.controlplane.notifications;

import java.util.Arrays;
import java.util.Optional;

/** What a notification is about; its wire name keys preferences and the mail texts. */
public enum Kind {
  REQUEST_SUBMITTED("request-submitted"),
  REQUEST_APPROVED("request-approved"),
  REQUEST_REJECTED("request-rejected"),
  SITE_SUSPENDED("site-suspended"),
  SITE_RESUMED("site-resumed"),
  SITE_DECOMMISSIONED("site-decommissioned"),
  QUOTA_80("quota-80"),
  QUOTA_100("quota-100"),
  SCORECARD_PUBLISHED("scorecard-published"),
  BACKUP_FAILED("backup-failed");

  private final String wire;

  Kind(String wire) {
    this.wire = wire;
  }

  public String wireName() {
    return wire;
  }

  public static Optional<Kind> fromWire(String name) {
    return Arrays.stream(values()).filter(k -> k.wire.equals(name)).findFirst();
  }
}
