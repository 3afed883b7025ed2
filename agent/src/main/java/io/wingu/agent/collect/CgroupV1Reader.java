package io.wingu.agent.collect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * cgroup v1: the same pod directory under each controller's hierarchy — cpuacct.usage
 * (nanoseconds), memory.usage_in_bytes and memory.stat, blkio's recursive byte counters.
 */
final class CgroupV1Reader implements CgroupReader {

  private final Path cpuacct;
  private final Path memory;
  private final Path blkio;

  CgroupV1Reader(Path root) {
    // cpuacct is often co-mounted with cpu as "cpu,cpuacct" (with "cpuacct" a symlink to it)
    this.cpuacct =
        Files.isDirectory(root.resolve("cpuacct"))
            ? root.resolve("cpuacct")
            : root.resolve("cpu,cpuacct");
    this.memory = root.resolve("memory");
    this.blkio = root.resolve("blkio");
  }

  @Override
  public Map<String, Path> findPods() throws IOException {
    return KubepodsLayout.findPods(cpuacct);
  }

  @Override
  public PodCounters read(Path podDir) throws IOException {
    try {
      long cpuNanos = ProcFiles.readLong(cpuacct.resolve(podDir).resolve("cpuacct.usage"));
      String usage =
          ProcFiles.readIfExists(memory.resolve(podDir).resolve("memory.usage_in_bytes"));
      String stat = ProcFiles.readIfExists(memory.resolve(podDir).resolve("memory.stat"));
      long workingSet =
          usage == null
              ? 0
              : CgroupReader.workingSet(
                  Long.parseLong(usage.strip()),
                  // total_ is the hierarchical figure: the pod's containers are child cgroups
                  stat == null ? 0 : ProcFiles.field(stat, "total_inactive_file", 0));
      String io = blkioBytes(blkio.resolve(podDir));
      return new PodCounters(
          cpuNanos,
          workingSet,
          sumBlkio(io, "Read"),
          sumBlkio(io, "Write"),
          KubepodsLayout.firstPid(cpuacct.resolve(podDir)));
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /**
   * v1 blkio counters are per cgroup; only the _recursive file includes the containers below the
   * pod.
   */
  private static String blkioBytes(Path dir) throws IOException {
    String recursive =
        ProcFiles.readIfExists(dir.resolve("blkio.throttle.io_service_bytes_recursive"));
    return recursive != null
        ? recursive
        : ProcFiles.readIfExists(dir.resolve("blkio.throttle.io_service_bytes"));
  }

  /** Sum of the "major:minor Read n" (or Write) lines; the closing "Total n" line has no device. */
  static long sumBlkio(String text, String operation) {
    if (text == null) {
      return 0;
    }
    long sum = 0;
    for (String line : text.split("\n")) {
      String[] fields = line.strip().split(" ");
      if (fields.length == 3 && fields[1].equals(operation)) {
        sum += Long.parseLong(fields[2]);
      }
    }
    return sum;
  }
}
