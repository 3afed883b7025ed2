package io.wingu.controlplane.backups;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.BackupParts;
import io.wingu.controlplane.testing.Eventually;
import io.wingu.controlplane.testing.TenantDatabaseServer;
import io.wingu.controlplane.testing.TenantSite;
import io.wingu.controlplane.testing.TestCluster;
import io.wingu.controlplane.testing.TestControlPlane;
import io.wingu.controlplane.wiring.ControlPlane;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A restore through the real control plane, its reconciler on the real API server, the tenant
 * PostgreSQL server and versitygw: the institution admin backs up its site's database and restores
 * it into a new database beside the live one, whose credentials then sit in the Secret {@code
 * db-<site>-restored-1} and open a database holding the rows of dump time, while the site's own
 * database keeps its later changes; {@code DatabaseReady} says how the restore went.
 */
class BackupRestoreApiIT {

  static ControlPlane plane;
  static ApiClient operator;

  @BeforeAll
  static void start() throws Exception {
    Map<String, String> env = BackupParts.controlPlaneEnv("restore", "restores");
    plane = TestControlPlane.start(env);
    operator =
        ApiClient.signIn(
            plane.url(), TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD);
  }

  @AfterAll
  static void stop() {
    if (plane != null) {
      plane.close();
    }
  }

  @Test
  void theInstitutionRestoresABackupIntoANewDatabaseBesideTheLiveOne() throws Exception {
    TenantSite site = TenantSite.create(operator, "portal", true);
    ApiClient admin = site.admin();
    JsonObject ready = awaitDatabaseReady(site, "Ready");
    assertThat(ready.getString("message")).contains("db-portal");
    Map<String, String> live = secret(site, "db-portal");
    try (Connection c = connect(live)) {
      TableContents.fill(c, "restore-api");
    }
    Map<String, String> atDumpTime;
    try (Connection c = connect(live)) {
      atDumpTime = TableContents.of(c);
    }

    var made = admin.post(site.path("/backups"), new JsonObject());
    assertThat(made.status()).as(made.body()).isEqualTo(202);
    String backup = made.json().getString("id");
    AtomicReference<JsonObject> verified = new AtomicReference<>();
    Eventually.holds(
        "the backup is made and verified",
        () -> {
          JsonObject b = admin.get(site.path("/backups/" + backup)).json();
          verified.set(b);
          return b.containsKey("verified") || "failed".equals(b.getString("status"));
        },
        Duration.ofMinutes(2));
    assertThat(verified.get().getJsonObject("verified").getBoolean("ok"))
        .as(verified.get().encode())
        .isTrue();
    try (Connection c = connect(live);
        Statement st = c.createStatement()) {
      st.execute("DELETE FROM documents WHERE id > 10");
    }
    Map<String, String> changedLive;
    try (Connection c = connect(live)) {
      changedLive = TableContents.of(c);
    }

    var restore =
        admin.post(
            site.path("/backups/" + backup + "/restore"), new JsonObject().put("target", "new"));

    assertThat(restore.status()).as(restore.body()).isEqualTo(202);
    assertThat(restore.json().getString("secret")).isEqualTo("db-portal-restored-1");
    JsonObject restored = awaitDatabaseReady(site, "Restored");
    assertThat(restored.getString("status")).isEqualTo("True");
    assertThat(restored.getString("message")).contains("db-portal-restored-1");
    Map<String, String> written = secret(site, "db-portal-restored-1");
    assertThat(written).as("the Secret is written before the condition says Restored").isNotNull();
    assertThat(written.get("database")).isEqualTo(restore.json().getString("database"));
    assertThat(written.get("password")).isNotEqualTo(live.get("password"));
    try (Connection c = connect(written)) {
      assertThat(TableContents.of(c)).isEqualTo(atDumpTime);
    }
    try (Connection c = connect(live)) {
      assertThat(TableContents.of(c))
          .as("the site's database keeps its data")
          .isEqualTo(changedLive);
    }
    assertThat(
            operator
                .get("/api/v1/audit?institutionId=" + site.institution().getString("id"))
                .body())
        .contains("backup.restore");
  }

  @Test
  void aRestoreInPlaceIsShownOnTheSiteAndGivesBackTheRowsOfDumpTime() throws Exception {
    TenantSite site = TenantSite.create(operator, "portal", true);
    awaitDatabaseReady(site, "Ready");
    Map<String, String> live = secret(site, "db-portal");
    try (Connection c = connect(live)) {
      TableContents.fill(c, "in-place");
    }
    Map<String, String> atDumpTime;
    try (Connection c = connect(live)) {
      atDumpTime = TableContents.of(c);
    }
    String backup = operator.post(site.path("/backups"), new JsonObject()).json().getString("id");
    Eventually.holds(
        "the backup is made",
        () ->
            "succeeded"
                .equals(operator.get(site.path("/backups/" + backup)).json().getString("status")),
        Duration.ofMinutes(2));
    try (Connection c = connect(live);
        Statement st = c.createStatement()) {
      st.execute("DROP TABLE archive.letters");
    }

    var restore =
        operator.post(
            site.path("/backups/" + backup + "/restore"),
            new JsonObject().put("target", "in-place"));

    assertThat(restore.status()).as(restore.body()).isEqualTo(202);
    JsonObject condition = awaitDatabaseReady(site, "Restored");
    assertThat(condition.getString("message")).contains("in place").contains("safety backup");
    try (Connection c = connect(live)) {
      assertThat(TableContents.of(c)).isEqualTo(atDumpTime);
    }
  }

  private static JsonObject awaitDatabaseReady(TenantSite site, String reason) throws Exception {
    AtomicReference<JsonObject> found = new AtomicReference<>();
    Eventually.holds(
        "DatabaseReady with reason " + reason,
        () -> {
          JsonObject s = operator.get("/api/v1/sites/" + site.siteId()).json();
          for (Object o : s.getJsonArray("conditions")) {
            JsonObject c = (JsonObject) o;
            if (c.getString("type").equals("DatabaseReady")
                && c.getString("reason").equals(reason)) {
              found.set(c);
              return true;
            }
          }
          return false;
        },
        Duration.ofMinutes(2));
    return found.get();
  }

  private static Map<String, String> secret(TenantSite site, String name) {
    try (KubernetesClient k = TestCluster.adminClient()) {
      var s = k.secrets().inNamespace(site.namespace()).withName(name).get();
      if (s == null || s.getData() == null) {
        return null;
      }
      Map<String, String> out = new HashMap<>();
      s.getData()
          .forEach(
              (k2, v) ->
                  out.put(k2, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
      return out;
    }
  }

  private static Connection connect(Map<String, String> credentials) throws Exception {
    return DriverManager.getConnection(
        TenantDatabaseServer.get().jdbcUrl(credentials.get("database")),
        credentials.get("username"),
        credentials.get("password"));
  }
}
