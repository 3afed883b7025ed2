package io.wingu.agent.pods;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PodDirectoryTest {

  private static final PodIdentity WEB = new PodIdentity("inst-moh", "web", "uid-web");
  private static final PodIdentity DB = new PodIdentity("inst-moh", "db", "uid-db");

  /** A pod list that changes when told to and counts how often it is asked. */
  private static final class ScriptedLister implements PodLister {
    List<PodIdentity> pods = new ArrayList<>();
    boolean failing;
    int calls;

    @Override
    public List<PodIdentity> listPods() throws IOException {
      calls++;
      if (failing) {
        throw new IOException("connection refused");
      }
      return List.copyOf(pods);
    }
  }

  @Test
  void listsAgainOnlyWhenAnUnseenUidAppears() {
    ScriptedLister lister = new ScriptedLister();
    lister.pods.add(WEB);
    PodDirectory directory = new PodDirectory(lister);

    assertThat(directory.resolve(Set.of("uid-web")))
        .containsExactlyEntriesOf(java.util.Map.of("uid-web", WEB));
    assertThat(directory.resolve(Set.of("uid-web"))).containsKey("uid-web");
    assertThat(lister.calls).isEqualTo(1);

    lister.pods.add(DB);
    assertThat(directory.resolve(Set.of("uid-web", "uid-db")))
        .containsOnlyKeys("uid-web", "uid-db");
    assertThat(lister.calls).isEqualTo(2);
  }

  @Test
  void leavesOutUidsThePodListDoesNotNameWithoutListingEachTime() {
    ScriptedLister lister = new ScriptedLister();
    lister.pods.add(WEB);
    PodDirectory directory = new PodDirectory(lister);

    assertThat(directory.resolve(Set.of("uid-web", "uid-orphan"))).containsOnlyKeys("uid-web");
    assertThat(directory.resolve(Set.of("uid-web", "uid-orphan"))).containsOnlyKeys("uid-web");
    assertThat(lister.calls).isEqualTo(1);
  }

  @Test
  void keepsTheLastListWhenTheApiServerFails() {
    ScriptedLister lister = new ScriptedLister();
    lister.pods.add(WEB);
    PodDirectory directory = new PodDirectory(lister);
    directory.resolve(Set.of("uid-web"));
    lister.failing = true;

    assertThat(directory.resolve(Set.of("uid-web", "uid-db"))).containsOnlyKeys("uid-web");

    lister.failing = false;
    lister.pods.add(DB);
    assertThat(directory.resolve(Set.of("uid-web", "uid-db")))
        .containsOnlyKeys("uid-web", "uid-db");
  }
}
