package io.wingu.controlplane.sites;

import java.time.Instant;

/**
 * The webmaster's unpublished answers for a template: its parameters as JSON, saved section by
 * section and published only when asked.
 */
public record ParameterDraft(
    String templateId, String parameters, Instant updatedAt, String updatedBy) {}
