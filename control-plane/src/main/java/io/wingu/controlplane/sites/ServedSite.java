package io.wingu.controlplane.sites;

import java.util.List;
import java.util.UUID;

/**
 * A site visitors can reach now: its pods are Available and it has a current revision, and it is
 * neither suspended nor being decommissioned.
 */
public record ServedSite(UUID id, UUID institutionId, String name, List<String> hostnames) {}
