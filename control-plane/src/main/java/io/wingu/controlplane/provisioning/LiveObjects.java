package io.wingu.controlplane.provisioning;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Informer caches of every kind Wingu owns (found by the managed-by label): the reconciler compares
 * against them without reading the API server, and their events are how drift (a deleted or edited
 * object) wakes the tenant it belongs to.
 */
public final class LiveObjects implements AutoCloseable {

  // by class, and generic resources (CRDs such as Gateway API's) by "apiVersion/kind"
  private final Map<Object, SharedIndexInformer<? extends HasMetadata>> informers = new HashMap<>();
  private final Consumer<HasMetadata> wake;
  // Wingu's own writes, by kind/namespace/name (guarded by this): objects being written, events
  // that arrived meanwhile, and versions written whose event has not come yet
  private final Set<String> writing = new HashSet<>();
  private final Map<String, List<HasMetadata>> heldWhileWriting = new HashMap<>();
  private final Map<String, String> ownVersions = new HashMap<>();

  /** Starts the informers; {@code changed} gets the institution code of any object that changes. */
  public LiveObjects(KubernetesClient client, Consumer<String> changed, long resyncMillis) {
    this(client, changed, resyncMillis, List.of());
  }

  /** As above, and caches of the custom resources {@code customKinds} too (Wingu's own ones). */
  public LiveObjects(
      KubernetesClient client,
      Consumer<String> changed,
      long resyncMillis,
      List<SiteRoutes.Kind> customKinds) {
    this.wake =
        obj -> {
          Map<String, String> labels = obj.getMetadata().getLabels();
          String code = labels == null ? null : labels.get(Labels.INSTITUTION);
          if (code != null) {
            changed.accept(code);
          }
        };
    ResourceEventHandler<HasMetadata> handler =
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(HasMetadata obj) {
            if (news(obj)) {
              wake.accept(obj);
            }
          }

          @Override
          public void onUpdate(HasMetadata oldObj, HasMetadata newObj) {
            if (news(newObj)) {
              wake.accept(newObj);
            }
          }

          @Override
          public void onDelete(HasMetadata obj, boolean deletedFinalStateUnknown) {
            wake.accept(obj);
          }
        };
    @SuppressWarnings({"unchecked", "rawtypes"})
    ResourceEventHandler<Object> any = (ResourceEventHandler) handler;
    informers.put(
        Namespace.class,
        client.namespaces().withLabel(Labels.MANAGED_BY, Labels.WINGU).inform(any, resyncMillis));
    add(client, ResourceQuota.class, any, resyncMillis);
    add(client, LimitRange.class, any, resyncMillis);
    add(client, NetworkPolicy.class, any, resyncMillis);
    add(client, ServiceAccount.class, any, resyncMillis);
    add(client, Service.class, any, resyncMillis);
    add(client, Deployment.class, any, resyncMillis);
    add(client, ConfigMap.class, any, resyncMillis);
    add(client, Ingress.class, any, resyncMillis);
    add(client, RoleBinding.class, any, resyncMillis);
    for (SiteRoutes.Kind kind : customKinds) {
      informers.put(
          kind.apiVersion() + "/" + kind.kind(),
          client
              .genericKubernetesResources(
                  new ResourceDefinitionContext.Builder()
                      .withGroup(kind.group())
                      .withVersion(kind.version())
                      .withKind(kind.kind())
                      .withPlural(kind.plural())
                      .withNamespaced(true)
                      .build())
              .inAnyNamespace()
              .withLabel(Labels.MANAGED_BY, Labels.WINGU)
              .inform(any, resyncMillis));
    }
  }

  private static Object informerKey(HasMetadata like) {
    return like instanceof GenericKubernetesResource
        ? like.getApiVersion() + "/" + like.getKind()
        : like.getClass();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void add(
      KubernetesClient client,
      Class<? extends HasMetadata> kind,
      ResourceEventHandler<Object> handler,
      long resyncMillis) {
    informers.put(
        kind,
        client
            .resources(kind)
            .inAnyNamespace()
            .withLabel(Labels.MANAGED_BY, Labels.WINGU)
            .inform((ResourceEventHandler) handler, resyncMillis));
  }

  /**
   * Wingu is about to write this object. Its own write comes back as an informer event, which must
   * not wake the tenant again (the reconcile that wrote it already knows): events for the object
   * are held until {@link #written} says which version was Wingu's. Any other version — an edit by
   * someone else, a controller's status update — and every deletion still wake it.
   */
  public synchronized void writing(HasMetadata desired) {
    writing.add(key(desired));
  }

  /**
   * The write of {@link #writing} is over; {@code result} is what the API server stored, or null.
   */
  public void written(HasMetadata desired, HasMetadata result) {
    String key = key(desired);
    String version = result == null ? null : result.getMetadata().getResourceVersion();
    List<HasMetadata> others = new ArrayList<>();
    synchronized (this) {
      writing.remove(key);
      boolean echoed = false;
      List<HasMetadata> held = heldWhileWriting.remove(key);
      for (HasMetadata event : held == null ? List.<HasMetadata>of() : held) {
        if (version != null && version.equals(event.getMetadata().getResourceVersion())) {
          echoed = true;
        } else {
          others.add(event);
        }
      }
      if (version != null && !echoed) {
        ownVersions.put(key, version);
      }
    }
    others.forEach(wake);
  }

  /**
   * False for Wingu's own write coming back (see {@link #writing}); holds events during a write.
   */
  private synchronized boolean news(HasMetadata event) {
    String key = key(event);
    if (writing.contains(key)) {
      heldWhileWriting.computeIfAbsent(key, k -> new ArrayList<>()).add(event);
      return false;
    }
    String version = event.getMetadata().getResourceVersion();
    return version == null || !ownVersions.remove(key, version);
  }

  private static String key(HasMetadata obj) {
    return obj.getKind()
        + "/"
        + obj.getMetadata().getNamespace()
        + "/"
        + obj.getMetadata().getName();
  }

  /** True once every cache has listed what exists. */
  public boolean synced() {
    return informers.values().stream().allMatch(SharedIndexInformer::hasSynced);
  }

  /** The cached object with the desired one's kind, namespace and name, or null. */
  @SuppressWarnings("unchecked")
  public <T extends HasMetadata> T get(T like) {
    SharedIndexInformer<? extends HasMetadata> informer = informers.get(informerKey(like));
    if (informer == null) {
      return null;
    }
    String ns = like.getMetadata().getNamespace();
    String key =
        ns == null ? like.getMetadata().getName() : ns + "/" + like.getMetadata().getName();
    return (T) informer.getStore().getByKey(key);
  }

  /** Every cached object of a kind in a namespace. */
  @SuppressWarnings("unchecked")
  public <T extends HasMetadata> List<T> list(Class<T> kind, String namespace) {
    return (List<T>)
        informers.get(kind).getStore().list().stream()
            .filter(o -> namespace.equals(o.getMetadata().getNamespace()))
            .toList();
  }

  @Override
  public void close() {
    informers.values().forEach(SharedIndexInformer::close);
  }
}
