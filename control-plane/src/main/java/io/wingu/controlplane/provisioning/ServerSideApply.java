package io.wingu.controlplane.provisioning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one generic apply step for every kind: compare with the live object, and only when they
 * differ, server-side apply with field manager "wingu" (taking ownership of conflicting fields).
 * Reports for each object whether it was created, changed or left alone.
 */
public final class ServerSideApply {

  private final KubernetesClient client;
  private final LiveObjects live;
  private final ObjectMapper mapper = new ObjectMapper();
  private final Map<ApplyOutcome, AtomicLong> counts = new EnumMap<>(ApplyOutcome.class);

  private final java.util.function.Consumer<HasMetadata> beforeWrite;

  public ServerSideApply(KubernetesClient client, LiveObjects live) {
    this(client, live, obj -> {});
  }

  /**
   * {@code beforeWrite} sees every object about to be written (tests stop a reconcile midway with
   * it).
   */
  ServerSideApply(
      KubernetesClient client,
      LiveObjects live,
      java.util.function.Consumer<HasMetadata> beforeWrite) {
    this.client = client;
    this.live = live;
    this.beforeWrite = beforeWrite;
    for (ApplyOutcome o : ApplyOutcome.values()) {
      counts.put(o, new AtomicLong());
    }
  }

  /** The outcome and the object as the API server (or the cache, when unchanged) has it. */
  public record Applied<T extends HasMetadata>(ApplyOutcome outcome, T object) {}

  /** True when the live object already says everything the desired one says. */
  public <T extends HasMetadata> boolean upToDate(T desired) {
    T current = live.get(desired);
    return current != null
        && current.getMetadata().getDeletionTimestamp() == null
        && DesiredSubset.holds(tree(desired), tree(current));
  }

  public <T extends HasMetadata> Applied<T> apply(T desired) {
    T current = live.get(desired);
    if (upToDate(desired)) {
      return count(new Applied<>(ApplyOutcome.UNCHANGED, current));
    }
    beforeWrite.accept(desired);
    T result = null;
    live.writing(desired);
    try {
      result =
          client
              .resource(desired)
              .fieldManager(Labels.FIELD_MANAGER)
              .forceConflicts()
              .serverSideApply();
    } finally {
      live.written(desired, result);
    }
    return count(
        new Applied<>(current == null ? ApplyOutcome.CREATED : ApplyOutcome.CHANGED, result));
  }

  /**
   * Applies independent objects at once, each as {@link #apply} does, and returns their outcomes in
   * the same order. The first failure is thrown once every apply has ended.
   */
  public <T extends HasMetadata> List<Applied<T>> applyAll(List<T> desired) {
    List<T> stale = desired.stream().filter(d -> !upToDate(d)).toList();
    if (stale.size() <= 1) {
      return desired.stream().map(this::apply).toList();
    }
    List<CompletableFuture<Applied<T>>> running = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (T d : desired) {
        running.add(CompletableFuture.supplyAsync(() -> apply(d), threads));
      }
    }
    List<Applied<T>> out = new ArrayList<>();
    for (CompletableFuture<Applied<T>> f : running) {
      try {
        out.add(f.join());
      } catch (CompletionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        throw e;
      }
    }
    return out;
  }

  /** Deletes the object if it exists (cache first, so a missing object costs no request). */
  public <T extends HasMetadata> ApplyOutcome delete(T like) {
    T current = live.get(like);
    if (current == null || current.getMetadata().getDeletionTimestamp() != null) {
      return ApplyOutcome.UNCHANGED;
    }
    try {
      client.resource(current).delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
    counts.get(ApplyOutcome.DELETED).incrementAndGet();
    return ApplyOutcome.DELETED;
  }

  public Map<ApplyOutcome, Long> counts() {
    Map<ApplyOutcome, Long> out = new EnumMap<>(ApplyOutcome.class);
    counts.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  private <T extends HasMetadata> Applied<T> count(Applied<T> a) {
    counts.get(a.outcome()).incrementAndGet();
    return a;
  }

  private JsonNode tree(HasMetadata obj) {
    try {
      return mapper.readTree(client.getKubernetesSerialization().asJson(obj));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
