package io.wingu.controlplane.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU seconds used by the one-node cluster's parts and by this JVM between two readings (Linux):
 * only processes of this run — this JVM's descendants (etcd, the Kubernetes servers, kubelet,
 * containerd) and the processes whose command line names one of this run's folders (containerd's
 * shims, the PostgreSQL server, which both leave their parent), with their descendants — not the
 * other work on a shared machine. Pods are read from the kubepods cgroup, which also counts the
 * containers that ended (the bundle fetch). Processes that ended in between are not seen, except
 * the children a counted process waited for (their time is in its cutime).
 */
final class ClusterCpu {

  private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux
  static final String CONTROL_PLANE = "this JVM (control plane, load generator, Maven)";
  static final String KUBERNETES =
      "Kubernetes control plane (etcd, kube-apiserver, controller-manager, scheduler)";
  static final String NODE = "node (kubelet, containerd and its shims)";
  static final String PODS = "site pods (kubepods cgroup: nginx, the bundle fetch)";
  static final String POSTGRES = "PostgreSQL (the control plane's)";

  private final Map<String, Double> secondsByPart;

  private ClusterCpu(Map<String, Double> secondsByPart) {
    this.secondsByPart = secondsByPart;
  }

  static ClusterCpu now(String... folders) {
    Map<String, Double> parts = new LinkedHashMap<>();
    for (String part : new String[] {CONTROL_PLANE, POSTGRES, KUBERNETES, NODE, PODS}) {
      parts.put(part, 0.0);
    }
    long self = ProcessHandle.current().pid();
    Map<Long, Long> parent = new HashMap<>();
    Map<Long, String> program = new HashMap<>();
    Map<Long, long[]> ticks = new HashMap<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      procs
          .filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
          .forEach(
              p -> {
                try {
                  String stat = Files.readString(p.resolve("stat"));
                  String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                  long pid = Long.parseLong(p.getFileName().toString());
                  parent.put(pid, Long.parseLong(f[1]));
                  program.put(pid, stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')));
                  // after the name: utime, stime, cutime, cstime are fields 14-17, here 11-14
                  ticks.put(
                      pid,
                      new long[] {
                        Long.parseLong(f[11]) + Long.parseLong(f[12]),
                        Long.parseLong(f[13]) + Long.parseLong(f[14])
                      });
                } catch (IOException | RuntimeException gone) {
                  // the process ended while being read
                }
              });
    } catch (IOException e) {
      return new ClusterCpu(parts);
    }
    java.util.Set<Long> roots = new java.util.HashSet<>();
    roots.add(self);
    for (long pid : program.keySet()) {
      if (mentions(pid, folders)) {
        roots.add(pid);
      }
    }
    for (Map.Entry<Long, String> e : program.entrySet()) {
      long pid = e.getKey();
      long[] t = ticks.get(pid);
      if (pid == self) {
        parts.merge(CONTROL_PLANE, t[0] / TICKS_PER_SECOND, Double::sum);
        continue;
      }
      boolean ours = roots.contains(pid) || descends(pid, roots, parent);
      if (!ours || inPod(pid)) {
        continue; // pods are counted from their cgroup
      }
      String part =
          switch (e.getValue()) {
            case "etcd", "kube-apiserver", "kube-controller", "kube-scheduler" -> KUBERNETES;
            case "postgres" -> POSTGRES;
            default -> NODE;
          };
      parts.merge(part, (t[0] + t[1]) / TICKS_PER_SECOND, Double::sum);
    }
    parts.put(PODS, kubepodsSeconds());
    return new ClusterCpu(parts);
  }

  /** CPU seconds of each part since {@code before}. */
  Map<String, Double> since(ClusterCpu before) {
    Map<String, Double> used = new LinkedHashMap<>();
    secondsByPart.forEach(
        (part, s) -> used.put(part, s - before.secondsByPart.getOrDefault(part, 0.0)));
    return used;
  }

  private static boolean descends(long pid, java.util.Set<Long> ancestors, Map<Long, Long> parent) {
    Long p = parent.get(pid);
    for (int depth = 0; p != null && p > 1 && depth < 64; depth++) {
      if (ancestors.contains(p)) {
        return true;
      }
      p = parent.get(p);
    }
    return false;
  }

  private static boolean mentions(long pid, String... texts) {
    try {
      String cmdline =
          new String(Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline")));
      return java.util.Arrays.stream(texts).anyMatch(cmdline::contains);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static boolean inPod(long pid) {
    try {
      return Files.readString(Path.of("/proc", String.valueOf(pid), "cgroup")).contains("kubepods");
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** All pods' CPU so far, ended containers included: cgroup v1 cpuacct, else v2 cpu.stat. */
  private static double kubepodsSeconds() {
    try {
      for (String v1 :
          new String[] {
            "/sys/fs/cgroup/cpuacct/kubepods/cpuacct.usage",
            "/sys/fs/cgroup/cpu,cpuacct/kubepods/cpuacct.usage"
          }) {
        if (Files.exists(Path.of(v1))) {
          return Long.parseLong(Files.readString(Path.of(v1)).trim()) / 1e9;
        }
      }
      Path v2 = Path.of("/sys/fs/cgroup/kubepods/cpu.stat");
      if (Files.exists(v2)) {
        return Files.readAllLines(v2).stream()
                .filter(l -> l.startsWith("usage_usec "))
                .mapToLong(l -> Long.parseLong(l.substring(11).trim()))
                .sum()
            / 1e6;
      }
    } catch (IOException | RuntimeException e) {
      // no reading: counted as nothing
    }
    return 0;
  }
}
