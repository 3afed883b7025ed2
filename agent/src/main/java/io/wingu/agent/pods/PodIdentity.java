package io.wingu.agent.pods;

/**
 * A pod as the API server knows it.
 *
 * @param uid metadata.uid
 * @param cgroupUid the UID the kubelet named the pod's cgroup after: the same as {@code uid},
 *     except for a static pod, whose cgroup carries the config hash found in the mirror pod's
 *     {@code kubernetes.io/config.mirror} annotation
 * @param hostNetwork spec.hostNetwork: the pod shares the node's network namespace, so the counters
 *     of its {@code /proc/<pid>/net/dev} are the node's traffic, not the pod's
 */
public record PodIdentity(
    String namespace, String name, String uid, String cgroupUid, boolean hostNetwork) {

  public PodIdentity(String namespace, String name, String uid) {
    this(namespace, name, uid, uid, false);
  }

  public PodIdentity(String namespace, String name, String uid, String cgroupUid) {
    this(namespace, name, uid, cgroupUid, false);
  }
}
