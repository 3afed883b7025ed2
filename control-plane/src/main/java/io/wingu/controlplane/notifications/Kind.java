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
  SITE_READY("site-ready"),
  SITE_DEGRADED("site-degraded"),
  DEPLOYMENT_FAILED("deployment-failed"),
  BACKUP_FAILED("backup-failed"),
  REGISTER_REVIEW_OVERDUE("register-review-overdue"),
  /**
   * An operator's daily summary, off until they turn it on; while it is on they are not written to
   * one mail each for what it sums up ({@link #digested}).
   */
  OPERATOR_DIGEST("operator-digest", false);

  private final String wire;
  private final boolean onByDefault;

  Kind(String wire) {
    this(wire, true);
  }

  Kind(String wire, boolean onByDefault) {
    this.wire = wire;
    this.onByDefault = onByDefault;
  }

  /** Whether a person who never chose receives this kind. */
  public boolean onByDefault() {
    return onByDefault;
  }

  /**
   * Whether the operators' digest sums this kind up (an operator who takes it gets no single mail).
   */
  public boolean digested() {
    return this == REQUEST_SUBMITTED || this == SITE_DEGRADED || this == BACKUP_FAILED;
  }

  /**
   * Whether an operator may make this kind mandatory: not the digest, which each operator takes
   * instead of single mails or not.
   */
  public boolean mayBeMandatory() {
    return this != OPERATOR_DIGEST;
  }

  public String wireName() {
    return wire;
  }

  public static Optional<Kind> fromWire(String name) {
    return Arrays.stream(values()).filter(k -> k.wire.equals(name)).findFirst();
  }
}
