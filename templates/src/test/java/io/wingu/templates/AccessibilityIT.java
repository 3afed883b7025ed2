package io.wingu.templates;

import static org.assertj.core.api.Assertions.assertThat;

import io.wingu.templates.render.Bundle;
import io.wingu.templates.testing.AxeBrowser;
import io.wingu.templates.testing.ExampleSites;
import io.wingu.templates.testing.StaticSiteServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Every page type of every template, in both languages, at phone and desktop widths, in headless
 * Chromium with axe-core: zero violations of any of its rules (WCAG 2.1 A/AA and its best
 * practices, such as unique landmarks). Screenshots go to target/screenshots/.
 */
class AccessibilityIT {

  private static final Path SCREENSHOTS = Path.of("target", "screenshots");
  private static final int[] WIDTHS = {375, 1280};

  /**
   * One of each page type, by path inside a language folder (the example content has these
   * entries).
   */
  private static final List<String> PAGES =
      List.of(
          "index.html",
          "about.html",
          "services.html",
          "news/index.html",
          "news/huduma-mtandaoni.html",
          "publications.html",
          "tenders.html",
          "contact.html",
          "search.html",
          "pages/citizen-charter.html");

  private static AxeBrowser browser;

  @BeforeAll
  static void startBrowser() {
    browser = AxeBrowser.start();
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  @ParameterizedTest
  @MethodSource(ExampleSites.TEMPLATE_IDS)
  void everyPageTypeInBothLanguagesHasNoAxeViolations(String templateId) throws Exception {
    Bundle bundle = ExampleSites.bundle(templateId);
    List<String> failures = new ArrayList<>();
    try (StaticSiteServer site = StaticSiteServer.serve(bundle.files())) {
      List<String> paths = new ArrayList<>(List.of("index.html"));
      for (String lang : List.of("sw", "en")) {
        PAGES.forEach(page -> paths.add(lang + "/" + page));
      }
      for (int width : WIDTHS) {
        browser.viewport(width, 900);
        for (String path : paths) {
          browser.open(site.url(path));
          browser
              .violations(AxeBrowser.EVERY_RULE)
              .forEach(violation -> failures.add(width + "px " + path + ": " + violation));
          browser.screenshot(
              SCREENSHOTS
                  .resolve(templateId)
                  .resolve(width + "px")
                  .resolve(path.replace('/', '_').replace(".html", ".png")));
        }
      }
    }
    assertThat(failures).as("axe-core violations (every rule) of %s", templateId).isEmpty();
  }

  @ParameterizedTest
  @MethodSource(ExampleSites.TEMPLATE_IDS)
  void keyboardUsersReachTheSkipLinkFirstAndItMovesFocusToTheMainContent(String templateId)
      throws Exception {
    try (StaticSiteServer site = StaticSiteServer.serve(ExampleSites.bundle(templateId).files())) {
      browser.viewport(1280, 900);
      browser.open(site.url("sw/about.html"));
      new Actions(browser.driver()).sendKeys(Keys.TAB).perform();
      WebElement focused = browser.driver().switchTo().activeElement();
      assertThat(focused.getAttribute("class")).isEqualTo("skip-link");
      assertThat(focused.isDisplayed()).as("skip link visible when focused").isTrue();
      new Actions(browser.driver()).sendKeys(Keys.ENTER).perform();
      assertThat(browser.driver().switchTo().activeElement().getTagName()).isEqualTo("main");
    }
  }

  @Test
  void theHarnessReallyReportsViolations() throws Exception {
    String broken =
        "<!DOCTYPE html><html><head><title>x</title></head><body>"
            + "<img src=\"x.png\"><p style=\"color:#aaaaaa\">faint text</p><a href=\"#\"></a></body></html>";
    try (StaticSiteServer site =
        StaticSiteServer.serve(
            new java.util.TreeMap<>(
                java.util.Map.of(
                    "broken.html", broken.getBytes(java.nio.charset.StandardCharsets.UTF_8))))) {
      browser.viewport(1280, 900);
      browser.open(site.url("broken.html"));
      assertThat(browser.violations(AxeBrowser.WCAG21_AA))
          .extracting(AxeBrowser.Violation::rule)
          .contains("html-has-lang", "image-alt", "color-contrast", "link-name");
    }
  }

  @Test
  void siteSearchFindsPagesWithTheBrowserAndStaysAccessible() throws Exception {
    Bundle bundle = ExampleSites.bundle("agency-services");
    try (StaticSiteServer site = StaticSiteServer.serve(bundle.files())) {
      browser.viewport(1280, 900);
      browser.open(site.url("en/search.html?q=online+services"));
      new WebDriverWait(browser.driver(), java.time.Duration.ofSeconds(10))
          .until(
              ExpectedConditions.presenceOfElementLocated(By.cssSelector("#search-results ol a")));
      List<String> found =
          browser.driver().findElements(By.cssSelector("#search-results ol a")).stream()
              .map(link -> link.getAttribute("href"))
              .toList();
      assertThat(found).anyMatch(href -> href.endsWith("/en/news/huduma-mtandaoni.html"));
      assertThat(
              browser
                  .driver()
                  .findElement(By.cssSelector(".search-form input"))
                  .getAttribute("value"))
          .isEqualTo("online services");
      assertThat(browser.driver().findElement(By.cssSelector("#search-results h2")).getText())
          .isEqualTo("1 result for “online services”");
      assertThat(browser.violations(AxeBrowser.WCAG21_AA)).isEmpty();
      browser.screenshot(SCREENSHOTS.resolve("agency-services").resolve("search-results.png"));
    }
  }
}
