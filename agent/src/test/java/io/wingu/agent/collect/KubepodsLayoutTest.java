package io.wingu.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubepodsLayoutTest {

  @Test
  void readsUidFromEveryKubeletNaming() {
    assertThat(
            KubepodsLayout.uidOf(
                "kubepods-burstable-pod7d2e4c11_9f0a_4b3c_8d7e_2a1b3c4d5e6f.slice"))
        .isEqualTo("7d2e4c11-9f0a-4b3c-8d7e-2a1b3c4d5e6f");
    assertThat(
            KubepodsLayout.uidOf(
                "kubepods-besteffort-poda9b8c7d6_e5f4_4a3b_9c2d_1e0f9a8b7c6d.slice"))
        .isEqualTo("a9b8c7d6-e5f4-4a3b-9c2d-1e0f9a8b7c6d");
    assertThat(KubepodsLayout.uidOf("kubepods-pod0c1a0f43_5b6e_4d8a_9a3e_1b2c3d4e5f60.slice"))
        .isEqualTo("0c1a0f43-5b6e-4d8a-9a3e-1b2c3d4e5f60");
    assertThat(
            KubepodsLayout.uidOf(
                "kubelet-kubepods-burstable-pod0c1a0f43_5b6e_4d8a_9a3e_1b2c3d4e5f60.slice"))
        .isEqualTo("0c1a0f43-5b6e-4d8a-9a3e-1b2c3d4e5f60");
    assertThat(KubepodsLayout.uidOf("pod0c1a0f43-5b6e-4d8a-9a3e-1b2c3d4e5f60"))
        .isEqualTo("0c1a0f43-5b6e-4d8a-9a3e-1b2c3d4e5f60");
    // a static pod's cgroup carries its config hash
    assertThat(KubepodsLayout.uidOf("kubepods-burstable-pod5f4a0cbb6d3a4c7e8a1b2c3d4e5f6a7b.slice"))
        .isEqualTo("5f4a0cbb6d3a4c7e8a1b2c3d4e5f6a7b");
  }

  @Test
  void otherCgroupsAreNotPods() {
    assertThat(KubepodsLayout.uidOf("kubepods-burstable.slice")).isNull();
    assertThat(KubepodsLayout.uidOf("besteffort")).isNull();
    assertThat(
            KubepodsLayout.uidOf(
                "cri-containerd-4f1e2d3c4b5a69788796a5b4c3d2e1f04f1e2d3c4b5a69788796a5b4c3d2e1f0.scope"))
        .isNull();
    assertThat(
            KubepodsLayout.uidOf(
                "4f1e2d3c4b5a69788796a5b4c3d2e1f04f1e2d3c4b5a69788796a5b4c3d2e1f0"))
        .isNull();
    assertThat(KubepodsLayout.uidOf("system.slice")).isNull();
  }

  /**
   * A cgroup v1 pod directory as the kubelet's cgroupfs driver leaves it: besides its containers,
   * the dotless control files "tasks" and "notify_on_release", which are no containers. A pod whose
   * containers hold no process (all exited) makes the search read every entry, so the files are met
   * whatever the directory's order.
   */
  @Test
  void cgroupV1ControlFilesAreNotContainers(@TempDir Path pod) throws Exception {
    Files.writeString(pod.resolve("cgroup.procs"), "");
    Files.writeString(pod.resolve("tasks"), "");
    Files.writeString(pod.resolve("notify_on_release"), "0\n");
    Files.writeString(pod.resolve("cpuacct.usage"), "123\n");
    Path exited =
        Files.createDirectories(
            pod.resolve("4f1e2d3c4b5a69788796a5b4c3d2e1f04f1e2d3c4b5a69788796a5b4c3d2e1f0"));
    Files.writeString(exited.resolve("cgroup.procs"), "");
    Files.writeString(exited.resolve("tasks"), "");

    assertThat(KubepodsLayout.firstPid(pod)).isZero();

    Path running =
        Files.createDirectories(
            pod.resolve("9a8b7c6d5e4f30211203f4e5d6c7b8a99a8b7c6d5e4f30211203f4e5d6c7b8a9"));
    Files.writeString(running.resolve("cgroup.procs"), "4242\n");
    assertThat(KubepodsLayout.firstPid(pod)).isEqualTo(4242);
    assertThat(KubepodsLayout.isContainerName("tasks")).isFalse();
    assertThat(KubepodsLayout.isContainerName("notify_on_release")).isFalse();
    assertThat(KubepodsLayout.isContainerName("cri-containerd-9a8b.scope")).isTrue();
  }
}
