package io.wingu.agent.collect;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/** cgroup v2: one directory per pod holding cpu.stat, memory.current, memory.stat and io.stat. */
final class CgroupV2Reader implements CgroupReader {

  private final Path root;

  CgroupV2Reader(Path root) {
    this.root = root;
  }

  @Override
  public Map<String, Path> findPods() throws IOException {
    return KubepodsLayout.findPods(root);
  }

  @Override
  public PodCounters read(Path podDir) throws IOException {
    Path dir = root.resolve(podDir);
    try {
      long cpuNanos =
          ProcFiles.field(ProcFiles.read(dir.resolve("cpu.stat")), "usage_usec", 0) * 1000;
      String memoryCurrent = ProcFiles.readIfExists(dir.resolve("memory.current"));
      String memoryStat = ProcFiles.readIfExists(dir.resolve("memory.stat"));
      long workingSet =
          memoryCurrent == null
              ? 0
              : CgroupReader.workingSet(
                  Long.parseLong(memoryCurrent.strip()),
                  memoryStat == null ? 0 : ProcFiles.field(memoryStat, "inactive_file", 0));
      String ioStat = ProcFiles.readIfExists(dir.resolve("io.stat"));
      return new PodCounters(
          cpuNanos,
          workingSet,
          sumIoStat(ioStat, "rbytes="),
          sumIoStat(ioStat, "wbytes="),
          KubepodsLayout.firstPid(dir));
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /** Sum of one key over every device line ("8:0 rbytes=1 wbytes=2 rios=3 ..."). */
  static long sumIoStat(String ioStat, String key) {
    if (ioStat == null) {
      return 0;
    }
    long sum = 0;
    for (int at = ioStat.indexOf(key); at >= 0; at = ioStat.indexOf(key, at + key.length())) {
      if (at > 0 && ioStat.charAt(at - 1) == ' ') {
        int end = ioStat.indexOf('\n', at);
        sum += ProcFiles.firstNumber(ioStat, at + key.length(), end < 0 ? ioStat.length() : end);
      }
    }
    return sum;
  }
}
