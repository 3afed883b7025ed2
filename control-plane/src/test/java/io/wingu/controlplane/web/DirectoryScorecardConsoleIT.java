package io.wingu.controlplane.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.SharedControlPlane;
import io.wingu.controlplane.testing.TestControlPlane;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console's directory entries and scorecard pages: an institution admin lists a service (a
 * refused form first), an operator hides it with a reason and publishes the month after a
 * confirmation, the admin reads its own score and evidence. axe-core on every page in both
 * languages; and the same with plain HTTP forms, without JavaScript.
 */
class DirectoryScorecardConsoleIT {

  static ConsoleBrowser ui;
  static JsonObject institution;
  static String adminName;

  @BeforeAll
  static void start() {
    ApiClient operator = SharedControlPlane.operator();
    institution = SharedControlPlane.newInstitution(operator);
    adminName = institution.getString("code") + "-dadmin";
    var r =
        operator.post(
            "/api/v1/institutions/" + institution.getString("id") + "/users",
            new JsonObject()
                .put("username", adminName)
                .put("password", "password-" + adminName)
                .put("role", "institution-admin"));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    ui = ConsoleBrowser.start(SharedControlPlane.url());
  }

  @AfterAll
  static void stop() {
    ConsoleBrowser.stop(ui, null);
  }

  String servicesPath() {
    return "/institutions/" + institution.getString("id") + "/services";
  }

  @Test
  void anAdminListsAServiceAnOperatorHidesItAndPublishesTheMonth() {
    ConsolePageCheck pages = ui.pages();
    ui.signIn("sw", adminName, "password-" + adminName);
    ui.open(servicesPath());
    pages.checkBoth("services-empty", "sw");
    ui.press("a.button[href$='/services/new']");
    ui.type("nameSw", "Leseni za biashara");
    ui.type("url", "http://leseni.example.go.tz");
    ui.press("main form button[type=submit]");
    assertThat(ui.findAll(".error-summary a"))
        .extracting(e -> e.getAttribute("href"))
        .anyMatch(h -> h.endsWith("#nameEn"))
        .anyMatch(h -> h.endsWith("#url"))
        .anyMatch(h -> h.endsWith("#category"));
    assertThat(ui.find("#nameSw").getAttribute("value")).isEqualTo("Leseni za biashara");
    pages.check("service-form-errors", "sw");
    ui.type("nameEn", "Business licences <b>now</b>");
    ui.type("descriptionSw", "Omba leseni ya biashara mtandaoni.");
    ui.type("descriptionEn", "Apply for a business licence online.");
    ui.type("url", "https://leseni.example.go.tz/omba");
    new org.openqa.selenium.support.ui.Select(ui.find("#category")).selectByValue("business");
    new org.openqa.selenium.support.ui.Select(ui.find("#region")).selectByValue("arusha");
    ui.press("main form button[type=submit]");
    assertThat(ui.path()).isEqualTo(servicesPath());
    assertThat(ui.text()).contains("Leseni za biashara").contains("Huduma imeongezwa");
    pages.checkBoth("services", "sw");
    ui.open("/scores");
    assertThat(ui.path()).isEqualTo("/scores/institutions/" + institution.getString("id"));
    pages.checkBoth("score-own", "sw");
    ui.signOut();

    ui.signIn("en", TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD);
    ui.open(servicesPath());
    ui.press("form[action$='/hide'] button[type=submit]");
    assertThat(ui.find(".error-summary").getText()).contains("Say why the entry is hidden");
    pages.check("services-hide-refused", "en");
    ui.findAll("form[action$='/hide'] input[name=reason]")
        .get(0)
        .sendKeys("The address does not answer");
    ui.press("form[action$='/hide'] button[type=submit]");
    assertThat(ui.text())
        .contains("hidden from the public directory")
        .contains("The address does not answer");
    pages.check("services-hidden", "en");

    ui.open("/scores");
    assertThat(ui.text()).contains(institution.getString("name"));
    pages.checkBoth("scores-ranking", "en");
    ui.press("a.button[href^='/scores/publish']");
    pages.checkBoth("scores-publish", "en");
    ui.type("note", "First publication");
    ui.press("form[action='/scores/publish'] button[type=submit]");
    assertThat(ui.text()).contains("The month has been published").contains("Published, version");
    ui.press("a[href^='/scores/institutions/" + institution.getString("id") + "']");
    assertThat(ui.text())
        .contains("Criteria, evidence and how to improve")
        .contains("Median of all institutions");
    pages.checkBoth("score-institution", "en");
    ui.signOut();
  }

  @Test
  void withoutJavaScriptTheFormsWorkAndRefusalsKeepTheAnswers() {
    ConsoleClient admin = new ConsoleClient(SharedControlPlane.url()).acceptLanguage("en");
    admin.signIn(adminName, "password-" + adminName);
    admin.get(servicesPath() + "/new");
    var refused =
        admin.submit(
            "form[action$='/services/new']",
            Map.of(
                "nameSw",
                "Maji",
                "nameEn",
                "Water",
                "descriptionSw",
                "Bili",
                "descriptionEn",
                "Bills",
                "url",
                "javascript:alert(1)",
                "category",
                "water-energy",
                "region",
                "tanga"));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.document().select("#url").attr("value")).isEqualTo("javascript:alert(1)");
    assertThat(refused.document().select(".error-summary a").eachAttr("href"))
        .containsExactly("#url");
    var saved =
        admin.submit("form[action$='/services/new']", Map.of("url", "https://maji.example.go.tz/"));
    assertThat(saved.text()).contains("The service has been added");
    String edit = saved.document().select("a[href$='/edit']").first().attr("href");
    admin.get(edit);
    var changed = admin.submit("form[action$='/edit']", Map.of("region", "mbeya"));
    assertThat(changed.text()).contains("The entry has been changed").contains("Mbeya");
    String delete = changed.document().select("a[href$='/delete']").first().attr("href");
    admin.get(delete);
    var removed = admin.submit("form[action$='/delete']", Map.of());
    assertThat(removed.text()).contains("The entry has been removed");
    var forged = admin.postRaw(servicesPath() + "/new", Map.of("nameSw", "x"));
    assertThat(forged.status()).isEqualTo(403);

    ConsoleClient operator = new ConsoleClient(SharedControlPlane.url()).acceptLanguage("en");
    operator.signIn(TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD);
    var confirm = operator.get("/scores/publish");
    assertThat(confirm.document().select("h1").text()).startsWith("Publish the scorecard");
    var published =
        operator.submit("form[action='/scores/publish']", Map.of("note", "Correction test"));
    assertThat(published.text()).contains("The month has been published");
    assertThat(admin.get("/scores/publish").status()).isEqualTo(403);
  }
}
