package io.wingu.agent.collect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Finds the pod cgroups of one node and reads their counters; one implementation per cgroup
 * version.
 */
interface CgroupReader {

  /** Pod UID → pod cgroup directory, relative to the hierarchy root(s). */
  Map<String, Path> findPods() throws IOException;

  /** The pod's counters, or null when its cgroup disappeared while being read. */
  PodCounters read(Path podDir) throws IOException;

  /**
   * cgroup v2 when the root is a unified hierarchy (it has cgroup.controllers), else v1 with one
   * directory per controller. A hybrid host (v1 controllers plus an empty "unified") is v1: the
   * kubelet uses v1 there.
   */
  static CgroupReader detect(Path cgroupRoot) {
    if (Files.exists(cgroupRoot.resolve("cgroup.controllers"))) {
      return new CgroupV2Reader(cgroupRoot);
    }
    return new CgroupV1Reader(cgroupRoot);
  }

  /**
   * Memory the kernel could not reclaim without swapping: usage minus inactive page cache, as the
   * kubelet counts it.
   */
  static long workingSet(long usage, long inactiveFile) {
    return Math.max(0, usage - inactiveFile);
  }
}
