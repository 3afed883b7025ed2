package io.wingu.agent.report;

import io.wingu.agent.collect.PodSample;
import io.wingu.agent.pods.PodIdentity;

/** One entry of a report's {@code pods}: a pod's names and its usage. */
public record PodReport(PodIdentity pod, PodSample usage) {
}
