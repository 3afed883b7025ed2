package io.wingu.agent.collect;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A pod's network counters. cgroups count no network traffic, so they come from the network
 * namespace the pod's processes share: {@code /proc/<pid>/net/dev} of any one of them, all
 * interfaces but lo.
 */
final class PodNetwork {

  /** Received and transmitted bytes since the pod's network namespace was made. */
  record Bytes(long rx, long tx) {
    static final Bytes NONE = new Bytes(0, 0);
  }

  private final Path procRoot;

  PodNetwork(Path procRoot) {
    this.procRoot = procRoot;
  }

  /**
   * The counters of {@code pid}'s network namespace; none when there is no process or it exited.
   * Any user may read another's {@code /proc/<pid>/net/dev}: no ptrace right is needed. Whether the
   * pod shares the node's namespace (hostNetwork) comes from the API server, not from here.
   */
  Bytes of(int pid) throws IOException {
    if (pid <= 0) {
      return Bytes.NONE;
    }
    String netDev =
        ProcFiles.readIfExists(procRoot.resolve(Integer.toString(pid)).resolve("net/dev"));
    return netDev == null ? Bytes.NONE : parseNetDev(netDev);
  }

  /** Two header lines, then " eth0: rxBytes rxPackets ... (8 receive fields) txBytes ...". */
  static Bytes parseNetDev(String netDev) {
    long rx = 0;
    long tx = 0;
    String[] lines = netDev.split("\n");
    for (int i = 2; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon < 0 || lines[i].substring(0, colon).strip().equals("lo")) {
        continue;
      }
      long[] fields = ProcFiles.numbers(lines[i], colon + 1);
      rx += fields[0];
      tx += fields[8];
    }
    return new Bytes(rx, tx);
  }
}
