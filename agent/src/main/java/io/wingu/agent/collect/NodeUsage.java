package io.wingu.agent.collect;

/** The node's capacity and use, the {@code node} object of a report. */
public record NodeUsage(
    long cpuCapacityMillis,
    long cpuUsedMillis,
    long memoryCapacityBytes,
    long memoryUsedBytes,
    long fsCapacityBytes,
    long fsUsedBytes) {}
