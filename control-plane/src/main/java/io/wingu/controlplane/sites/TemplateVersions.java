package io.wingu.controlplane.sites;

import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Which template version a site runs next to the catalogue's: the one rule of "outdated" that the
 * site's view, the operators' filter and the upgrade all use. Versions compare as semantic versions
 * (2.0.0: numeric parts, a pre-release before its release, build metadata ignored).
 */
public final class TemplateVersions {

  private final SiteTemplates templates;

  public TemplateVersions(SiteTemplates templates) {
    this.templates = templates;
  }

  /** The catalogue's version of {@code templateId}; empty when the catalogue no longer has it. */
  public Optional<String> latest(String templateId) {
    return templateId == null ? Optional.empty() : templates.find(templateId).map(t -> t.version());
  }

  /**
   * True when the catalogue has a newer version of the template {@code version} was rendered with.
   */
  public boolean outdated(String templateId, String version) {
    return version != null && latest(templateId).map(l -> compare(version, l) < 0).orElse(false);
  }

  /** A live site whose current revision's template has a newer version in the catalogue. */
  public boolean upgradeAvailable(SiteView site) {
    return !site.status().startsWith("DECOMMISSION")
        && outdated(site.templateId(), site.templateVersion());
  }

  /**
   * Of the versions sites run, those the catalogue has a newer version of (what "outdated" lists).
   */
  List<SiteStore.TemplateVersion> outdatedOf(Collection<SiteStore.TemplateVersion> running) {
    return running.stream().filter(v -> outdated(v.templateId(), v.version())).toList();
  }

  /** The site as the API shows it, with its template version next to the catalogue's. */
  public JsonObject toJson(SiteView site) {
    return site.toJson()
        .put("latestTemplateVersion", latest(site.templateId()).orElse(null))
        .put("upgradeAvailable", upgradeAvailable(site));
  }

  /** Negative, zero or positive as {@code a} is older than, as old as, or newer than {@code b}. */
  public static int compare(String a, String b) {
    String[] x = a.split("\\+", 2)[0].split("-", 2);
    String[] y = b.split("\\+", 2)[0].split("-", 2);
    int core = compareDotted(x[0], y[0]);
    if (core != 0) {
      return core;
    }
    if (x.length == 1 || y.length == 1) {
      return Integer.compare(y.length, x.length); // a pre-release comes before its release
    }
    return compareDotted(x[1], y[1]);
  }

  private static int compareDotted(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      boolean xn = x[i].matches("\\d+");
      boolean yn = y[i].matches("\\d+");
      int c =
          xn && yn
              ? new BigInteger(x[i]).compareTo(new BigInteger(y[i]))
              : xn ? -1 : yn ? 1 : x[i].compareTo(y[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(x.length, y.length);
  }
}
