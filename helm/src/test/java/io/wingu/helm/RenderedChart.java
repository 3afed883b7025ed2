package io.wingu.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The chart in helm/wingu rendered by Helm (helm template), parsed into typed Kubernetes objects.
 */
final class RenderedChart {

  static final String RELEASE = "wingu";
  static final String NAMESPACE = "wingu-system";

  /** The Kubernetes version the tests' API server runs (kube-api-test binaries). */
  static final String KUBE_VERSION = "1.35.4";

  static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");

  private final String yaml;
  private final List<HasMetadata> objects;

  private RenderedChart(String yaml, List<HasMetadata> objects) {
    this.yaml = yaml;
    this.objects = objects;
  }

  static Path chart() {
    return Path.of(System.getProperty("wingu.chart", "wingu")).toAbsolutePath();
  }

  static Path ciValues(String name) {
    return chart().resolve("ci").resolve(name);
  }

  /**
   * Renders with the given value files (in order) and then the --set pairs (key, value, key,
   * value...).
   */
  static RenderedChart render(List<Path> valueFiles, String... sets) {
    TemplateCommand template =
        new Helm(chart())
            .template()
            .withName(RELEASE)
            .withNamespace(NAMESPACE)
            .withKubeVersion(KUBE_VERSION);
    valueFiles.forEach(template::withValuesFile);
    for (int i = 0; i < sets.length; i += 2) {
      template.set(sets[i], sets[i + 1]);
    }
    String yaml = template.call();
    List<HasMetadata> objects = new ArrayList<>();
    for (String document : DOCUMENT_SEPARATOR.split(yaml)) {
      if (document.lines().anyMatch(line -> line.startsWith("kind:"))) {
        objects.add(SERIALIZATION.<HasMetadata>unmarshal(document));
      }
    }
    return new RenderedChart(yaml, List.copyOf(objects));
  }

  /** Renders and returns Helm's error message; fails the test when rendering succeeds. */
  static String renderError(List<Path> valueFiles, String... sets) {
    try {
      render(valueFiles, sets);
    } catch (RuntimeException e) {
      return e.getMessage();
    }
    throw new AssertionError(
        "the chart rendered, but these values should have been rejected: " + List.of(sets));
  }

  String yaml() {
    return yaml;
  }

  List<HasMetadata> objects() {
    return objects;
  }

  <T extends HasMetadata> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  List<HasMetadata> all(String kind) {
    return objects.stream().filter(o -> o.getKind().equals(kind)).toList();
  }

  <T extends HasMetadata> T one(Class<T> type, String name) {
    List<T> found = all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).toList();
    assertThat(found).as("%s %s in the rendered chart", type.getSimpleName(), name).hasSize(1);
    return found.getFirst();
  }

  /** Pod templates by the name of the workload that owns them, with its namespace. */
  Map<HasMetadata, PodTemplateSpec> podTemplates() {
    Map<HasMetadata, PodTemplateSpec> templates = new LinkedHashMap<>();
    all(Deployment.class).forEach(d -> templates.put(d, d.getSpec().getTemplate()));
    all(DaemonSet.class).forEach(d -> templates.put(d, d.getSpec().getTemplate()));
    return templates;
  }
}
