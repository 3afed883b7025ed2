package io.wingu.controlplane.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.SharedControlPlane;
import io.wingu.controlplane.testing.TenantSite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The webmaster's journey on the publishing page, in Chromium in Swahili, with JavaScript on and
 * off: every field of the ministry portal answered with the institution's own words (none left at
 * the template's sample), the head's photo picked in the form, a list edited, an invalid e-mail
 * answered in Swahili by the field's name, then published. With JavaScript on, each page passes
 * axe-core and the overview is photographed at 375 px and 1280 px into docs/screenshots/ for the
 * README.
 */
class PublishingJourneyIT {

  /** The repository's docs/screenshots, from the module's folder the tests run in. */
  static final Path README_SCREENSHOTS = Path.of("..", "docs", "screenshots");

  static ConsoleBrowser ui;
  static ApiClient operator;

  @BeforeAll
  static void start() {
    operator = SharedControlPlane.operator();
    ui = ConsoleBrowser.start(SharedControlPlane.url());
  }

  @AfterAll
  static void stop() {
    ConsoleBrowser.stop(ui, null);
  }

  @ParameterizedTest(name = "JavaScript {0}")
  @ValueSource(strings = {"on", "off"})
  void aWebmasterPublishesTheInstitutionsOwnSiteInSwahili(String javaScript) throws IOException {
    boolean withScripts = javaScript.equals("on");
    TenantSite site = TenantSite.create(operator, "tovuti");
    String deploy = "/sites/" + site.siteId() + "/deploy";
    ui.open("/login");
    ui.axe().driver().manage().deleteAllCookies();
    ui.javaScript(withScripts);
    ui.signIn("sw", site.code() + "-web", "password-" + site.code() + "-web");
    ui.open(deploy + "?template=ministry-portal&lang=sw");
    assertThat(ui.find("h2").getText()).contains("Tovuti ya Wizara");
    // the console's one script, htmx, ran or did not
    assertThat(ui.axe().driver().executeScript("return typeof window.htmx;"))
        .isEqualTo(withScripts ? "object" : "undefined");

    // the institution: nothing filled from the sample; every field answered
    ui.press("a[href*='/deploy/institution']");
    assertThat(ui.find("#p-institution-name-sw").getAttribute("value")).isEmpty();
    assertThat(ui.find("#p-institution-name-sw-sample").getText()).contains("Wizara ya Maji");
    check(withScripts, "publishing-institution");
    answerEveryField(site.code());
    new Select(ui.find("#p-palette")).selectByValue("bahari");
    new Select(ui.find("#p-defaultLanguage")).selectByValue("sw");
    save("institution");
    assertThat(ui.text()).contains("Sehemu imehifadhiwa kama rasimu");

    // the head of institution, with a photo picked in the form
    assertThat(ui.find("h1").getText()).isEqualTo("Kiongozi wa taasisi");
    answerEveryField(site.code());
    Path photo = Files.createTempFile("picha", ".png");
    Files.write(photo, ConsoleWithoutJavaScriptIT.png());
    ui.find("#p-head-photo").sendKeys(photo.toString());
    save("head");

    // contacts: an invalid e-mail is answered in Swahili by the field's name; nothing typed is lost
    assertThat(ui.find("h1").getText()).isEqualTo("Mawasiliano");
    answerEveryField(site.code());
    ui.type("p-contacts-email", "barua-isiyo-sahihi");
    save("contacts");
    assertThat(ui.find("#p-contacts-email-error").getText()).contains("Barua pepe si sahihi");
    assertThat(ui.find(".error-summary a[href='#p-contacts-email']").getText())
        .isEqualTo("Barua pepe si sahihi");
    assertThat(ui.find("#p-contacts-postalAddress").getAttribute("value"))
        .isEqualTo(answer("contacts.postalAddress", site.code()));
    check(withScripts, "publishing-contacts-errors");
    ui.type("p-contacts-email", answer("contacts.email", site.code()));
    save("contacts");

    // services: a list edited: three added, the last moved up, the first removed
    assertThat(ui.find("h1").getText()).isEqualTo("Huduma");
    for (int i = 0; i < 3; i++) {
      ui.press("button[value='add:services']");
    }
    answerEveryField(site.code());
    ui.press("button[value='up:services:2']");
    ui.press("button[value='remove:services:0']");
    assertThat(ui.findAll("input[name$='.title.sw']").stream().map(e -> e.getAttribute("value")))
        .containsExactly(
            answer("services[2].title.sw", site.code()),
            answer("services[1].title.sw", site.code()));
    check(withScripts, "publishing-services");
    save("services");

    // the menu and the departments
    ui.press("button[value='add:menu']");
    answerEveryField(site.code());
    save("menu");
    ui.press("button[value='add:departments']");
    ui.press("button[value='add:departments']");
    answerEveryField(site.code());
    save("departments");

    // the photo picked is shown as a thumbnail of what the server re-encoded
    ui.open(deploy + "/head?template=ministry-portal&lang=sw");
    assertThat(ui.find("img.thumbnail").getAttribute("src"))
        .contains("/sites/" + site.siteId() + "/images/");

    // the overview says it is ready; published, the site is the institution's own
    ui.open(deploy + "?template=ministry-portal&lang=sw");
    assertThat(ui.text()).contains("tovuti iko tayari kuchapishwa");
    if (withScripts) {
      ui.pages().checkBoth("publishing-overview", "sw");
      Files.createDirectories(README_SCREENSHOTS);
      ui.axe().viewport(375, 800);
      ui.axe().screenshot(README_SCREENSHOTS.resolve("publishing-page-375.png"));
      ui.axe().viewport(1280, 900);
      ui.axe().screenshot(README_SCREENSHOTS.resolve("publishing-page-1280.png"));
    }
    ui.press("form[method=post][action$='/deploy'] button[type=submit]");
    assertThat(ui.text()).contains("Toleo jipya limesambazwa");
    ui.open("/sites/" + site.siteId() + "/preview?revision=1");
    String published = ui.axe().driver().getPageSource();
    assertThat(published).contains(answer("institution.name.sw", site.code()));
    assertThat(published)
        .contains(answer("head.name", site.code()))
        .contains(answer("departments[1].sw", site.code()));
    // no text of the page is a sample value (the template's own fixed words may quote a sample)
    List<String> texts =
        org.jsoup.Jsoup.parse(published).getAllElements().stream()
            .map(e -> e.ownText().trim())
            .filter(t -> !t.isEmpty())
            .toList();
    assertThat(texts)
        .as("the template's sample is never published")
        .doesNotContainAnyElementsOf(sampleTexts());
    ui.javaScript(true);
  }

