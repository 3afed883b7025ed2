package io.wingu.dev;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parts of this machine a one-node cluster changes (kubelet, containerd and the CNI bridge
 * plugin), captured before the cluster starts so that stopping it can put every one of them back:
 * kernel settings, mounts, network interfaces, kubepods cgroups, state folders and iptables rules.
 *
 * @param sysctls value of each kernel setting kubelet or the bridge plugin writes
 * @param mounts "mount point (type)" of every mount under a path the cluster mounts on
 * @param links names of the network interfaces
 * @param cgroups the kubepods cgroup folders
 * @param folders for each state folder the cluster may create, its entries (absent: no folder)
 * @param iptables the rules of every iptables table, without counters (IPv4, then the IPv6 ones
 *     after {@value #IP6TABLES_MARK}: kube-proxy writes both)
 * @param ipsets names of the kernel's IP sets (the NetworkPolicy enforcer makes some); null in a
 *     snapshot an older version wrote
 */
public record HostState(
    Map<String, String> sysctls,
    Set<String> mounts,
    Set<String> links,
    Set<String> cgroups,
    Map<String, Set<String>> folders,
    String iptables,
    Set<String> ipsets) {

  private static final Logger LOG = LoggerFactory.getLogger(HostState.class);

  /**
   * kubelet's setupKernelTunables, plus ip_forward which the bridge plugin turns on for a gateway.
   */
  static final List<String> SYSCTLS =
      List.of(
          "vm.overcommit_memory",
          "vm.panic_on_oom",
          "kernel.panic",
          "kernel.panic_on_oops",
          "kernel.keys.root_maxkeys",
          "kernel.keys.root_maxbytes",
          "net.ipv4.ip_forward");

  /** Where kubelet, containerd and the CNI plugins mount or keep state outside the run folder. */
  static final List<String> FOLDERS =
      List.of(
          "/var/lib/kubelet",
          "/var/lib/cni",
          "/run/netns",
          "/run/containerd",
          "/var/log/containers",
          "/var/log/pods",
          "/etc/cni",
          "/opt/cni",
          "/opt/containerd",
          "/var/lib/containerd");

  private static final Path CGROUPS = Path.of("/sys/fs/cgroup");

  public static HostState capture() {
    try {
      Map<String, String> sysctls = new TreeMap<>();
      for (String key : SYSCTLS) {
        Path file = sysctlFile(key);
        sysctls.put(key, Files.exists(file) ? Files.readString(file).strip() : "(absent)");
      }
      Set<String> links = new TreeSet<>();
      try (Stream<Path> s = Files.list(Path.of("/sys/class/net"))) {
        s.forEach(p -> links.add(p.getFileName().toString()));
      }
      Map<String, Set<String>> folders = new TreeMap<>();
      for (String f : FOLDERS) {
        Path dir = Path.of(f);
        if (Files.isDirectory(dir)) {
          Set<String> entries = new TreeSet<>();
          try (Stream<Path> s = Files.list(dir)) {
            s.forEach(p -> entries.add(p.getFileName().toString()));
          }
          folders.put(f, entries);
        }
      }
      return new HostState(
          sysctls,
          mountPoints(),
          links,
          kubepodsCgroups(),
          folders,
          currentIptables(),
          currentIpsets());
    } catch (IOException e) {
      throw new UncheckedIOException("could not read this machine's state", e);
    }
  }

  /** The differences from {@code other}, one line each; empty when the two are the same. */
  public List<String> differencesFrom(HostState other) {
    List<String> d = new ArrayList<>();
    if (!sysctls.equals(other.sysctls)) {
      d.add("sysctls " + other.sysctls + " -> " + sysctls);
    }
    if (!mounts.equals(other.mounts)) {
      d.add("mounts " + other.mounts + " -> " + mounts);
    }
    if (!links.equals(other.links)) {
      d.add("interfaces " + other.links + " -> " + links);
    }
    if (!cgroups.equals(other.cgroups)) {
      d.add("cgroups " + other.cgroups + " -> " + cgroups);
    }
    if (!folders.equals(other.folders)) {
      d.add("folders " + other.folders + " -> " + folders);
    }
    if (!iptables.equals(other.iptables)) {
      d.add("iptables\n" + other.iptables + "\n->\n" + iptables);
    }
    if (other.ipsets != null && ipsets != null && !ipsets.equals(other.ipsets)) {
      d.add("ipsets " + other.ipsets + " -> " + ipsets);
    }
    return d;
  }

  /**
   * Puts this machine back the way {@code this} found it. Every step runs even when an earlier one
   * failed; containers and the cluster's processes must already be gone.
   */
  public void restore(String bridgeName) {
    // mounts first, deepest first: folders and cgroups cannot go while something is mounted in them
    List<String> extra =
        new ArrayList<>(
            mountPointsOrEmpty().stream()
                .map(HostState::mountPath)
                .filter(p -> mounts.stream().noneMatch(m -> mountPath(m).equals(p)))
                .toList());
    extra.sort(Comparator.comparingInt(String::length).reversed());
    for (String p : extra) {
      quietly("umount", List.of("umount", "-l", p));
    }
    // only what the cluster made: its bridge, and veth ends still attached to it
    for (String link : currentLinks()) {
      if (!links.contains(link) && bridgeName.equals(masterOf(link))) {
        quietly("ip link delete", List.of("ip", "link", "delete", link));
      }
    }
    if (!links.contains(bridgeName) && currentLinks().contains(bridgeName)) {
      quietly("ip link delete", List.of("ip", "link", "delete", bridgeName));
    }
    for (String cg : kubepodsCgroupsOrEmpty()) {
      if (!cgroups.contains(cg)) {
        removeCgroupTree(Path.of(cg));
      }
    }
    for (String f : FOLDERS) {
      Path dir = Path.of(f);
      Set<String> before = folders.get(f);
      try {
        if (before == null) {
          deleteTree(dir);
        } else if (Files.isDirectory(dir)) {
          try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> !before.contains(p.getFileName().toString())).toList()) {
              deleteTree(p);
            }
          }
        }
      } catch (IOException | UncheckedIOException e) {
        LOG.warn("could not remove what the cluster left in {}: {}", f, e.getMessage());
      }
    }
    for (Map.Entry<String, String> e : sysctls.entrySet()) {
      Path file = sysctlFile(e.getKey());
      try {
        if (Files.exists(file) && !Files.readString(file).strip().equals(e.getValue())) {
          Files.writeString(file, e.getValue() + "\n");
        }
      } catch (IOException ex) {
        LOG.warn("could not put {} back to {}: {}", e.getKey(), e.getValue(), ex.getMessage());
      }
    }
    String now = currentIptables();
    if (!iptables.equals(now)) {
      LOG.info(
          "iptables rules changed while the cluster ran (kube-proxy); restoring the earlier rules");
      restoreRules("iptables-restore", family(iptables, false), family(now, false));
      restoreRules("ip6tables-restore", family(iptables, true), family(now, true));
    }
    // after the rules: a set a rule still refers to cannot be destroyed
    if (ipsets != null) {
      for (String set : currentIpsets()) {
        if (!ipsets.contains(set)) {
          quietly("ipset destroy", List.of("ipset", "destroy", set));
        }
      }
    }
  }

  private static final String IP6TABLES_MARK = "## ip6tables";

  private static String family(String rules, boolean ipv6) {
    int mark = rules.indexOf(IP6TABLES_MARK + "\n");
    if (mark < 0) {
      return ipv6 ? "" : rules;
    }
    return ipv6 ? rules.substring(mark + IP6TABLES_MARK.length() + 1) : rules.substring(0, mark);
  }

  /**
   * Restores {@code before} and empties each table made since: iptables-restore replaces only the
   * tables its input names, and an input of "*table COMMIT" removes that table's chains and rules.
   */
  private static void restoreRules(String command, String before, String now) {
    if (before.equals(now)) {
      return;
    }
    StringBuilder input = new StringBuilder(before);
    for (String line : now.lines().toList()) {
      if (line.startsWith("*") && !before.lines().toList().contains(line)) {
        input.append(line).append("\nCOMMIT\n");
      }
    }
    try {
      Path saved = Files.createTempFile("wingu-iptables-", ".rules");
      Files.writeString(saved, input);
      quietly(command, List.of("/usr/sbin/" + command, saved.toString()));
      Files.deleteIfExists(saved);
    } catch (IOException e) {
      LOG.warn("could not restore iptables: {}", e.getMessage());
    }
  }

  /** The names of the kernel's IP sets; empty without the ipset program. */
  private static Set<String> currentIpsets() {
    Set<String> out = new TreeSet<>();
    if (!Files.isExecutable(Path.of("/usr/sbin/ipset"))) {
      return out;
    }
    try {
      Processes.Result r = Processes.run(List.of("/usr/sbin/ipset", "list", "-n"));
      if (r.ok()) {
        r.output().lines().filter(l -> !l.isBlank()).forEach(l -> out.add(l.strip()));
      }
    } catch (IOException e) {
      LOG.warn("could not list ipsets: {}", e.getMessage());
    }
    return out;
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static Path sysctlFile(String key) {
    return Path.of("/proc/sys", key.replace('.', '/'));
  }

  private static String masterOf(String link) {
    try {
      return Files.readSymbolicLink(Path.of("/sys/class/net", link, "master"))
          .getFileName()
          .toString();
    } catch (IOException | UnsupportedOperationException e) {
      return null;
    }
  }

  private static Set<String> currentLinks() {
    Set<String> links = new TreeSet<>();
    try (Stream<Path> s = Files.list(Path.of("/sys/class/net"))) {
      s.forEach(p -> links.add(p.getFileName().toString()));
    } catch (IOException e) {
      LOG.warn("could not list interfaces: {}", e.getMessage());
    }
    return links;
  }

  /**
   * "mount point (fs type)" for mounts under the cluster's paths; ids change, so they are left out.
   */
  private static Set<String> mountPoints() throws IOException {
    Set<String> out = new TreeSet<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      String[] f = line.split(" ");
      String point = f[4].replace("\\040", " ");
      int dash = line.indexOf(" - ");
      String type = dash < 0 ? "?" : line.substring(dash + 3).split(" ")[0];
      if (point.contains("kubelet")
          || point.contains("netns")
          || point.contains("cni")
          || point.contains("containerd")
          || point.contains("wingu-cluster")
          || point.contains("kubepods")) {
        out.add(point + " (" + type + ")");
      }
    }
    return out;
  }

  private static Set<String> mountPointsOrEmpty() {
    try {
      return mountPoints();
    } catch (IOException e) {
      LOG.warn("could not read mounts: {}", e.getMessage());
      return Set.of();
    }
  }

  private static String mountPath(String entry) {
    return entry.substring(0, entry.lastIndexOf(" ("));
  }

  private static Set<String> kubepodsCgroups() throws IOException {
    Set<String> out = new TreeSet<>();
    if (!Files.isDirectory(CGROUPS)) {
      return out;
    }
    try (Stream<Path> controllers = Files.list(CGROUPS)) {
      for (Path c : controllers.toList()) {
        for (String name : List.of("kubepods", "kubepods.slice")) {
          if (Files.isDirectory(c.resolve(name))) {
            out.add(c.resolve(name).toString());
          }
        }
      }
    }
    return out;
  }

  private static Set<String> kubepodsCgroupsOrEmpty() {
    try {
      return kubepodsCgroups();
    } catch (IOException e) {
      LOG.warn("could not list cgroups: {}", e.getMessage());
      return Set.of();
    }
  }

  /** cgroup folders go with rmdir, children first; their control files cannot be deleted. */
  private static void removeCgroupTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
        quietly("rmdir", List.of("rmdir", p.toString()));
      }
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("could not remove cgroup {}: {}", dir, e.getMessage());
    }
  }

  /** iptables-save without counters and comments, so two snapshots compare by their rules alone. */
  private static String currentIptables() {
    String ipv6 = savedRules("/usr/sbin/ip6tables-save");
    return savedRules("/usr/sbin/iptables-save")
        + (ipv6.isEmpty() ? "" : IP6TABLES_MARK + "\n" + ipv6);
  }

  private static String savedRules(String command) {
    if (!Files.isExecutable(Path.of(command))) {
      return "";
    }
    try {
      Processes.Result r = Processes.run(List.of(command));
      if (!r.ok()) {
        return "";
      }
      StringBuilder sb = new StringBuilder();
      StringBuilder table = new StringBuilder();
      boolean empty = true;
      for (String line : r.output().lines().toList()) {
        if (line.startsWith("#")) {
          continue;
        }
        String rule = line.startsWith(":") ? line.replaceAll(" \\[\\d+:\\d+\\]$", "") : line;
        if (line.startsWith("*")) {
          table.setLength(0);
          empty = true;
        }
        table.append(rule).append('\n');
        // a table flushed back to built-in chains that accept is the same as no table (iptables-nft
        // cannot delete one; the restore above leaves it so)
        if (!line.startsWith("*")
            && !line.equals("COMMIT")
            && !line.matches(":(INPUT|FORWARD|OUTPUT|PREROUTING|POSTROUTING) ACCEPT.*")) {
          empty = false;
        }
        if (line.equals("COMMIT") && !empty) {
          sb.append(table);
        }
      }
      return sb.toString();
    } catch (IOException e) {
      return "";
    }
  }

  private static void quietly(String what, List<String> command) {
    try {
      Processes.Result r = Processes.run(command);
      if (!r.ok()) {
        LOG.warn("{} {} failed: {}", what, command.get(command.size() - 1), r.output());
      }
    } catch (IOException e) {
      LOG.warn("{} failed: {}", what, e.getMessage());
    }
  }
}
