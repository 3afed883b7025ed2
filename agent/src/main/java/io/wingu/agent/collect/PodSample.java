package io.wingu.agent.collect;

/**
 * One pod's usage in one collection.
 *
 * @param cpuMillis average CPU over the interval since the previous collection, in millicores
 * @param memoryBytes working set now
 * @param netRxBytes counter since the pod's network namespace was made (the server takes
 *     differences)
 * @param ioReadBytes counter since the pod's cgroup was made, block devices only (page-cache hits
 *     are not I/O)
 */
public record PodSample(
    String uid,
    long cpuMillis,
    long memoryBytes,
    long netRxBytes,
    long netTxBytes,
    long ioReadBytes,
    long ioWriteBytes) {}
