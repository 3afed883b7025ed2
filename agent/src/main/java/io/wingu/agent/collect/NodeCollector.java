package io.wingu.agent.collect;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Node figures: CPU from the deltas of the aggregate line of {@code /proc/stat}, memory from {@code
 * /proc/meminfo}, filesystem from statvfs of one path. Not thread-safe: one collector thread.
 */
public final class NodeCollector {

  private final Path procRoot;
  private final Path fsPath;
  private CpuTimes previous;

  public NodeCollector(Path procRoot, Path fsPath) {
    this.procRoot = procRoot;
    this.fsPath = fsPath;
  }

  /** The first call has no earlier sample: it reports CPU used since boot, averaged. */
  public NodeUsage collect() throws IOException {
    String stat = ProcFiles.read(procRoot.resolve("stat"));
    CpuTimes now = CpuTimes.parse(stat);
    CpuTimes since = previous == null ? CpuTimes.ZERO : previous;
    previous = now;
    long capacityMillis = countCpus(stat) * 1000L;
    long usedMillis = now.busyFractionSince(since) * capacityMillis / CpuTimes.FRACTION_SCALE;

    String meminfo = ProcFiles.read(procRoot.resolve("meminfo"));
    long memTotal = ProcFiles.field(meminfo, "MemTotal", 0) * 1024;
    long memAvailable = ProcFiles.field(meminfo, "MemAvailable", -1);
    if (memAvailable < 0) {
      // kernels before 3.14 have no MemAvailable; free memory is the closest lower bound
      memAvailable = ProcFiles.field(meminfo, "MemFree", 0);
    }
    long memUsed = Math.max(0, memTotal - memAvailable * 1024);

    FileStore store = Files.getFileStore(fsPath);
    long fsTotal = store.getTotalSpace();
    // total − unallocated = (f_blocks − f_bfree) × f_frsize: what df shows as "Used"
    long fsUsed = fsTotal - store.getUnallocatedSpace();
    return new NodeUsage(
        capacityMillis, Math.min(usedMillis, capacityMillis), memTotal, memUsed, fsTotal, fsUsed);
  }

  /** One "cpuN" line per online CPU: the node's cores, not this container's CPU limit. */
  private static int countCpus(String stat) {
    int cpus = 0;
    for (int at = stat.indexOf("\ncpu"); at >= 0; at = stat.indexOf("\ncpu", at + 1)) {
      if (at + 4 < stat.length() && Character.isDigit(stat.charAt(at + 4))) {
        cpus++;
      }
    }
    return Math.max(cpus, 1);
  }

  /** Jiffies of the aggregate "cpu" line: all of them, and the idle ones (idle + iowait). */
  record CpuTimes(long total, long idle) {
    static final CpuTimes ZERO = new CpuTimes(0, 0);
    static final long FRACTION_SCALE = 1_000_000;

    static CpuTimes parse(String stat) {
      if (!stat.startsWith("cpu ")) {
        throw new IllegalArgumentException("/proc/stat does not start with the aggregate cpu line");
      }
      long[] fields = ProcFiles.numbers(stat.substring(0, stat.indexOf('\n')), 4);
      long total = 0;
      // user nice system idle iowait irq softirq steal; guest and guest_nice are already in user
      // and nice
      for (int i = 0; i < Math.min(8, fields.length); i++) {
        total += fields[i];
      }
      long idle = fields[3] + (fields.length > 4 ? fields[4] : 0);
      return new CpuTimes(total, idle);
    }

    /** Busy share of the time between {@code earlier} and this sample, in millionths. */
    long busyFractionSince(CpuTimes earlier) {
      long total = this.total - earlier.total;
      long busy = total - (this.idle - earlier.idle);
      return total <= 0 ? 0 : Math.max(0, busy) * FRACTION_SCALE / total;
    }
  }
}
