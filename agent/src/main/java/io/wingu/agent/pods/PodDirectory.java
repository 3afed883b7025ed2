package io.wingu.agent.pods;

import io.wingu.agent.Log;
import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Names pods by the UID of their cgroup. A UID's pod never changes, so the list is fetched again
 * only when a cgroup shows a UID not seen before (a new pod), and every ten minutes in case a
 * listing missed one: a quiet node costs the API server almost nothing. Not thread-safe: one
 * collector thread.
 */
public final class PodDirectory {

  private static final long FULL_REFRESH_NANOS = TimeUnit.MINUTES.toNanos(10);

  private final PodLister lister;
  private Map<String, PodIdentity> byCgroupUid = Map.of();

  /** UIDs a successful listing did not name: not worth another listing each interval. */
  private final Set<String> unnamed = new HashSet<>();

  private long listedAt;
  private boolean listedOnce;

  public PodDirectory(PodLister lister) {
    this.lister = lister;
  }

  /**
   * The pods of these cgroup UIDs that the API server names. A UID it does not name (a pod deleted
   * but its cgroup not yet removed, or no API server at all) maps to nothing and is logged once.
   */
  public Map<String, PodIdentity> resolve(Collection<String> cgroupUids) {
    boolean newUid = false;
    for (String uid : cgroupUids) {
      newUid |= !byCgroupUid.containsKey(uid) && !unnamed.contains(uid);
    }
    boolean stale = !listedOnce || System.nanoTime() - listedAt > FULL_REFRESH_NANOS;
    boolean listed = (newUid || stale) && refresh();
    Map<String, PodIdentity> known = new HashMap<>();
    for (String uid : cgroupUids) {
      PodIdentity pod = byCgroupUid.get(uid);
      if (pod != null) {
        known.put(uid, pod);
      } else if (listed && unnamed.add(uid)) {
        Log.warn(
            "pod cgroup "
                + uid
                + " has no pod in this node's pod list: its usage is left out of reports");
      }
    }
    unnamed.retainAll(cgroupUids); // forget pods whose cgroups are gone
    return known;
  }

  private boolean refresh() {
    try {
      Map<String, PodIdentity> fresh = new HashMap<>();
      for (PodIdentity pod : lister.listPods()) {
        fresh.put(pod.cgroupUid(), pod);
      }
      byCgroupUid = fresh;
      listedAt = System.nanoTime();
      listedOnce = true;
      return true;
    } catch (IOException | RuntimeException e) {
      // keep the last list: it still names every pod that has not changed; retry next collection
      Log.warn("cannot list this node's pods (keeping the last list): " + e);
      return false;
    }
  }
}
