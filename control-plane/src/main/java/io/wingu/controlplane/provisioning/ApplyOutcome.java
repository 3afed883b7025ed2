package io.wingu.controlplane.provisioning;

/** What one apply did; an unchanged object costs no write. */
public enum ApplyOutcome {
  CREATED,
  CHANGED,
  UNCHANGED,
  DELETED
}
