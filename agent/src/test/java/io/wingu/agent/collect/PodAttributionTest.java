package io.wingu.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;

import io.wingu.agent.testing.FakeKubelet;
import io.wingu.agent.testing.FakeKubelet.CgroupVersion;
import io.wingu.agent.testing.FakeKubelet.Driver;
import io.wingu.agent.testing.FakeKubelet.PodFigures;
import io.wingu.agent.testing.FakeKubelet.Qos;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Pod usage read from kubelet-shaped cgroup trees: both drivers, cgroup v2 and the v1 fallback. */
class PodAttributionTest {

  private static final String GUARANTEED = "0c1a0f43-5b6e-4d8a-9a3e-1b2c3d4e5f60";
  private static final String BURSTABLE = "7d2e4c11-9f0a-4b3c-8d7e-2a1b3c4d5e6f";
  private static final String BESTEFFORT = "a9b8c7d6-e5f4-4a3b-9c2d-1e0f9a8b7c6d";
  private static final String NEWCOMER = "11111111-2222-4333-8444-555555555555";
  private static final long MIB = 1024 * 1024;
  private static final long TWO_SECONDS = 2_000_000_000L;

  @TempDir Path dir;

  static Stream<Arguments> layouts() {
    return Stream.of(
        Arguments.of(CgroupVersion.V2, Driver.SYSTEMD),
        Arguments.of(CgroupVersion.V2, Driver.CGROUPFS),
        Arguments.of(CgroupVersion.V1, Driver.SYSTEMD),
        Arguments.of(CgroupVersion.V1, Driver.CGROUPFS));
  }

  @ParameterizedTest(name = "cgroup {0}, {1} driver")
  @MethodSource("layouts")
  void attributesUsageToEachPodByUid(CgroupVersion version, Driver driver) throws Exception {
    FakeKubelet node = FakeKubelet.create(dir, version, driver);
    AtomicLong clock = new AtomicLong(5_000_000_000L);
    PodCollector collector = new PodCollector(node.cgroupRoot(), node.procRoot(), clock::get);

    node.pod(
        GUARANTEED,
        Qos.GUARANTEED,
        1001,
        new PodFigures(2_000_000, 100 * MIB, 20 * MIB, 1 * MIB, 2 * MIB, 5_000, 7_000));
    node.pod(
        BURSTABLE,
        Qos.BURSTABLE,
        2001,
        new PodFigures(10_000_000, 300 * MIB, 100 * MIB, 10 * MIB, 20 * MIB, 50_000, 70_000));
    node.pod(
        BESTEFFORT,
        Qos.BESTEFFORT,
        3001,
        new PodFigures(0, 10 * MIB, 0, 8 * 4096, 4 * 4096, 10, 20));
    List<PodSample> first = collector.collect();
    assertThat(first)
        .extracting(PodSample::uid)
        .containsExactlyInAnyOrder(GUARANTEED, BURSTABLE, BESTEFFORT);
    assertThat(first)
        .extracting(PodSample::cpuMillis)
        .containsOnly(0L); // no rate without an earlier sample

    clock.addAndGet(TWO_SECONDS);
    node.pod(
        GUARANTEED,
        Qos.GUARANTEED,
        1001,
        new PodFigures(2_500_000, 120 * MIB, 20 * MIB, 3 * MIB, 4 * MIB, 6_000, 9_000));
    node.pod(
        BURSTABLE,
        Qos.BURSTABLE,
        2001,
        new PodFigures(13_000_000, 300 * MIB, 100 * MIB, 10 * MIB, 20 * MIB, 50_000, 70_000));
    node.pod(
        BESTEFFORT,
        Qos.BESTEFFORT,
        3001,
        new PodFigures(2_000, 10 * MIB, 0, 8 * 4096, 4 * 4096, 10, 20));
    node.pod(
        NEWCOMER,
        Qos.BURSTABLE,
        4001,
        new PodFigures(400_000, 50 * MIB, 10 * MIB, 8192, 16384, 100, 200));

    assertThat(collector.collect())
        .containsExactlyInAnyOrder(
            // 0.5 s of CPU in 2 s = 250 millicores; working set = usage − inactive file
            new PodSample(GUARANTEED, 250, 100 * MIB, 6_000, 9_000, 3 * MIB, 4 * MIB),
            new PodSample(BURSTABLE, 1500, 200 * MIB, 50_000, 70_000, 10 * MIB, 20 * MIB),
            new PodSample(BESTEFFORT, 1, 10 * MIB, 10, 20, 8 * 4096, 4 * 4096),
            // created between the samples: its counter started at zero inside the interval
            new PodSample(NEWCOMER, 200, 40 * MIB, 100, 200, 8192, 16384));
  }

  @ParameterizedTest(name = "cgroup {0}, {1} driver")
  @MethodSource("layouts")
  void nodeWithoutPodsGivesNoSamples(CgroupVersion version, Driver driver) throws Exception {
    FakeKubelet node = FakeKubelet.create(dir, version, driver);

    assertThat(new PodCollector(node.cgroupRoot(), node.procRoot(), System::nanoTime).collect())
        .isEmpty();
  }

  @org.junit.jupiter.api.Test
  void hostWithoutKubepodsGivesNoSamples() throws Exception {
    assertThat(
            new PodCollector(dir.resolve("no-cgroups"), dir.resolve("no-proc"), System::nanoTime)
                .collect())
        .isEmpty();
  }
}
