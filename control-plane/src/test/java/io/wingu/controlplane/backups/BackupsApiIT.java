package io.wingu.controlplane.backups;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.SharedControlPlane;
import io.wingu.controlplane.testing.TenantSite;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who may reach a site's backups through the real API: the site's institution admin and operators;
 * another institution gets 404 (its sites are not its to know), a webmaster 403, and the download
 * is the institution admin's alone. The shared control plane has no backup store configured, so the
 * caller who passes every check is told so in a problem+json.
 */
class BackupsApiIT {

  static ApiClient operator;
  static TenantSite a;
  static TenantSite b;

  @BeforeAll
  static void sites() {
    operator = SharedControlPlane.operator();
    a = TenantSite.create(operator, "portal");
    b = TenantSite.create(operator, "portal");
  }

  @Test
  void anotherInstitutionCannotListTakeRestoreOrDownloadTheSitesBackups() {
    String one = "/backups/" + UUID.randomUUID();
    assertThat(b.admin().get(a.path("/backups")).status()).isEqualTo(404);
    assertThat(b.admin().post(a.path("/backups"), new JsonObject()).status()).isEqualTo(404);
    assertThat(b.admin().get(a.path(one)).status()).isEqualTo(404);
    assertThat(
            b.admin()
                .post(a.path(one + "/restore"), new JsonObject().put("target", "in-place"))
                .status())
        .isEqualTo(404);
    assertThat(b.admin().get(a.path(one + "/download")).status()).isEqualTo(404);
  }

  @Test
  void webmastersMayNotAndOnlyTheInstitutionAdminDownloads() {
    assertThat(a.webmaster().get(a.path("/backups")).status()).isEqualTo(403);
    assertThat(a.webmaster().post(a.path("/backups"), new JsonObject()).status()).isEqualTo(403);
    assertThat(operator.get(a.path("/backups/" + UUID.randomUUID() + "/download")).status())
        .isEqualTo(403);
  }

  @Test
  void withoutAStoreTheAdminAndOperatorsAreToldBackupsAreOff() {
    for (ApiClient caller : new ApiClient[] {a.admin(), operator}) {
      var r = caller.post(a.path("/backups"), new JsonObject());
      assertThat(r.status()).as(r.body()).isEqualTo(409);
      assertThat(r.contentType()).startsWith("application/problem+json");
      assertThat(r.json().getString("detail")).contains("Backups are not configured");
    }
  }

  @Test
  void aBackupIdThatIsNoUuidIsADocumented400() {
    assertThat(a.admin().get(a.path("/backups/not-a-uuid")).status()).isEqualTo(400);
  }
}
