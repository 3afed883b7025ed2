package io.wingu.controlplane.web;

import io.wingu.templates.testing.AxeBrowser;
import java.net.URI;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium on one console: open a page, fill fields, press a button and wait for the next
 * page.
 */
final class ConsoleBrowser implements AutoCloseable {

  private final AxeBrowser browser;
  private final URI base;
  private final ConsolePageCheck pages;

  private ConsoleBrowser(AxeBrowser browser, URI base) {
    this.browser = browser;
    this.base = base;
    this.pages = new ConsolePageCheck(browser);
  }

  /** A browser on the console at {@code base}. */
  static ConsoleBrowser start(URI base) {
    return new ConsoleBrowser(AxeBrowser.start(), base);
  }

  /** Closes the browser, then the control plane, whichever of them started. */
  static void stop(ConsoleBrowser ui, io.wingu.controlplane.wiring.ControlPlane plane) {
    if (ui != null) {
      ui.close();
    }
    if (plane != null) {
      plane.close();
    }
  }

  @Override
  public void close() {
    browser.close();
  }

  AxeBrowser axe() {
    return browser;
  }

  /** The checks every visited page passes (axe-core, 320 px, language) and its screenshots. */
  ConsolePageCheck pages() {
    return pages;
  }

  /**
   * Runs the pages' scripts or not, as a person's browser may: with {@code false} no page script
   * runs (the setting holds across the pages opened next), so what works is what plain HTML does.
   */
  void javaScript(boolean on) {
    browser.pageScripts(on);
  }

  void open(String path) {
    browser.open(base.resolve(path).toString());
  }

  WebElement find(String css) {
    return browser.driver().findElement(By.cssSelector(css));
  }

  java.util.List<WebElement> findAll(String css) {
    return browser.driver().findElements(By.cssSelector(css));
  }

  /** Clicks something that loads another page, and waits until that page has replaced this one. */
  void press(String css) {
    WebElement page = find("html");
    find(css).click();
    new WebDriverWait(browser.driver(), Duration.ofSeconds(30)).until(d -> replaced(page));
    new WebDriverWait(browser.driver(), Duration.ofSeconds(30))
        .until(
            d ->
                "complete"
                    .equals(((JavascriptExecutor) d).executeScript("return document.readyState")));
  }

  /**
   * True once the old page's root is gone. Chromium reports a node of an unloaded document either
   * as stale or as "does not belong to the document", depending on when it is asked.
   */
  private static boolean replaced(WebElement oldRoot) {
    try {
      oldRoot.isEnabled();
      return false;
    } catch (org.openqa.selenium.StaleElementReferenceException e) {
      return true;
    } catch (org.openqa.selenium.WebDriverException e) {
      if (e.getMessage() != null && e.getMessage().contains("does not belong to the document")) {
        return true;
      }
      throw e;
    }
  }

  void type(String id, String text) {
    WebElement field = find("#" + id);
    field.clear();
    field.sendKeys(text);
  }

  /** Signs in afresh: whoever was signed in before (a test that stopped half-way) is forgotten. */
  void signIn(String lang, String username, String password) {
    open("/login?lang=" + lang);
    browser.driver().manage().deleteAllCookies();
    open("/login?lang=" + lang);
    type("username", username);
    type("password", password);
    press("form[action='/login'] button[type=submit]");
  }

  void signOut() {
    press("form[action='/logout'] button");
  }

  String text() {
    return find("main").getText();
  }

  String path() {
    return URI.create(browser.driver().getCurrentUrl()).getPath();
  }
}