  /** Checks the page with axe-core and the 320 px rule when scripts run (axe-core is a script). */
  static void check(boolean withScripts, String name) {
    if (withScripts) {
      ui.pages().check(name, "sw");
    }
  }

  static void save(String section) {
    ui.press(
        "form[action$='/deploy/"
            + section
            + "'] button.button:not(.secondary):not(.visually-hidden)");
  }

  /** Answers every empty text field of the section's form with the institution's own words. */
  static void answerEveryField(String code) {
    for (WebElement field :
        ui.findAll(
            "form[action*='/deploy/'] input[type=text], form[action*='/deploy/'] textarea")) {
      String name = field.getAttribute("name");
      if (!field.getAttribute("value").isEmpty() || name.startsWith("logo")) {
        continue;
      }
      field.sendKeys(answer(name, code));
    }
  }

  /** The institution's own answer for a field, by its form name. */
  static String answer(String name, String code) {
    if (name.endsWith("shortName")) {
      return code.toUpperCase(java.util.Locale.ROOT);
    }
    if (name.endsWith("email")) {
      return "mawasiliano@" + code + ".go.tz";
    }
    if (name.endsWith("phone")) {
      return "+255 22 211 " + Math.abs(code.hashCode() % 9000 + 1000);
    }
    if (name.endsWith("target")) {
      return "about";
    }
    String words = name.replaceAll("[^A-Za-z0-9]+", " ").trim();
    return (name.endsWith(".en") ? "Our own " : "Yetu wenyewe ") + words + " " + code;
  }

  /** The ministry portal's sample texts: what a hurried webmaster must never publish. */
  static List<String> sampleTexts() {
    JsonObject example =
        operator.get("/api/v1/templates").array().stream()
            .map(JsonObject.class::cast)
            .filter(t -> t.getString("id").equals("ministry-portal"))
            .findFirst()
            .orElseThrow()
            .getJsonObject("example")
            .copy();
    example.remove("palette");
    example.remove("defaultLanguage");
    example.remove("logo");
    List<String> texts = new ArrayList<>();
    collect(example, texts);
    assertThat(texts).contains("Mhe. Amina Juma", "info@maji.example.go.tz");
    return texts;
  }

  private static void collect(Object value, List<String> texts) {
    switch (value) {
      case JsonObject o -> o.forEach(e -> collect(e.getValue(), texts));
      case JsonArray a -> a.forEach(v -> collect(v, texts));
      case String s when s.length() > 3 -> texts.add(s);
      default -> {}
    }
  }
}
