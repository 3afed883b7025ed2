package io.wingu.agent.pods;

import java.io.IOException;
import java.util.List;

/** The pods scheduled on this node; the Kubernetes API in a cluster, a fixed list in tests. */
@FunctionalInterface
public interface PodLister {

  List<PodIdentity> listPods() throws IOException;

  /** Outside a cluster nothing names the pods. */
  PodLister NONE =
      new PodLister() {
        @Override
        public List<PodIdentity> listPods() {
          return List.of();
        }
      };
}
