package io.wingu.agent.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A node's cgroup tree and /proc laid out in a folder exactly as the kubelet (either cgroup driver)
 * and the kernel lay them out, with the real file formats, so attribution is tested on what a node
 * shows.
 */
public final class FakeKubelet {

  public enum Driver {
    SYSTEMD,
    CGROUPFS
  }

  public enum CgroupVersion {
    V1,
    V2
  }

  public enum Qos {
    GUARANTEED,
    BURSTABLE,
    BESTEFFORT
  }

  /** What one pod has used; the fake writes it into the files each counter comes from. */
  public record PodFigures(
      long cpuUsec,
      long memoryCurrent,
      long inactiveFile,
      long ioRead,
      long ioWrite,
      long netRx,
      long netTx) {}

  private final Path cgroupRoot;
  private final Path procRoot;
  private final CgroupVersion version;
  private final Driver driver;
  private final List<Path> links = new ArrayList<>();

  private FakeKubelet(Path dir, CgroupVersion version, Driver driver) {
    this.cgroupRoot = dir.resolve("sys/fs/cgroup");
    this.procRoot = dir.resolve("proc");
    this.version = version;
    this.driver = driver;
    if (version == CgroupVersion.V2) {
      write(
          cgroupRoot.resolve("cgroup.controllers"),
          "cpuset cpu io memory hugetlb pids rdma misc\n");
      writeV2(
          cgroupRoot.resolve(kubepods()),
          new PodFigures(900_000_000, 8L << 30, 1L << 30, 1L << 20, 1L << 20, 0, 0));
    } else {
      // the QoS and kubepods levels have counters too: they must not be taken for pods
      write(
          cgroupRoot.resolve("cpuacct").resolve(kubepods()).resolve("cpuacct.usage"),
          "900000000000\n");
      write(cgroupRoot.resolve("unified/cgroup.procs"), "");
    }
  }

  public static FakeKubelet create(Path dir, CgroupVersion version, Driver driver) {
    return new FakeKubelet(dir, version, driver);
  }

  public Path cgroupRoot() {
    return cgroupRoot;
  }

  public Path procRoot() {
    return procRoot;
  }

