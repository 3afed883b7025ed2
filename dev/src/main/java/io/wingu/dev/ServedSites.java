package io.wingu.dev;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Dev mode's word on where each live site can be opened from this machine: the ready addresses of
 * the site's (headless) Service, as the cluster's EndpointSlices list them — the site's pods on the
 * node's bridge, reached directly. A line goes out whenever a site gets a newly ready pod (it
 * became Available, or a deployment rolled it onto a new pod).
 */
final class ServedSites implements AutoCloseable {

  /**
   * The labels the control plane puts on a site's objects and the port its pods serve on
   * (provisioning.Labels, SITE_PORT): read as plain strings, this module does not link the control
   * plane's code.
   */
  static final String SITE_LABEL = "wingu.io/site";

  static final String INSTITUTION_LABEL = "wingu.io/institution";
  static final int SITE_PORT = 8080;

  private final SharedIndexInformer<GenericKubernetesResource> slices;
  private final Consumer<String> say;

  /** Ready addresses per EndpointSlice (namespace/name), so only new ones are announced. */
  private final Map<String, Set<String>> announced = new HashMap<>();

  /** The newest address of each live site, "institution/site" → URL. */
  private final Map<String, String> urls = new TreeMap<>();

  private ServedSites(KubernetesClient client, Consumer<String> say) {
    this.say = say;
    this.slices =
        client
            .genericKubernetesResources("discovery.k8s.io/v1", "EndpointSlice")
            .inAnyNamespace()
            .withLabel(SITE_LABEL)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(GenericKubernetesResource slice) {
                    seen(slice);
                  }

                  @Override
                  public void onUpdate(
                      GenericKubernetesResource before, GenericKubernetesResource slice) {
                    seen(slice);
                  }

                  @Override
                  public void onDelete(GenericKubernetesResource slice, boolean finalStateUnknown) {
                    gone(slice);
                  }
                });
  }

  static ServedSites watch(KubernetesClient client, Consumer<String> say) {
    return new ServedSites(client, say);
  }

  /** The sites served right now and where, "institution/site" → URL. */
  synchronized Map<String, String> urls() {
    return Map.copyOf(urls);
  }

  static String url(String address) {
    return "http://" + address + ":" + SITE_PORT + "/";
  }

  private synchronized void seen(GenericKubernetesResource slice) {
    String site = siteOf(slice);
    Set<String> ready = readyAddresses(slice);
    Set<String> before = announced.getOrDefault(key(slice), Set.of());
    for (String address : ready) {
      if (!before.contains(address)) {
        urls.put(site, url(address));
        say.accept("site " + site + " is served at " + url(address));
      }
    }
    if (ready.isEmpty()) {
      urls.remove(site);
    }
    announced.put(key(slice), ready);
  }

  private synchronized void gone(GenericKubernetesResource slice) {
    announced.remove(key(slice));
    urls.remove(siteOf(slice));
  }

  private static String key(GenericKubernetesResource slice) {
    return slice.getMetadata().getNamespace() + "/" + slice.getMetadata().getName();
  }

  private static String siteOf(GenericKubernetesResource slice) {
    Map<String, String> labels = slice.getMetadata().getLabels();
    return labels.getOrDefault(INSTITUTION_LABEL, slice.getMetadata().getNamespace())
        + "/"
        + labels.get(SITE_LABEL);
  }

  /**
   * The addresses of endpoints whose condition "ready" is true (read generically: no discovery
   * model needed).
   */
  @SuppressWarnings("unchecked")
  static Set<String> readyAddresses(GenericKubernetesResource slice) {
    Set<String> ready = new LinkedHashSet<>();
    Object endpoints = slice.getAdditionalProperties().get("endpoints");
    for (Object e : endpoints instanceof List<?> list ? list : new ArrayList<>()) {
      if (!(e instanceof Map<?, ?> endpoint)) {
        continue;
      }
      Object conditions = endpoint.get("conditions");
      boolean isReady = conditions instanceof Map<?, ?> c && Boolean.TRUE.equals(c.get("ready"));
      if (isReady && endpoint.get("addresses") instanceof List<?> addresses) {
        addresses.forEach(a -> ready.add(String.valueOf(a)));
      }
    }
    return ready;
  }

  @Override
  public void close() {
    slices.close();
  }
}
