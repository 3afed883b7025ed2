package io.wingu.controlplane.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.wingu.controlplane.usage.SampleScreen.Capacity;
import io.wingu.controlplane.usage.SampleScreen.Placed;
import io.wingu.controlplane.usage.SampleScreen.Reason;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SampleScreenTest {

  /** Pods by namespace/name, nodes by name. */
  record FakeCluster(Map<String, Placed> pods, Map<String, Capacity> nodes)
      implements SampleScreen.Cluster {
    @Override
    public Optional<Placed> pod(String namespace, String name) {
      return Optional.ofNullable(pods.get(namespace + "/" + name));
    }

    @Override
    public Optional<Capacity> node(String name) {
      return Optional.ofNullable(nodes.get(name));
    }
  }

  static final FakeCluster CLUSTER =
      new FakeCluster(
          Map.of(
              "inst-a/web", new Placed("uid-web", "n1"),
              "inst-a/worker", new Placed("uid-worker", "n1"),
              "inst-b/web", new Placed("uid-b", "n2")),
          Map.of("n1", new Capacity(2000, 8L << 30)));

  static AgentReport report(AgentReport.Node node, AgentReport.Pod... pods) {
    return new AgentReport("n1", 1, Instant.now(), node, List.of(pods));
  }

  static final AgentReport.Node HONEST =
      new AgentReport.Node(2000, 500, 8L << 30, 2L << 30, 100, 10);

  static AgentReport.Pod pod(String ns, String name, String uid, long cpu, long memory) {
    return new AgentReport.Pod(ns, name, uid, cpu, memory, 0, 0);
  }

  @Test
  void onlyTheNodesOwnPodsWithinCapacityAreKept() {
    var screened =
        SampleScreen.screen(
            report(
                HONEST,
                pod("inst-a", "web", "uid-web", 300, 1L << 30),
                pod("inst-b", "web", "uid-b", 10, 10),
                pod("inst-a", "worker", "uid-other", 10, 10),
                pod("inst-a", "ghost", "uid-ghost", 10, 10),
                pod("inst-a", "web", "uid-web", 300, 1L << 30),
                pod("inst-a", "worker", "uid-worker", 999_999, 10)),
            CLUSTER);
    assertThat(screened.report().pods()).extracting(AgentReport.Pod::name).containsExactly("web");
    assertThat(screened.accepted()).isEqualTo(1);
    assertThat(screened.dropped())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                Reason.POD_ON_OTHER_NODE,
                1,
                Reason.POD_UID_MISMATCH,
                1,
                Reason.POD_UNKNOWN,
                1,
                Reason.POD_REPEATED,
                1,
                Reason.CPU_OVER_CAPACITY,
                1));
    assertThat(screened.droppedSamples()).isEqualTo(5);
    assertThat(screened.report().node()).isEqualTo(HONEST);
  }

  @Test
  void memoryBeyondTheNodeAndPodsThatTogetherExceedItAreDropped() {
    var memory =
        SampleScreen.screen(report(HONEST, pod("inst-a", "web", "uid-web", 1, 9L << 30)), CLUSTER);
    assertThat(memory.dropped()).isEqualTo(Map.of(Reason.MEMORY_OVER_CAPACITY, 1));
    var together =
        SampleScreen.screen(
            report(
                HONEST,
                pod("inst-a", "web", "uid-web", 2000, 1),
                pod("inst-a", "worker", "uid-worker", 2000, 1)),
            CLUSTER);
    assertThat(together.report().pods()).isEmpty();
    assertThat(together.dropped()).isEqualTo(Map.of(Reason.PODS_OVER_CAPACITY, 2));
  }

  @Test
  void aNodeClaimingMoreThanTheClusterSaysIsCappedToIt() {
    var screened =
        SampleScreen.screen(
            report(
                new AgentReport.Node(999_999, 999_999, 1L << 50, 1L << 50, 100, 500),
                pod("inst-a", "web", "uid-web", 4000, 1)),
            CLUSTER);
    assertThat(screened.report().node())
        .isEqualTo(new AgentReport.Node(2000, 2000, 8L << 30, 8L << 30, 100, 100));
    assertThat(screened.dropped())
        .isEqualTo(Map.of(Reason.NODE_OVER_CAPACITY, 1, Reason.CPU_OVER_CAPACITY, 1));
    assertThat(screened.droppedSamples()).isEqualTo(1);
  }

  @Test
  void aNodeTheClusterHasNoFiguresForIsBoundByItsOwnReport() {
    var screened =
        SampleScreen.screen(
            new AgentReport(
                "n2",
                1,
                Instant.now(),
                new AgentReport.Node(1000, 10, 1L << 30, 1, 1, 1),
                List.of(pod("inst-b", "web", "uid-b", 1001, 1))),
            CLUSTER);
    assertThat(screened.dropped()).isEqualTo(Map.of(Reason.CPU_OVER_CAPACITY, 1));
  }
}
