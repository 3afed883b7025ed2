package io.wingu.controlplane.sites;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What an approved request creates: a site in PROVISIONING for the reconciler to build. */
public record NewSite(
    UUID id,
    UUID institutionId,
    UUID requestId,
    String name,
    List<String> hostnames,
    UUID planId,
    String templateId,
    long cpuMillis,
    long memoryBytes,
    long storageBytes,
    String databaseEngine,
    UUID databasePlanId,
    Instant createdAt) {}
