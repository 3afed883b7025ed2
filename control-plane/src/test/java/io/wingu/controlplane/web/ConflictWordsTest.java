package io.wingu.controlplane.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every conflict code a service (or the constraint table) can answer, and every coded rule, has its
 * own words in English and in Swahili: a person never sees the general text for a known refusal.
 */
class ConflictWordsTest {

  private static final Path SOURCES = Path.of("src/main/java/io/wingu/controlplane");
  private static final Pattern CONFLICT =
      Pattern.compile("(?:DomainError\\.conflict\\(|new Meaning\\()\\s*\"([a-z0-9-]+)\"");
  private static final Pattern RULE =
      Pattern.compile("new FieldError\\([^;]*?,\\s*\"([a-z0-9]+(?:-[a-z0-9]+)+)\"\\)");

  private final Messages messages = Messages.load();

  @Test
  void everyConflictCodeAndCodedRuleHasItsOwnTextInBothLanguages() throws IOException {
    Set<String> keys = new TreeSet<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String source = Files.readString(file);
        Matcher conflict = CONFLICT.matcher(source);
        while (conflict.find()) {
          keys.add(FormErrors.conflictKey(conflict.group(1)));
        }
        Matcher rule = RULE.matcher(source);
        while (rule.find()) {
          keys.add(FormErrors.invalidKey(rule.group(1)));
        }
      }
    }
    assertThat(keys)
        .contains(
            "error.conflict.hostname-taken",
            "error.conflict.site-name-taken",
            "error.conflict.institution-code-taken",
            "error.conflict.request-not-pending",
            "error.conflict.domain-overlaps",
            "error.conflict.username-taken",
            "error.invalid.password-too-weak");
    for (String key : keys) {
      assertThat(messages.has(key)).as(key).isTrue();
      String sw = messages.text("sw", key);
      assertThat(sw).as(key).isNotEqualTo(key).isNotEqualTo(messages.text("en", key));
    }
  }
}
