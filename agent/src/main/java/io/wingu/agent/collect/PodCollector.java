package io.wingu.agent.collect;

import io.wingu.agent.Log;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Per pod usage from the kubelet's pod cgroups. CPU is a rate, so it needs the previous sample: the
 * first {@link #collect()} gives no CPU figures and is meant to be discarded. Not thread-safe: one
 * collector thread.
 */
public final class PodCollector {

  private final CgroupReader cgroups;
  private final PodNetwork network;
  private final LongSupplier nanoClock;
  private Map<String, Long> previousCpuNanos = Map.of();
  private long previousAt = -1;

  /** Reads the cgroup tree under {@code cgroupRoot} and process files under {@code procRoot}. */
  public PodCollector(Path cgroupRoot, Path procRoot, LongSupplier nanoClock) {
    this(CgroupReader.detect(cgroupRoot), new PodNetwork(procRoot), nanoClock);
  }

  PodCollector(CgroupReader cgroups, PodNetwork network, LongSupplier nanoClock) {
    this.cgroups = cgroups;
    this.network = network;
    this.nanoClock = nanoClock;
  }

  public List<PodSample> collect() throws IOException {
    long now = nanoClock.getAsLong();
    long elapsed = previousAt < 0 ? 0 : now - previousAt;
    Map<String, Long> cpuNanos = new HashMap<>();
    List<PodSample> samples = new ArrayList<>();
    for (Map.Entry<String, Path> pod : cgroups.findPods().entrySet()) {
      String uid = pod.getKey();
      PodCounters counters = read(uid, pod.getValue());
      if (counters == null) {
        continue;
      }
      cpuNanos.put(uid, counters.cpuNanos());
      // a pod missing from the previous sample was created since: its counter started at zero then
      long cpuDelta = counters.cpuNanos() - previousCpuNanos.getOrDefault(uid, 0L);
      long cpuMillis = elapsed <= 0 || cpuDelta < 0 ? 0 : Math.round(cpuDelta * 1000.0 / elapsed);
      PodNetwork.Bytes net = network.of(counters.pid());
      samples.add(
          new PodSample(
              uid,
              cpuMillis,
              counters.memoryWorkingSetBytes(),
              net.rx(),
              net.tx(),
              counters.ioReadBytes(),
              counters.ioWriteBytes()));
    }
    previousCpuNanos = cpuNanos;
    previousAt = now;
    return samples;
  }

  /** One pod's counters; a pod whose files cannot be parsed is skipped, not the whole node. */
  private PodCounters read(String uid, Path podDir) throws IOException {
    try {
      return cgroups.read(podDir);
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      Log.warn("pod " + uid + ": unreadable cgroup files in " + podDir + ": " + e.getMessage());
      return null;
    }
  }
}
