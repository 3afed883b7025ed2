package io.wingu.controlplane.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every word of the pages comes from the bundles, in both languages, with the language's formats.
 */
class ConsoleTextTest {

  private static final Path TEMPLATES = Path.of("src/main/resources/console");
  private final Messages messages = Messages.load();

  @Test
  void everyKeyAPageAsksForIsInBothBundles() throws IOException {
    Pattern literalKey = Pattern.compile("\\{\\{t \"([A-Za-z0-9_.-]+)\"");
    List<String> missing = new ArrayList<>();
    int found = 0;
    try (Stream<Path> files = Files.list(TEMPLATES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".hbs")).toList()) {
        Matcher m = literalKey.matcher(Files.readString(file));
        while (m.find()) {
          found++;
          if (!messages.has(m.group(1))) {
            missing.add(file.getFileName() + ": " + m.group(1));
          }
        }
      }
    }
    assertThat(found).isGreaterThan(100);
    assertThat(missing).isEmpty();
  }

  @Test
  void theStatusesAndConditionsEveryPageNamesHaveWordsInBothLanguages() {
    for (String status : List.of("PENDING", "APPROVED", "REJECTED", "CANCELLED")) {
      assertThat(messages.has("status." + status)).as(status).isTrue();
    }
    for (String status :
        List.of(
            "PROVISIONING",
            "ACTIVE",
            "DEGRADED",
            "SUSPENDED",
            "DECOMMISSIONING",
            "DECOMMISSIONED")) {
      assertThat(messages.has("siteStatus." + status)).as(status).isTrue();
    }
    assertThat(messages.text("sw", "status.PENDING")).isEqualTo("Inasubiri");
    assertThat(messages.text("en", "status.PENDING")).isEqualTo("Pending");
  }

  @Test
  void datesAndNumbersFollowTheLanguage() {
    Instant at = Instant.parse("2026-03-01T09:30:00Z");
    assertThat(Messages.date("en", at)).isEqualTo("1 Mar 2026, 12:30");
    assertThat(Messages.date("sw", at))
        .contains("2026")
        .contains("12:30")
        .isNotEqualTo(Messages.date("en", at));
    assertThat(Messages.number("en", 1234567)).isEqualTo("1,234,567");
    assertThat(messages.text("sw", "audit.valid", 1500)).contains("1,500");
  }

  @Test
  void theLanguageComesFromAcceptLanguageWithSwahiliWhenNeitherIsAsked() {
    assertThat(ConsoleLanguage.fromAcceptLanguage("en-US,en;q=0.9")).isEqualTo("en");
    assertThat(ConsoleLanguage.fromAcceptLanguage("fr-FR,sw;q=0.8,en;q=0.5")).isEqualTo("sw");
    assertThat(ConsoleLanguage.fromAcceptLanguage("fr")).isEqualTo("sw");
    assertThat(ConsoleLanguage.fromAcceptLanguage("not a header;;")).isEqualTo("sw");
    assertThat(ConsoleLanguage.fromAcceptLanguage(null)).isEqualTo("sw");
  }

  @Test
  void afterSignInTheVisitorGoesOnlyToAPageOfTheConsole() {
    assertThat(SignInPages.safeNext("/requests?status=PENDING"))
        .isEqualTo("/requests?status=PENDING");
    assertThat(SignInPages.safeNext("//evil.example/")).isEqualTo("/");
    assertThat(SignInPages.safeNext("/\\evil.example/")).isEqualTo("/");
    assertThat(SignInPages.safeNext("https://evil.example/")).isEqualTo("/");
    assertThat(SignInPages.safeNext("/api/v1/me")).isEqualTo("/");
    assertThat(SignInPages.safeNext(null)).isEqualTo("/");
  }

  @Test
  void apiFieldsLandOnTheFormFieldsThatHoldThem() {
    assertThat(FormErrors.formField("hostnames[2]")).isEqualTo("hostnames");
    assertThat(FormErrors.formField("database.plan")).isEqualTo("database");
    assertThat(FormErrors.formField("overrides.cpu")).isEqualTo("cpu");
    assertThat(FormErrors.formField("justification")).isEqualTo("justification");
  }
}