  /**
   * /proc/stat and /proc/meminfo as links to this machine's, for a run on the real node figures.
   */
  public FakeKubelet linkRealNodeFiles() {
    try {
      Files.createDirectories(procRoot);
      link(procRoot.resolve("stat"), Path.of("/proc/stat"));
      link(procRoot.resolve("meminfo"), Path.of("/proc/meminfo"));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes (or rewrites, for a later sample) a pod whose one container runs {@code pid}. */
  public void pod(String uid, Qos qos, int pid, PodFigures figures) {
    Path podDir = Path.of(kubepods());
    if (qos != Qos.GUARANTEED) {
      String qosName = qos.name().toLowerCase(Locale.ROOT);
      podDir =
          podDir.resolve(driver == Driver.SYSTEMD ? "kubepods-" + qosName + ".slice" : qosName);
    }
    podDir = podDir.resolve(podDirName(uid, qos));
    String containerId = "%064x".formatted(pid);
    String container =
        driver == Driver.SYSTEMD ? "cri-containerd-" + containerId + ".scope" : containerId;
    if (version == CgroupVersion.V2) {
      Path dir = cgroupRoot.resolve(podDir);
      writeV2(dir, figures);
      write(dir.resolve("cgroup.procs"), ""); // v2: no processes in inner cgroups
      write(dir.resolve(container).resolve("cgroup.procs"), pid + "\n" + (pid + 1) + "\n");
    } else {
      writeV1(podDir, container, pid, figures);
    }
    writeNetDev(pid, figures.netRx(), figures.netTx());
  }

  /**
   * Removes the symbolic links made, before the test's folder is cleaned (links out of it draw
   * warnings).
   */
  public void removeLinks() throws IOException {
    for (Path link : links) {
      Files.deleteIfExists(link);
    }
    links.clear();
  }

  private void link(Path link, Path target) throws IOException {
    Files.createSymbolicLink(link, target);
    links.add(link);
  }

  /** Node figures with fixed numbers: 4 CPUs, /proc/stat's "cpu" line as given. */
  public void nodeFiles(String cpuLine, long memTotalKb, long memAvailableKb) {
    StringBuilder stat = new StringBuilder(cpuLine).append('\n');
    for (int cpu = 0; cpu < 4; cpu++) {
      stat.append("cpu").append(cpu).append(" 1 0 1 1 0 0 0 0 0 0\n");
    }
    stat.append(
        "intr 123 0 0\nctxt 456\nbtime 1764000000\nprocesses 789\nprocs_running 1\nprocs_blocked 0\n");
    write(procRoot.resolve("stat"), stat.toString());
    write(
        procRoot.resolve("meminfo"),
        """
                MemTotal:       %d kB
                MemFree:         1000000 kB
                MemAvailable:   %d kB
                Buffers:           12560 kB
                Cached:          1635424 kB
                SwapCached:            0 kB
                """
            .formatted(memTotalKb, memAvailableKb));
  }

  private String kubepods() {
    return driver == Driver.SYSTEMD ? "kubepods.slice" : "kubepods";
  }

  private String podDirName(String uid, Qos qos) {
    if (driver == Driver.CGROUPFS) {
      return "pod" + uid;
    }
    String qosPart = qos == Qos.GUARANTEED ? "" : qos.name().toLowerCase(Locale.ROOT) + "-";
    return "kubepods-" + qosPart + "pod" + uid.replace('-', '_') + ".slice";
  }

  /** cgroup v2 files, formats as the kernel (6.x) writes them. */
  private static void writeV2(Path dir, PodFigures f) {
    write(
        dir.resolve("cpu.stat"),
        """
                usage_usec %d
                user_usec %d
                system_usec %d
                nr_periods 0
                nr_throttled 0
                throttled_usec 0
                nr_bursts 0
                burst_usec 0
                """
            .formatted(f.cpuUsec(), f.cpuUsec() * 3 / 4, f.cpuUsec() - f.cpuUsec() * 3 / 4));
    write(dir.resolve("memory.current"), f.memoryCurrent() + "\n");
    write(
        dir.resolve("memory.stat"),
        """
                anon %d
                file %d
                kernel 1187840
                kernel_stack 114688
                pagetables 262144
                sec_pagetables 0
                percpu 0
                sock 0
                vmalloc 0
                shmem 0
                zswap 0
                zswapped 0
                file_mapped 1351680
                file_dirty 0
                file_writeback 0
                swapcached 0
                anon_thp 0
                file_thp 0
                shmem_thp 0
                inactive_anon %d
                active_anon 4096
                inactive_file %d
                active_file %d
                unevictable 0
                slab_reclaimable 397712
                slab_unreclaimable 379856
                slab 777568
                workingset_refault_anon 0
                workingset_refault_file 0
                pgfault 12010
                pgmajfault 13
                """
            .formatted(
                f.memoryCurrent() / 2,
                f.memoryCurrent() / 2,
                f.memoryCurrent() / 2,
                f.inactiveFile(),
                f.memoryCurrent() / 2 - f.inactiveFile()));
    // two block devices: the figures must be summed over both
    write(
        dir.resolve("io.stat"),
        """
                259:0 rbytes=%d wbytes=%d rios=51 wios=7 dbytes=0 dios=0
                253:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0
                """
            .formatted(f.ioRead() - 4096, f.ioWrite() - 8192));
  }

  /** cgroup v1: the pod's directory under each controller's own hierarchy. */
  private void writeV1(Path podDir, String container, int pid, PodFigures f) {
    Path cpuacct = cgroupRoot.resolve("cpuacct").resolve(podDir);
    write(cpuacct.resolve("cpuacct.usage"), f.cpuUsec() * 1000 + "\n");
    write(cpuacct.resolve("cgroup.procs"), "");
    // every v1 cgroup directory also has these two dotless control files
    write(cpuacct.resolve("tasks"), "");
    write(cpuacct.resolve("notify_on_release"), "0\n");
    write(cpuacct.resolve(container).resolve("cgroup.procs"), pid + "\n");
    write(cpuacct.resolve(container).resolve("tasks"), pid + "\n");
    Path memory = cgroupRoot.resolve("memory").resolve(podDir);
    write(memory.resolve("memory.usage_in_bytes"), f.memoryCurrent() + "\n");
    write(
        memory.resolve("memory.stat"),
        """
                cache 0
                rss 0
                inactive_file 0
                active_file 0
                hierarchical_memory_limit 9223372036854771712
                total_cache %d
                total_rss %d
                total_inactive_anon 0
                total_active_anon %d
                total_inactive_file %d
                total_active_file %d
                total_unevictable 0
                """
            .formatted(
                f.memoryCurrent() / 2,
                f.memoryCurrent() / 2,
                f.memoryCurrent() / 2,
                f.inactiveFile(),
                f.memoryCurrent() / 2 - f.inactiveFile()));
    write(
        cgroupRoot
            .resolve("blkio")
            .resolve(podDir)
            .resolve("blkio.throttle.io_service_bytes_recursive"),
        """
                8:0 Read %d
                8:0 Write %d
                8:0 Sync %d
                8:0 Async 0
                8:0 Discard 0
                8:0 Total %d
                253:0 Read 4096
                253:0 Write 8192
                253:0 Sync 0
                253:0 Async 12288
                253:0 Discard 0
                253:0 Total 12288
                Total %d
                """
            .formatted(
                f.ioRead() - 4096,
                f.ioWrite() - 8192,
                f.ioRead() + f.ioWrite() - 12288,
                f.ioRead() + f.ioWrite() - 12288,
                f.ioRead() + f.ioWrite()));
  }

  /** /proc/<pid>/net/dev as the kernel prints it; lo carries traffic that must not be counted. */
  private void writeNetDev(int pid, long rx, long tx) {
    write(
        procRoot.resolve(pid + "/net/dev"),
        """
                Inter-|   Receive                                                |  Transmit
                 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                    lo: 15650528   71879    0    0    0     0          0         0 15650528   71879    0    0    0     0       0          0
                  eth0: %8d   22626    0    0    0     0          0         0 %8d   17464    0    0    0     0       0          0
                """
            .formatted(rx, tx));
  }

  private static void write(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
