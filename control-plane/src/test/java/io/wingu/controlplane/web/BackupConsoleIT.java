package io.wingu.controlplane.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.BackupParts;
import io.wingu.controlplane.testing.Eventually;
import io.wingu.controlplane.testing.TenantSite;
import io.wingu.controlplane.testing.TestControlPlane;
import io.wingu.controlplane.wiring.ControlPlane;
import io.wingu.templates.testing.LintTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A site's backups in Chromium, in Swahili and English, the pages passing axe and the Nu checker:
 * the institution admin sees the backups (when, size, whether the check restored them), backs up
 * now, is stopped at the restore in place until the confirmation box is ticked, and restores into a
 * new database; the same with JavaScript off. The admin downloads a backup with a plain link; an
 * operator sees no such link and is refused the download.
 */
class BackupConsoleIT {

  static ControlPlane plane;
  static ConsoleBrowser ui;
  static ApiClient operator;

  @BeforeAll
  static void start() throws Exception {
    Map<String, String> env = BackupParts.controlPlaneEnv("backupconsole", "console");
    plane = TestControlPlane.start(env);
    operator =
        ApiClient.signIn(
            plane.url(), TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD);
    ui = ConsoleBrowser.start(plane.url());
  }

  @AfterAll
  static void stop() {
    ConsoleBrowser.stop(ui, plane);
  }

  @Test
  void theInstitutionAdminBacksUpAndRestoresFromTheConsoleInBothLanguages() throws Exception {
    TenantSite site = TenantSite.create(operator, "portal", true);
    awaitDatabase(site);
    String admin = site.code() + "-admin";
    String backups = "/sites/" + site.siteId() + "/backups";
    for (String lang : List.of("sw", "en")) {
      ui.javaScript(!lang.equals("en")); // English with JavaScript off: plain HTML forms do it all
      ui.signIn(lang, admin, "password-" + admin);
      ui.open("/sites/" + site.siteId() + "?lang=" + lang);
      ui.press("#site-backups");
      assertThat(ui.path()).isEqualTo(backups);
      ui.press("#back-up-now");
      assertThat(ui.find(".notice").getText()).isNotBlank();
      Eventually.holds(
          "the backup is made and checked",
          () -> {
            ui.open(backups + "?lang=" + lang);
            return ui.findAll("#backup-table a[href$='/restore']").size() > 0
                && !ui.text()
                    .contains(lang.equals("en") ? "Not checked yet" : "Bado haijakaguliwa");
          },
          Duration.ofMinutes(2));
      ui.pages().checkBoth("backups", lang);

      ui.press("#backup-table a[href$='/restore']");
      ui.pages().checkBoth("backup-restore", lang);
      ui.find("#target-in-place").click();
      ui.press("#start-restore");
      assertThat(ui.find("#confirm-error").getText()).isNotBlank();
      ui.pages().check("backup-restore-unconfirmed", lang);
      ui.find("#target").click();
      ui.press("#start-restore");
      assertThat(ui.path()).isEqualTo(backups);
      assertThat(ui.find(".notice").getText()).isNotBlank();
      ui.signOut();
    }
    ui.javaScript(true);
    Eventually.holds(
        "both restores into new databases are done",
        () -> {
          String body = operator.get("/api/v1/sites/" + site.siteId()).body();
          return body.contains("\"Restored\"") && body.contains("db-portal-restored-2");
        },
        Duration.ofMinutes(2));
  }

  @Test
  void theBackupPagesHaveNoNuHtmlCheckerError() throws Exception {
    TenantSite site = TenantSite.create(operator, "portal", true);
    awaitDatabase(site);
    String made = site.admin().post(site.path("/backups"), new JsonObject()).json().getString("id");
    Eventually.holds(
        "the backup is made",
        () ->
            "succeeded"
                .equals(site.admin().get(site.path("/backups/" + made)).json().getString("status")),
        Duration.ofMinutes(2));
    Path folder = Files.createDirectories(Path.of("target", "nu-html-check", "backups"));
    List<Path> files = new ArrayList<>();
    ConsoleClient client = new ConsoleClient(plane.url());
    String admin = site.code() + "-admin";
    client.signIn(admin, "password-" + admin);
    String restore = "/sites/" + site.siteId() + "/backups/" + made + "/restore";
    for (String lang : List.of("sw", "en")) {
      files.add(
          ConsolePagesLintIT.save(
              folder,
              "backups-" + lang,
              client.get("/sites/" + site.siteId() + "/backups?lang=" + lang).response().body()));
      files.add(
          ConsolePagesLintIT.save(
              folder, "restore-" + lang, client.get(restore + "?lang=" + lang).response().body()));
      var refused =
          client.submit(
              "form[method=post][action='" + restore + "']", Map.of("target", "in-place"));
      assertThat(refused.status()).isEqualTo(400);
      files.add(
          ConsolePagesLintIT.save(folder, "restore-refused-" + lang, refused.response().body()));
    }
    assertThat(LintTools.nuErrors(files)).as("Nu HTML Checker errors on backup pages").isEmpty();

    // the download: a plain link for the institution's admin, the decrypted custom-format dump
    String backupsPage = "/sites/" + site.siteId() + "/backups?lang=en";
    var link = client.get(backupsPage).document().selectFirst("a.backup-download");
    assertThat(link).as("the admin's download link").isNotNull();
    var dump = client.get(link.attr("href"));
    assertThat(dump.status()).isEqualTo(200);
    assertThat(dump.response().body()).as("pg_dump's custom format, decrypted").startsWith("PGDMP");
    // an operator restores but never downloads an institution's data
    ConsoleClient operatorClient = new ConsoleClient(plane.url());
    operatorClient.signIn(TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD);
    assertThat(operatorClient.get(backupsPage).document().select("a.backup-download")).isEmpty();
    var refused = operatorClient.get(link.attr("href"));
    assertThat(refused.status()).isEqualTo(403);
  }

  private static void awaitDatabase(TenantSite site) throws Exception {
    Eventually.holds(
        "the site's database is ready",
        () -> operator.get("/api/v1/sites/" + site.siteId()).body().contains("db-portal"),
        Duration.ofMinutes(2));
  }
}
