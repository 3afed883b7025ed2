package io.wingu.templates.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Debian Chromium with axe-core, for accessibility tests of rendered pages. Reusable by
 * any module (the console will want it too). Nothing is downloaded: the browser and driver are the
 * Debian packages installed by {@code scripts/install-browser.sh}, and axe-core is the {@code
 * axe.min.js} bundled in the {@code com.deque.html.axe-core:selenium} jar.
 */
public final class AxeBrowser implements AutoCloseable {

  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  /** The WCAG 2.1 A and AA rule sets of axe-core. */
  public static final List<String> WCAG21_AA = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa");

  /**
   * Every rule axe-core runs by default: WCAG A, AA and AAA-free rules and its best practices
   * (landmarks, region, unique landmark names...). What the public pages must pass, at any impact.
   */
  public static final List<String> EVERY_RULE = List.of();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String AXE_RESOURCE = "axe.min.js";

  private final ChromeDriver driver;
  private final Path profile;
  private final String axeSource;
  private boolean pageScripts = true;

  private AxeBrowser(ChromeDriver driver, Path profile, String axeSource) {
    this.driver = driver;
    this.profile = profile;
    this.axeSource = axeSource;
  }

  /**
   * Starts the browser; fails (never skips) when it is not installed, naming the script that
   * installs it.
   */
  public static AxeBrowser start() {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      throw new IllegalStateException(
          "Chromium or chromedriver is missing ("
              + CHROMIUM
              + ", "
              + CHROMEDRIVER
              + "): run scripts/install-browser.sh, as ./wingu test does");
    }
    String axe = axeSource();
    try {
      Path profile = Files.createTempDirectory("wingu-chromium-");
      ChromeOptions options = new ChromeOptions();
      options.setBinary(CHROMIUM.toFile());
      options.addArguments(
          "--headless=new",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-dev-shm-usage",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--no-first-run",
          "--disable-extensions",
          "--hide-scrollbars",
          "--force-color-profile=srgb",
          "--user-data-dir=" + profile,
          "--window-size=1280,900");
      // an explicit driver executable keeps Selenium Manager from looking for (or downloading) one
      ChromeDriverService service =
          new ChromeDriverService.Builder()
              .usingDriverExecutable(CHROMEDRIVER.toFile())
              .usingAnyFreePort()
              .build();
      ChromeDriver driver = new ChromeDriver(service, options);
      driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
      driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
      return new AxeBrowser(driver, profile, axe);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String axeSource() {
    try (InputStream in = AxeBrowser.class.getClassLoader().getResourceAsStream(AXE_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            AXE_RESOURCE + " not on the test classpath (com.deque.html.axe-core:selenium)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Sets the exact CSS viewport width (and a starting height), like a phone or a desktop screen.
   */
  public void viewport(int width, int height) {
    driver.executeCdpCommand(
        "Emulation.setDeviceMetricsOverride",
        Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", width < 600));
  }

  public void open(String url) {
    driver.get(url);
  }

  public ChromeDriver driver() {
    return driver;
  }

  /**
   * Runs the pages' scripts or not, as a person's browser may: with {@code false} no page script
   * runs (the setting holds across the pages opened next), so what works is what plain HTML does.
   */
  public void pageScripts(boolean on) {
    driver.executeCdpCommand("Emulation.setScriptExecutionDisabled", Map.of("value", !on));
    pageScripts = on;
  }

  /**
   * Runs axe-core on the current page with the given rule tags ({@link #EVERY_RULE}: all its
   * default rules); returns its violations. With the pages' scripts off, they are on for axe-core
   * alone (it is a script too) and off again after.
   */
  public List<Violation> violations(List<String> tags) {
    if (pageScripts) {
      return axeViolations(tags);
    }
    pageScripts(true);
    try {
      return axeViolations(tags);
    } finally {
      pageScripts(false);
    }
  }

  private List<Violation> axeViolations(List<String> tags) {
    JavascriptExecutor js = driver;
    js.executeScript(axeSource);
    Object result =
        js.executeAsyncScript(
            """
                var done = arguments[arguments.length - 1];
                var options = arguments[0].length === 0
                  ? {resultTypes: ['violations']}
                  : {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']};
                axe.run(document, options)
                  .then(function (r) { done(JSON.stringify(r.violations)); })
                  .catch(function (e) { done(JSON.stringify({error: String(e)})); });
                """,
            tags);
    try {
      JsonNode json = JSON.readTree(String.valueOf(result));
      if (json.has("error")) {
        throw new IllegalStateException("axe-core failed: " + json.get("error").asText());
      }
      List<Violation> violations = new ArrayList<>();
      for (JsonNode violation : json) {
        List<String> nodes = new ArrayList<>();
        violation
            .path("nodes")
            .forEach(node -> nodes.add(node.path("target") + " " + node.path("html").asText()));
        violations.add(
            new Violation(
                violation.path("id").asText(),
                violation.path("impact").asText(),
                violation.path("help").asText(),
                nodes));
      }
      return violations;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A PNG of the whole page (not only the viewport) at the current width. */
  public Path screenshot(Path file) {
    Map<String, Object> metrics = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
    @SuppressWarnings("unchecked")
    Map<String, Object> content = (Map<String, Object>) metrics.get("cssContentSize");
    Map<String, Object> clip =
        Map.of(
            "x",
            0,
            "y",
            0,
            "scale",
            1,
            "width",
            ((Number) content.get("width")).doubleValue(),
            "height",
            Math.min(((Number) content.get("height")).doubleValue(), 12000));
    Map<String, Object> shot =
        driver.executeCdpCommand(
            "Page.captureScreenshot",
            Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
    try {
      Files.createDirectories(file.getParent());
      return Files.write(file, Base64.getDecoder().decode(String.valueOf(shot.get("data"))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      deleteProfile();
    }
  }

  private void deleteProfile() {
    try (Stream<Path> files = Files.walk(profile)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      // a leftover temporary profile is harmless; the test result matters more
    }
  }

  /** One failed axe rule and the elements that fail it. */
  public record Violation(String rule, String impact, String help, List<String> nodes) {
    @Override
    public String toString() {
      return rule + " (" + impact + "): " + help + " " + nodes;
    }
  }
}
