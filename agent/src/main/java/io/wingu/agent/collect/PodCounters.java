package io.wingu.agent.collect;

/**
 * What a pod's cgroup says at one moment. CPU and I/O are counters since the cgroup was made;
 * memory is the working set now.
 *
 * @param pid a process of the pod (its network namespace gives the network counters), 0 when none
 */
record PodCounters(
    long cpuNanos, long memoryWorkingSetBytes, long ioReadBytes, long ioWriteBytes, int pid) {}
