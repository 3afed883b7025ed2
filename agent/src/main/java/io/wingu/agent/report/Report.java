package io.wingu.agent.report;

import io.wingu.agent.collect.NodeUsage;
import java.time.Instant;
import java.util.List;

/** The body of {@code POST /api/v1/agent/reports}. */
public record Report(
    String nodeName, long seq, Instant collectedAt, NodeUsage node, List<PodReport> pods) {}
