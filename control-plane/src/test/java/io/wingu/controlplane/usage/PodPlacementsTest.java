package io.wingu.controlplane.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

/**
 * The usage caches keep of each pod and node only what the sample checks read (issue 24: 150,000
 * pods at 5,000 nodes): the real Fabric8 stores, fed whole objects as an informer feeds them.
 */
class PodPlacementsTest {

  private final KubernetesSerialization serialization = new KubernetesSerialization();

  @Test
  void thePodCacheKeepsUidAndNodeAndDropsTheRest() {
    ItemStore<Pod> store = PodPlacements.podStore(serialization);
    Pod whole =
        new PodBuilder()
            .withNewMetadata()
            .withNamespace("inst-afya")
            .withName("portal-7d9f-abcde")
            .withUid("0b6c1d2e-1111-4222-8333-944455556666")
            .withResourceVersion("42")
            .addToLabels("wingu.io/site", "portal")
            .addToAnnotations("note", "x".repeat(2000))
            .withManagedFields(
                new ManagedFieldsEntryBuilder().withManager("kube-controller-manager").build())
            .endMetadata()
            .withNewSpec()
            .withNodeName("kwok-node-7")
            .addNewContainer()
            .withName("web")
            .withImage("wingu/site-web")
            .addNewEnv()
            .withName("SITE")
            .withValue("portal")
            .endEnv()
            .endContainer()
            .endSpec()
            .withNewStatus()
            .withPhase("Running")
            .withPodIP("10.0.0.7")
            .endStatus()
            .build();

    store.put(store.getKey(whole), whole);
    Pod kept = store.get("inst-afya/portal-7d9f-abcde");

    assertThat(kept.getMetadata().getUid()).isEqualTo("0b6c1d2e-1111-4222-8333-944455556666");
    assertThat(kept.getMetadata().getNamespace()).isEqualTo("inst-afya");
    assertThat(kept.getMetadata().getName()).isEqualTo("portal-7d9f-abcde");
    assertThat(kept.getSpec().getNodeName()).isEqualTo("kwok-node-7");
    assertThat(kept.getSpec().getContainers()).isEmpty();
    assertThat(kept.getMetadata().getAnnotations()).isNullOrEmpty();
    assertThat(kept.getMetadata().getLabels()).isNullOrEmpty();
    assertThat(kept.getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(kept.getStatus()).isNull();
    assertThat(store.isFullState()).isFalse();
  }

  @Test
  void theNodeCacheKeepsCapacityAndAllocatableAndDropsTheRest() {
    ItemStore<Node> store = PodPlacements.nodeStore(serialization);
    Node whole =
        new NodeBuilder()
            .withNewMetadata()
            .withName("kwok-node-7")
            .addToLabels("type", "kwok")
            .endMetadata()
            .withNewStatus()
            .addToCapacity("cpu", new Quantity("32"))
            .addToAllocatable("memory", new Quantity("256Gi"))
            .addNewCondition()
            .withType("Ready")
            .withStatus("True")
            .endCondition()
            .addNewImage()
            .withNames("wingu/site-web:1")
            .endImage()
            .endStatus()
            .build();

    store.put(store.getKey(whole), whole);
    Node kept = store.get("kwok-node-7");

    assertThat(kept.getStatus().getCapacity()).containsEntry("cpu", new Quantity("32"));
    assertThat(kept.getStatus().getAllocatable()).containsEntry("memory", new Quantity("256Gi"));
    assertThat(kept.getStatus().getConditions()).isEmpty();
    assertThat(kept.getStatus().getImages()).isEmpty();
    assertThat(kept.getMetadata().getLabels()).isNullOrEmpty();
  }
}
