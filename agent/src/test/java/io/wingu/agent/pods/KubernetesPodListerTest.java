package io.wingu.agent.pods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wingu.agent.testing.FakeControlPlane;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubernetesPodListerTest {

  /**
   * The node's pods as the API server stores them (trimmed): a site's pod, and a static pod's
   * mirror that uses the host network. The fake answers the agent's field selectors with metadata
   * only, as the API server does.
   */
  static final String POD_LIST =
      """
            {"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"4711"},
             "items":[
              {"metadata":{"name":"site-7f9c6d-abcde",
                "generateName":"site-7f9c6d-","namespace":"inst-moh","uid":"7d2e4c11-9f0a-4b3c-8d7e-2a1b3c4d5e6f",
                "resourceVersion":"4700","creationTimestamp":"2026-11-25T10:00:00Z","labels":{"app":"site"},
                "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"site-7f9c6d","uid":"x","controller":true}]},
               "spec":{"nodeName":"node-1","containers":[]}},
              {"metadata":{"name":"kube-apiserver-node-1",
                "namespace":"kube-system","uid":"e1d2c3b4-a596-4877-8695-a4b3c2d1e0f9",
                "annotations":{"kubernetes.io/config.hash":"5f4a0cbb6d3a4c7e8a1b2c3d4e5f6a7b",
                  "kubernetes.io/config.mirror":"5f4a0cbb6d3a4c7e8a1b2c3d4e5f6a7b","kubernetes.io/config.source":"file"}},
               "spec":{"nodeName":"node-1","hostNetwork":true,"containers":[]}},
              {"metadata":{"name":"web-0","namespace":"inst-tra","uid":"0c1a0f43-5b6e-4d8a-9a3e-1b2c3d4e5f60"},
               "spec":{"nodeName":"node-2","hostNetwork":true,"containers":[]}}
             ]}
            """;

  @TempDir Path dir;

  @Test
  void listsThisNodesPodsAndMarksThoseOnTheHostNetworkWithTheServiceAccountToken()
      throws Exception {
    try (FakeControlPlane apiServer = new FakeControlPlane()) {
      apiServer.podList(POD_LIST);
      Path token = Files.writeString(dir.resolve("token"), "sa-token-1\n");
      KubernetesPodLister lister =
          new KubernetesPodLister(
              URI.create(apiServer.url()),
              "node-1",
              token,
              dir.resolve("absent-ca.crt"),
              Duration.ofSeconds(5));

      assertThat(lister.listPods())
          .containsExactly(
              new PodIdentity(
                  "inst-moh", "site-7f9c6d-abcde", "7d2e4c11-9f0a-4b3c-8d7e-2a1b3c4d5e6f"),
              new PodIdentity(
                  "kube-system",
                  "kube-apiserver-node-1",
                  "e1d2c3b4-a596-4877-8695-a4b3c2d1e0f9",
                  "5f4a0cbb6d3a4c7e8a1b2c3d4e5f6a7b",
                  true));
      assertThat(apiServer.nextPodListQuery(5))
          .isEqualTo("fieldSelector=spec.nodeName%3Dnode-1 auth=Bearer sa-token-1");
      assertThat(apiServer.nextPodListQuery(5))
          .isEqualTo(
              "fieldSelector=spec.nodeName%3Dnode-1%2Cspec.hostNetwork%3Dtrue auth=Bearer sa-token-1");

      Files.writeString(dir.resolve("token"), "sa-token-2"); // rotated by the kubelet
      lister.listPods();
      assertThat(apiServer.nextPodListQuery(5)).endsWith("auth=Bearer sa-token-2");
      assertThat(apiServer.nextPodListQuery(5)).endsWith("auth=Bearer sa-token-2");
    }
  }

  @Test
  void aFailedHostNetworkListFailsTheWholeListing() throws Exception {
    try (FakeControlPlane apiServer = new FakeControlPlane()) {
      apiServer.podList(POD_LIST);
      apiServer.failPodListsSelecting("spec.hostNetwork");
      KubernetesPodLister lister =
          new KubernetesPodLister(
              URI.create(apiServer.url()),
              "node-1",
              dir.resolve("no-token"),
              dir.resolve("absent-ca.crt"),
              Duration.ofSeconds(5));

      // no list that would count the kube-apiserver's pod as having its own network (the node's
      // traffic)
      assertThatThrownBy(lister::listPods)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("spec.hostNetwork%3Dtrue answered 503");
    }
  }

  @Test
  void fullPodListParsesTheSameWay() throws Exception {
    String podList =
        """
                {"kind":"PodList","apiVersion":"v1","items":[{"metadata":{"name":"db-0","namespace":"inst-tra",
                 "uid":"0c1a0f43-5b6e-4d8a-9a3e-1b2c3d4e5f60"},"spec":{"nodeName":"node-1","containers":[]},
                 "status":{"phase":"Running"}}]}
                """;
    assertThat(KubernetesPodLister.parse(podList.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .containsExactly(
            new PodIdentity("inst-tra", "db-0", "0c1a0f43-5b6e-4d8a-9a3e-1b2c3d4e5f60"));
  }
}
