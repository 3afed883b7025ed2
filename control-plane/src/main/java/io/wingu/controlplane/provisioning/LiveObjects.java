package io.wingu.controlplane.provisioning;

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
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Informer caches of every kind Wingu owns (found by the managed-by label): the reconciler
 * compares against them without reading the API server, and their events are how drift (a
 * deleted or edited object) wakes the tenant it belongs to.
 */
public final class LiveObjects implements AutoCloseable {

  private final Map<Class<?>, SharedIndexInformer<? extends HasMetadata>> informers = new HashMap<>();

  /** Starts the informers; {@code changed} gets the institution code of any object that changes. */
  public LiveObjects(KubernetesClient client, Consumer<String> changed, long resyncMillis) {
    ResourceEventHandler<HasMetadata> handler = new ResourceEventHandler<>() {
      @Override
      public void onAdd(HasMetadata obj) {
        notify(obj);
      }

      @Override
      public void onUpdate(HasMetadata oldObj, HasMetadata newObj) {
        notify(newObj);
      }

      @Override
      public void onDelete(HasMetadata obj, boolean deletedFinalStateUnknown) {
        notify(obj);
      }

      private void notify(HasMetadata obj) {
        Map<String, String> labels = obj.getMetadata().getLabels();
        String code = labels == null ? null : labels.get(Labels.INSTITUTION);
        if (code != null) {
          changed.accept(code);
        }
      }
    };
    @SuppressWarnings({"unchecked", "rawtypes"})
    ResourceEventHandler<Object> any = (ResourceEventHandler) handler;
    informers.put(Namespace.class, client.namespaces().withLabel(Labels.MANAGED_BY, Labels.WINGU)
        .inform((ResourceEventHandler) any, resyncMillis));
    add(client, ResourceQuota.class, any, resyncMillis);
    add(client, LimitRange.class, any, resyncMillis);
    add(client, NetworkPolicy.class, any, resyncMillis);
    add(client, ServiceAccount.class, any, resyncMillis);
    add(client, Service.class, any, resyncMillis);
    add(client, Deployment.class, any, resyncMillis);
    add(client, Ingress.class, any, resyncMillis);
    add(client, RoleBinding.class, any, resyncMillis);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void add(KubernetesClient client, Class<? extends HasMetadata> kind, ResourceEventHandler<Object> handler,
      long resyncMillis) {
    informers.put(kind, client.resources(kind).inAnyNamespace().withLabel(Labels.MANAGED_BY, Labels.WINGU)
        .inform((ResourceEventHandler) handler, resyncMillis));
  }

  /** True once every cache has listed what exists. */
  public boolean synced() {
    return informers.values().stream().allMatch(SharedIndexInformer::hasSynced);
  }

  /** The cached object with the desired one's kind, namespace and name, or null. */
  @SuppressWarnings("unchecked")
  public <T extends HasMetadata> T get(T like) {
    SharedIndexInformer<? extends HasMetadata> informer = informers.get(like.getClass());
    if (informer == null) {
      return null;
    }
    String ns = like.getMetadata().getNamespace();
    String key = ns == null ? like.getMetadata().getName() : ns + "/" + like.getMetadata().getName();
    return (T) informer.getStore().getByKey(key);
  }

  /** Every cached object of a kind in a namespace. */
  @SuppressWarnings("unchecked")
  public <T extends HasMetadata> List<T> list(Class<T> kind, String namespace) {
    return (List<T>) informers.get(kind).getStore().list().stream()
        .filter(o -> namespace.equals(o.getMetadata().getNamespace())).toList();
  }

  @Override
  public void close() {
    informers.values().forEach(SharedIndexInformer::close);
  }
}
