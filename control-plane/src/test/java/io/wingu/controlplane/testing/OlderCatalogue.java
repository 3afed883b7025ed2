package io.wingu.controlplane.testing;

import io.wingu.controlplane.wiring.ControlPlane;
import io.wingu.templates.catalog.CatalogFolder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The shipped template catalogue as it was before a release: one template at an older version,
 * whose parameters schema also allowed a property the shipped version no longer does. A control
 * plane started on it (WINGU_TEMPLATE_CATALOG) deploys sites on the old version; the same database
 * under the shipped catalogue then offers them the upgrade, as after a real release.
 */
public final class OlderCatalogue {

  /** The catalogue's sources; tests run with the control-plane module as working directory. */
  static final Path SOURCE = Path.of("..", "templates", "catalog");

  /** The property only the old version allows. */
  public static final String RETIRED_PARAMETER = "legacyNotice";

  private OlderCatalogue() {}

  /**
   * A copy of the catalogue with {@code templateId} at {@code version}, also allowing {@link
   * #RETIRED_PARAMETER}.
   */
  public static Path write(String templateId, String version) {
    CatalogFolder folder =
        new CatalogFolder(TempDirs.create("wingu-older-catalogue"), SOURCE).withEverything();
    Path yaml = folder.root().resolve(templateId).resolve("template.yaml");
    try {
      String text = Files.readString(yaml);
      String changed =
          text.replaceFirst("(?m)^version: .*$", "version: " + version)
              .replaceFirst(
                  "(?m)^  properties:\\n",
                  "  properties:\n    " + RETIRED_PARAMETER + ": {type: string}\n");
      if (changed.equals(text) || !changed.contains(RETIRED_PARAMETER)) {
        throw new IllegalStateException(yaml + " no longer has the shape this helper edits");
      }
      folder.write(templateId + "/template.yaml", changed);
      return folder.root();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Runs {@code before} against a control plane on the older catalogue, closes it, and returns a
   * control plane on the same database with the shipped catalogue (the caller closes that one).
   */
  public static ControlPlane release(
      Map<String, String> env,
      String templateId,
      String oldVersion,
      java.util.function.Consumer<ControlPlane> before) {
    Map<String, String> old = new HashMap<>(env);
    old.put("WINGU_TEMPLATE_CATALOG", write(templateId, oldVersion).toString());
    try (ControlPlane plane = TestControlPlane.start(old)) {
      before.accept(plane);
    }
    return TestControlPlane.start(env);
  }
}
