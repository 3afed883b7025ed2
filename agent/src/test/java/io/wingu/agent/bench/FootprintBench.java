package io.wingu.agent.bench;

import io.wingu.agent.testing.AgentProcess;
import io.wingu.agent.testing.FakeControlPlane;
import io.wingu.agent.testing.FakeKubelet;
import io.wingu.agent.testing.FakeKubelet.PodFigures;
import io.wingu.agent.testing.FakeKubelet.Qos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Runs the packaged agent against a kubelet-shaped tree of 100 pods and a local receiver, and
 * prints its resident memory and CPU time per collection as one key=value line
 * (bench/agent/footprint.sh makes the table). Arguments: collections to measure, the kernel's clock
 * ticks per second (getconf CLK_TCK), pods (default 100).
 */
public final class FootprintBench {

  private static final int WARM_UP_COLLECTIONS = 5;
  private static final int WAIT_SECONDS = 60;

  private FootprintBench() {}

  public static void main(String[] args) throws Exception {
    int collections = Integer.parseInt(args[0]);
    long ticksPerSecond = Long.parseLong(args[1]);
    int podCount = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    Path dir = Files.createTempDirectory("wingu-agent-bench");
    FakeKubelet node =
        FakeKubelet.create(
                dir.resolve("node"), FakeKubelet.CgroupVersion.V2, FakeKubelet.Driver.SYSTEMD)
            .linkRealNodeFiles();
    StringBuilder podList =
        new StringBuilder("{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"items\":[");
    Qos[] classes = Qos.values();
    for (int i = 0; i < podCount; i++) {
      String uid = UUID.nameUUIDFromBytes(("pod-" + i).getBytes()).toString();
      node.pod(
          uid,
          classes[i % classes.length],
          10_000 + i * 10,
          new PodFigures(
              1_000_000L * i, 50L << 20, 10L << 20, 1L << 20, 2L << 20, 1000L * i, 2000L * i));
      podList
          .append(i == 0 ? "" : ",")
          .append("{\"metadata\":{\"name\":\"site-")
          .append(i)
          .append("\",\"namespace\":\"inst-")
          .append(i % 20)
          .append("\",\"uid\":\"")
          .append(uid)
          .append("\"}}");
    }
    try (FakeControlPlane receiver = new FakeControlPlane()) {
      receiver.podList(podList.append("]}").toString());
      Files.writeString(dir.resolve("token"), "bench-token");
      AgentProcess agent =
          AgentProcess.start(
              Map.of(
                  "WINGU_AGENT_URL", receiver.url(),
                  "WINGU_AGENT_TOKEN_FILE", dir.resolve("token").toString(),
                  "WINGU_AGENT_NODE_NAME", "bench-node",
                  "WINGU_AGENT_INTERVAL", "1",
                  "WINGU_AGENT_PROC_ROOT", node.procRoot().toString(),
                  "WINGU_AGENT_CGROUP_ROOT", node.cgroupRoot().toString(),
                  "WINGU_AGENT_BUFFER_DIR", dir.resolve("state").toString(),
                  "WINGU_AGENT_KUBE_API", receiver.url(),
                  "WINGU_AGENT_KUBE_TOKEN_FILE", dir.resolve("token").toString()),
              dir.resolve("agent.log"));
      try (agent) {
        FakeControlPlane.Received report = null;
        for (int i = 0; i < WARM_UP_COLLECTIONS; i++) {
          report = next(receiver, dir);
        }
        int pods = report.body().get("pods").size();
        int reportBytes = report.body().toString().length();
        long ticksBefore = cpuTicks(agent.pid());
        for (int i = 0; i < collections; i++) {
          next(receiver, dir);
        }
        long ticks = cpuTicks(agent.pid()) - ticksBefore;
        double msPerCollection = ticks * 1000.0 / ticksPerSecond / collections;
        System.out.printf(
            java.util.Locale.ROOT,
            "wingu-agent rss_kib=%d hwm_kib=%d cpu_ms_per_collection=%.2f collections=%d pods=%d report_bytes=%d%n",
            status(agent.pid(), "VmRSS"),
            status(agent.pid(), "VmHWM"),
            msPerCollection,
            collections,
            pods,
            reportBytes);
      }
    } finally {
      node.removeLinks();
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  private static FakeControlPlane.Received next(FakeControlPlane receiver, Path dir)
      throws Exception {
    FakeControlPlane.Received report = receiver.nextReport(WAIT_SECONDS);
    if (report == null) {
      throw new IllegalStateException(
          "no report in "
              + WAIT_SECONDS
              + " s; agent log:\n"
              + Files.readString(dir.resolve("agent.log")));
    }
    return report;
  }

  /**
   * utime + stime of the whole process, fields 14 and 15 of /proc/<pid>/stat (after the
   * parenthesised name).
   */
  private static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  private static long status(long pid, String key) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith(key + ":")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    throw new IllegalStateException(key + " not in /proc/" + pid + "/status");
  }
}
