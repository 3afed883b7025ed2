package io.wingu.controlplane.audit;

import io.vertx.core.json.JsonObject;
import java.util.UUID;

/** One change to record: who did what to which thing, with its state before and after. */
public record AuditEntry(
    String actor,
    String action,
    String target,
    UUID institutionId,
    String requestId,
    JsonObject before,
    JsonObject after) {}
