package io.wingu.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;

import io.wingu.agent.testing.FakeKubelet;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeCollectorTest {

  @TempDir Path dir;

  @Test
  void readsThisMachinesRealProc() throws Exception {
    NodeCollector collector = new NodeCollector(Path.of("/proc"), Path.of("/"));
    collector.collect();

    NodeUsage node = collector.collect();

    assertThat(node.cpuCapacityMillis()).isPositive();
    assertThat(node.cpuCapacityMillis() % 1000).isZero();
    assertThat(node.cpuUsedMillis()).isBetween(0L, node.cpuCapacityMillis());
    assertThat(node.memoryCapacityBytes()).isPositive();
    assertThat(node.memoryUsedBytes()).isPositive().isLessThanOrEqualTo(node.memoryCapacityBytes());
    assertThat(node.fsCapacityBytes()).isPositive();
    assertThat(node.fsUsedBytes()).isPositive().isLessThanOrEqualTo(node.fsCapacityBytes());
  }

  @Test
  void cpuIsTheBusyShareOfTheIntervalTimesTheCores() throws Exception {
    FakeKubelet node =
        FakeKubelet.create(dir, FakeKubelet.CgroupVersion.V2, FakeKubelet.Driver.SYSTEMD);
    NodeCollector collector = new NodeCollector(node.procRoot(), dir);
    node.nodeFiles("cpu  100 0 100 800 0 0 0 0 0 0", 16_000_000, 12_000_000);
    collector.collect();
    // 1000 jiffies passed, 700 of them idle or iowait: 30 % busy of 4 CPUs
    node.nodeFiles("cpu  300 0 200 1400 100 0 0 0 0 0", 16_000_000, 12_000_000);

    NodeUsage usage = collector.collect();

    assertThat(usage.cpuCapacityMillis()).isEqualTo(4000);
    assertThat(usage.cpuUsedMillis()).isEqualTo(1200);
    assertThat(usage.memoryCapacityBytes()).isEqualTo(16_000_000L * 1024);
    assertThat(usage.memoryUsedBytes()).isEqualTo(4_000_000L * 1024);
  }
}
