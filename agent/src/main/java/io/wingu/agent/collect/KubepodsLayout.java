package io.wingu.agent.collect;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the kubelet puts pod cgroups in one hierarchy, for both of its cgroup drivers:
 *
 * <pre>
 * systemd:  kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod&lt;uid, '-' as '_'&gt;.slice/cri-containerd-&lt;id&gt;.scope
 *           kubepods.slice/kubepods-pod&lt;uid&gt;.slice/...        (guaranteed pods sit right under kubepods)
 * cgroupfs: kubepods/burstable/pod&lt;uid&gt;/&lt;container id&gt;
 *           kubepods/pod&lt;uid&gt;/...
 * </pre>
 *
 * A pod's cgroup aggregates all of its containers, so the pod level is read, never the containers.
 */
final class KubepodsLayout {

  /**
   * kubepods roots, in the order tried; the last is the systemd layout some distributions nest
   * under kubelet.slice.
   */
  private static final List<String> ROOTS =
      List.of("kubepods.slice", "kubepods", "kubelet.slice/kubelet-kubepods.slice");

  /**
   * A pod cgroup's name: optional dash-separated prefix, "pod", the UID (a UUID, or the 32 hex
   * digits of a static pod's config hash; systemd writes '_' for '-'), optional ".slice".
   */
  private static final Pattern POD_DIR =
      Pattern.compile("(?:[a-z]+-)*pod([0-9a-fA-F][0-9a-fA-F_-]{15,})(?:\\.slice)?");

  private KubepodsLayout() {}

  /** The pod UID a cgroup directory name stands for, or null when it is not a pod cgroup. */
  static String uidOf(String dirName) {
    Matcher matcher = POD_DIR.matcher(dirName);
    return matcher.matches() ? matcher.group(1).replace('_', '-') : null;
  }

  /** The QoS-class directories of both drivers; guaranteed pods have none. */
  private static final List<String> QOS_DIRS =
      List.of(
          "kubepods-burstable.slice", "kubepods-besteffort.slice",
          "kubelet-kubepods-burstable.slice", "kubelet-kubepods-besteffort.slice",
          "burstable", "besteffort");

  /**
   * Pod UID → the pod's cgroup directory relative to {@code hierarchy}; empty when there is no
   * kubepods tree.
   */
  static Map<String, Path> findPods(Path hierarchy) throws IOException {
    Map<String, Path> pods = new TreeMap<>();
    for (String root : ROOTS) {
      Path kubepods = hierarchy.resolve(root);
      // depth 1: pods of the guaranteed class, or the QoS-class directories holding depth 2
      for (Path child : entries(kubepods)) {
        String name = child.getFileName().toString();
        String uid = uidOf(name);
        if (uid != null) {
          pods.put(uid, hierarchy.relativize(child));
        } else if (QOS_DIRS.contains(name)) {
          for (Path grandchild : entries(child)) {
            String podUid = uidOf(grandchild.getFileName().toString());
            if (podUid != null) {
              pods.put(podUid, hierarchy.relativize(grandchild));
            }
          }
        }
      }
    }
    return pods;
  }

  /**
   * The first process of a pod: pod-level cgroup.procs (cgroup v1 may hold processes there), then
   * each container's. Zero when there is none in this PID namespace (the kernel writes 0 for
   * processes outside it).
   */
  static int firstPid(Path podDir) throws IOException {
    int pid = firstPidIn(podDir);
    if (pid > 0) {
      return pid;
    }
    for (Path entry : entries(podDir)) {
      if (isContainerName(entry.getFileName().toString())) {
        pid = firstPidIn(entry);
        if (pid > 0) {
          return pid;
        }
      }
    }
    return 0;
  }

  private static int firstPidIn(Path cgroup) throws IOException {
    String procs = ProcFiles.readIfExists(cgroup.resolve("cgroup.procs"));
    if (procs == null) {
      return 0;
    }
    for (String line : procs.split("\n")) {
      if (!line.isBlank() && !line.strip().equals("0")) {
        return Integer.parseInt(line.strip());
      }
    }
    return 0;
  }

  /**
   * cgroup v1's control files without a dot in their name, in every cgroup directory: taking
   * "tasks" for a container made the whole collection fail on a real cgroup v1 node
   * (".../tasks/cgroup.procs: Not a directory") whenever the directory listing gave it before the
   * container holding a process.
   */
  private static final List<String> V1_DOTLESS_FILES =
      List.of("tasks", "notify_on_release", "release_agent");

  /**
   * A container's cgroup: "cri-containerd-&lt;id&gt;.scope" (or crio-, docker-) under systemd, the
   * bare id under cgroupfs. Telling them from the dozens of control files by name spares a stat
   * call per file.
   */
  static boolean isContainerName(String name) {
    return name.endsWith(".scope") || (name.indexOf('.') < 0 && !V1_DOTLESS_FILES.contains(name));
  }

  /**
   * The names in a directory, without a stat call each; empty when it does not exist (a pod just
   * removed).
   */
  private static List<Path> entries(Path dir) throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      List<Path> paths = new ArrayList<>();
      for (Path entry : entries) {
        paths.add(entry);
      }
      return paths;
    } catch (NoSuchFileException | java.nio.file.NotDirectoryException e) {
      return List.of();
    }
  }
}
