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

  @Test
  void everyAuditActionAndConditionReasonHasWordsInBothLanguages() {
    Messages messages = Messages.load();
    for (String action : AuditRows.ACTIONS) {
      assertThat(messages.has("audit.action." + action)).as(action).isTrue();
      assertThat(messages.text("sw", "audit.action." + action))
          .isNotEqualTo(messages.text("en", "audit.action." + action));
    }
    for (String reason :
        java.util.List.of(
            "Applied",
            "Terminating",
            "Ready",
            "NoDatabaseServer",
            "DatabaseError",
            "ReconcileFailed",
            "PodSecurity",
            "NotDeployed",
            "Applying",
            "Delegated",
            "NotDelegated",
            "MinimumReplicasAvailable",
            "Suspended",
            "NothingDeployed",
            "NoReplicaAvailable",
            "BelowAlertThreshold",
            "QuotaNearlyReached",
            "QuotaExceeded")) {
      assertThat(messages.has("conditionReason." + reason)).as(reason).isTrue();
    }
    assertThat(messages.text("sw", "audit.action.request.approve")).isEqualTo("Ameidhinisha ombi");
    assertThat(messages.text("en", "conditionReason.NotDelegated", "www.x.go.tz"))
        .isEqualTo(
            "These hostnames are not served because they are not the institution's: www.x.go.tz");
  }

  /**
   * Every action the code records is one of {@link AuditRows#ACTIONS}, so it has words: the main
   * sources are read for every string shaped like an action of a known kind ({@code site.ready},
   * {@code account.session.end}…) that is not a key of the bundles.
   */
  @Test
  void everyAuditActionTheCodeRecordsIsListedAndWorded() throws IOException {
    java.util.Set<String> kinds = new java.util.HashSet<>();
    AuditRows.ACTIONS.forEach(a -> kinds.add(a.substring(0, a.indexOf('.'))));
    Pattern literal = Pattern.compile("\"([a-z][a-z-]*)((?:\\.[a-z][a-z-]*)+)\"");
    java.util.Set<String> unlisted = new java.util.TreeSet<>();
    java.util.Set<String> seen = new java.util.TreeSet<>();
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        Matcher m = literal.matcher(Files.readString(file));
        while (m.find()) {
          String action = m.group(1) + m.group(2);
          if (kinds.contains(m.group(1)) && !messages.has(action)) {
            seen.add(action);
            if (!AuditRows.ACTIONS.contains(action)) {
              unlisted.add(action + " (" + file.getFileName() + ")");
            }
          }
        }
      }
    }
    assertThat(unlisted).as("actions recorded but not in AuditRows.ACTIONS").isEmpty();
    assertThat(seen).contains("site.ready", "site.degraded", "backup.fail", "account.remove");
    for (String action : AuditRows.ACTIONS) {
      for (String lang : List.of("sw", "en")) {
        assertThat(messages.text(lang, "audit.action." + action))
            .as(lang + " " + action)
            .isNotBlank()
            .isNotEqualTo("audit.action." + action);
      }
    }
  }

  @Test
  void quantitiesAndPlansReadAsPeopleSayThem() {
    Messages messages = Messages.load();
    assertThat(Amounts.quota(messages, "sw", 500, 512L << 20, 5L << 30))
        .isEqualTo("vCPU 0.5, kumbukumbu 512 MB, hifadhi 5 GB");
    assertThat(Amounts.planName(messages, "sw", "small")).isEqualTo("Ndogo");
    assertThat(Amounts.planName(messages, "sw", "custom-plan")).isEqualTo("custom-plan");
    assertThat(Amounts.engine(messages, "sw", "postgresql")).isEqualTo("PostgreSQL");
  }

  @Test
  void errorSummariesFollowTheOrderOfTheFields() {
    FormErrors errors =
        new FormErrors()
            .add("justification", "j")
            .add("plan", "p")
            .add("siteName", "s")
            .add("other", "o")
            .inOrder(java.util.List.of("siteName", "hostnames", "plan", "justification"));
    @SuppressWarnings("unchecked")
    java.util.List<java.util.Map<String, String>> summary =
        (java.util.List<java.util.Map<String, String>>) errors.model().get("errors");
    assertThat(summary.stream().map(e -> e.get("href")))
        .containsExactly("#siteName", "#plan", "#justification", "#other");
  }
}
