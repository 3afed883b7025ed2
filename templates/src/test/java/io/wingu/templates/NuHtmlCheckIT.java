package io.wingu.templates;

import static org.assertj.core.api.Assertions.assertThat;

import io.wingu.templates.testing.ExampleSites;
import io.wingu.templates.testing.LintTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every rendered page of every template (both languages, the language chooser, every page type)
 * passes the W3C Nu HTML Checker with no error.
 */
class NuHtmlCheckIT {

  @Test
  void everyPageOfEveryTemplateHasNoNuHtmlCheckerError() throws Exception {
    Path folder = Files.createDirectories(Path.of("target", "nu-html-check"));
    List<Path> pages = new ArrayList<>();
    for (String templateId : ExampleSites.templateIds().toList()) {
      for (var file : ExampleSites.bundle(templateId).files().entrySet()) {
        if (file.getKey().endsWith(".html")) {
          Path page = folder.resolve(templateId).resolve(file.getKey());
          Files.createDirectories(page.getParent());
          Files.write(page, file.getValue());
          pages.add(page);
        }
      }
    }
    assertThat(pages).hasSizeGreaterThan(50);
    assertThat(LintTools.nuErrors(pages)).as("Nu HTML Checker errors").isEmpty();
  }

  @Test
  void theCheckerReallyReportsErrors() throws Exception {
    Path page = Files.createDirectories(Path.of("target", "nu-html-check")).resolve("broken.html");
    Files.writeString(
        page,
        "<!DOCTYPE html><html lang=\"en\"><head><title>x</title></head><body>"
            + "<a href=\"tel:+255 26 232 0000\">call</a><p><div></div></p></body></html>");
    assertThat(LintTools.nuErrors(List.of(page)))
        .extracting(LintTools.NuMessage::message)
        .anyMatch(m -> m.contains("tel:") || m.contains("Illegal character"));
  }
}
