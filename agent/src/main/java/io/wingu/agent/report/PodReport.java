package io.wingu.agent.report;

import io.wingu.agent.collect.PodSample;
import io.wingu.agent.pods.PodIdentity;

/**
 * One entry of a report's {@code pods}: a pod's names and its usage. A hostNetwork pod reports no
 * network traffic: the namespace it reads its counters from is the node's, whose traffic is not the
 * pod's.
 */
public record PodReport(PodIdentity pod, PodSample usage) {

  public PodReport {
    if (pod.hostNetwork()) {
      usage =
          new PodSample(
              usage.uid(),
              usage.cpuMillis(),
              usage.memoryBytes(),
              0,
              0,
              usage.ioReadBytes(),
              usage.ioWriteBytes());
    }
  }
}
