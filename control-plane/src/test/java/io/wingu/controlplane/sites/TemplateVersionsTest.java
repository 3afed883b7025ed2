package io.wingu.controlplane.sites;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.wingu.templates.catalog.TemplateCatalog;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TemplateVersionsTest {

  static final TemplateVersions VERSIONS =
      new TemplateVersions(new SiteTemplates(TemplateCatalog.loadDefault()));
  static final String LATEST = VERSIONS.latest("minimal-landing").orElseThrow();

  static SiteView site(String status, String templateVersion) {
    return new SiteView(
        UUID.randomUUID(),
        UUID.randomUUID(),
        "moh",
        "portal",
        List.of("www.moh.go.tz"),
        status,
        null,
        new JsonArray(),
        templateVersion == null ? null : 1,
        "minimal-landing",
        templateVersion,
        Instant.EPOCH,
        Instant.EPOCH);
  }

  @Test
  void versionsCompareAsSemanticVersions() {
    assertThat(TemplateVersions.compare("1.0.0", "1.0.1")).isNegative();
    assertThat(TemplateVersions.compare("1.10.0", "1.9.0")).isPositive();
    assertThat(TemplateVersions.compare("2.0.0-rc.1", "2.0.0")).isNegative();
    assertThat(TemplateVersions.compare("2.0.0-alpha", "2.0.0-alpha.1")).isNegative();
    assertThat(TemplateVersions.compare("2.0.0-beta.2", "2.0.0-beta.11")).isNegative();
    assertThat(TemplateVersions.compare("1.0.0+build.5", "1.0.0")).isZero();
  }

  @Test
  void onlyALiveSiteOnAnOlderVersionIsOfferedTheUpgrade() {
    assertThat(VERSIONS.upgradeAvailable(site("ACTIVE", "0.9.0"))).isTrue();
    assertThat(VERSIONS.upgradeAvailable(site("SUSPENDED", "0.9.0"))).isTrue();
    assertThat(VERSIONS.upgradeAvailable(site("ACTIVE", LATEST))).isFalse();
    assertThat(VERSIONS.upgradeAvailable(site("ACTIVE", "99.0.0"))).isFalse();
    assertThat(VERSIONS.upgradeAvailable(site("ACTIVE", null))).isFalse();
    assertThat(VERSIONS.upgradeAvailable(site("DECOMMISSIONING", "0.9.0"))).isFalse();
    var json = VERSIONS.toJson(site("ACTIVE", "0.9.0"));
    assertThat(json.getString("templateVersion")).isEqualTo("0.9.0");
    assertThat(json.getString("latestTemplateVersion")).isEqualTo(LATEST);
    assertThat(json.getBoolean("upgradeAvailable")).isTrue();
    assertThat(
            VERSIONS.outdatedOf(
                List.of(
                    new SiteStore.TemplateVersion("minimal-landing", "0.9.0"),
                    new SiteStore.TemplateVersion("minimal-landing", LATEST),
                    new SiteStore.TemplateVersion("gone", "0.1.0"))))
        .containsExactly(new SiteStore.TemplateVersion("minimal-landing", "0.9.0"));
  }
}
