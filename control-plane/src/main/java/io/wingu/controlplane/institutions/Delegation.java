package io.wingu.controlplane.institutions;

import java.util.UUID;

/** One delegated domain (normalised) and the institution that holds it. */
public record Delegation(String domain, UUID institutionId) {}
