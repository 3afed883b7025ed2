package io.wingu.controlplane.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.wingu.templates.testing.AxeBrowser;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What the browser tests check on every page they visit: no WCAG 2.1 A/AA violation found by
 * axe-core, no sideways scrolling at 320 px, {@code <html lang>} matching the language; and
 * screenshots at 375 px and 1280 px under target/screenshots/.
 */
final class ConsolePageCheck {

  static final Path SCREENSHOTS = Path.of("target", "screenshots");

  private final AxeBrowser browser;
  private final Set<String> visited = new LinkedHashSet<>();

  ConsolePageCheck(AxeBrowser browser) {
    this.browser = browser;
  }

  Set<String> visited() {
    return visited;
  }

  /**
   * Checks the page now shown, in the language it is in, and saves its screenshots as {@code name}.
   */
  void check(String name, String lang) {
    var driver = browser.driver();
    assertThat(driver.findElement(org.openqa.selenium.By.tagName("html")).getAttribute("lang"))
        .as("lang of " + name)
        .isEqualTo(lang);
    browser.viewport(320, 800);
    Number scrollWidth =
        (Number) driver.executeScript("return document.documentElement.scrollWidth;");
    assertThat(scrollWidth.intValue())
        .as(name + " scrolls sideways at 320 px")
        .isLessThanOrEqualTo(320);
    browser.viewport(375, 800);
    browser.screenshot(SCREENSHOTS.resolve(name + "-" + lang + "-375.png"));
    browser.viewport(1280, 900);
    browser.screenshot(SCREENSHOTS.resolve(name + "-" + lang + "-1280.png"));
    assertThat(browser.violations(AxeBrowser.WCAG21_AA))
        .as("WCAG 2.1 AA violations on " + name + " (" + lang + ")")
        .isEmpty();
    visited.add(name + " (" + lang + ")");
  }

  /**
   * Checks a page reached with GET in both languages: as shown, then with {@code ?lang=} the other
   * language, then back, so the journey continues in the language it was in.
   */
  void checkBoth(String name, String lang) {
    check(name, lang);
    String other = lang.equals("sw") ? "en" : "sw";
    URI here = URI.create(browser.driver().getCurrentUrl());
    browser.open(withLang(here, other));
    check(name, other);
    browser.open(withLang(here, lang));
  }

  static String withLang(URI page, String lang) {
    String query =
        page.getQuery() == null ? "" : page.getQuery().replaceAll("(^|&)lang=[a-z]+", "");
    query = query.startsWith("&") ? query.substring(1) : query;
    return page.resolve(
            page.getPath() + "?" + (query.isEmpty() ? "" : query + "&") + "lang=" + lang)
        .toString();
  }
}
