package io.wingu.controlplane.provisioning;

import static io.wingu.controlplane.testing.SharedControlPlane.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.wingu.controlplane.testing.Eventually;
import io.wingu.controlplane.testing.TestCluster;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * On a real API server: Wingu's own writes coming back through the informers do not wake the tenant
 * again (the reconcile that wrote them already knows), while anyone else's change does.
 */
class LiveObjectsIT {

  @Test
  void ownWritesDoNotWakeTheTenantButOthersChangesDo() throws Exception {
    KubernetesClient admin = TestCluster.adminClient();
    List<String> woken = new CopyOnWriteArrayList<>();
    try (LiveObjects live = new LiveObjects(admin, woken::add, 0)) {
      Eventually.holds("the caches listed what exists", live::synced, Duration.ofSeconds(20));
      ServerSideApply apply = new ServerSideApply(admin, live);
      Tenant ours = tenant();
      Tenant marker = tenant();

      assertThat(apply.apply(Namespaces.desired(ours)).outcome()).isEqualTo(ApplyOutcome.CREATED);
      // a write by someone else after ours: events of one informer arrive in order, so once the
      // marker has woken its tenant, our namespace's event has been seen too
      admin.resource(Namespaces.desired(marker)).create();
      Eventually.holds(
          "the marker's namespace woke its tenant",
          () -> woken.contains(marker.code()),
          Duration.ofSeconds(20));
      assertThat(woken).doesNotContain(ours.code());
      assertThat(live.get(Namespaces.desired(ours))).isNotNull();

      admin
          .namespaces()
          .withName(ours.namespace())
          .edit(
              n -> {
                n.getMetadata().getLabels().put("pod-security.kubernetes.io/enforce", "privileged");
                return n;
              });
      Eventually.holds(
          "someone else's edit woke the tenant",
          () -> woken.contains(ours.code()),
          Duration.ofSeconds(20));

      // and Wingu putting it back is again its own write
      woken.clear();
      Tenant marker2 = tenant();
      assertThat(apply.apply(Namespaces.desired(ours)).outcome()).isEqualTo(ApplyOutcome.CHANGED);
      admin.resource(Namespaces.desired(marker2)).create();
      Eventually.holds(
          "the second marker woke its tenant",
          () -> woken.contains(marker2.code()),
          Duration.ofSeconds(20));
      assertThat(woken).doesNotContain(ours.code());
    }
  }

  private static Tenant tenant() {
    String code = unique("lo").toLowerCase();
    return new Tenant(UUID.randomUUID(), code, List.of(code + ".go.tz"), List.of());
  }
}
