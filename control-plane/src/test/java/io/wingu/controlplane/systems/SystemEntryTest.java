package io.wingu.controlplane.systems;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.app.FieldError;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The register's rules, without HTTP: what every entry, from the API or a console form, must
 * satisfy.
 */
class SystemEntryTest {

  private static final LocalDate TODAY = LocalDate.of(2026, 11, 25);

  private static SystemEntry valid() {
    return new SystemEntry("Payroll", "Pays staff", "hr", "wingu", "In-house", 10, "2026-01-31");
  }

  private static List<String> fields(SystemEntry e) {
    return e.problems(TODAY).stream().map(FieldError::field).toList();
  }

  @Test
  void aCompleteEntryPasses() {
    assertThat(valid().problems(TODAY)).isEmpty();
    assertThat(
            new SystemEntry(
                    "x".repeat(200),
                    "p".repeat(2000),
                    "other",
                    "commercial-cloud",
                    "b".repeat(200),
                    0,
                    TODAY.toString())
                .problems(TODAY))
        .isEmpty();
  }

  @Test
  void anEmptyEntryNamesEveryField() {
    assertThat(fields(SystemEntry.fromJson(new JsonObject())))
        .containsExactly(
            "name", "purpose", "category", "hosting", "builtBy", "users", "reviewedAt");
  }

  @Test
  void textsAreBoundedInCharactersAndFreeOfControlCharacters() {
    assertThat(
            fields(
                new SystemEntry(
                    "x".repeat(201),
                    "p".repeat(2001),
                    "hr",
                    "wingu",
                    "b".repeat(201),
                    1,
                    "2026-01-31")))
        .containsExactly("name", "purpose", "builtBy");
    // 200 characters outside the BMP are 400 UTF-16 units, and still fit
    assertThat(
            fields(
                new SystemEntry(
                    "\uD83D\uDCBB".repeat(200), "p", "hr", "wingu", "b", 1, "2026-01-31")))
        .isEmpty();
    assertThat(
            fields(
                new SystemEntry(
                    "a\u0000b", "line\nnext\ttab", "hr", "wingu", "b\u001b", 1, "2026-01-31")))
        .containsExactly("name", "builtBy");
    assertThat(fields(new SystemEntry("   ", "\n", "hr", "wingu", "b", 1, "2026-01-31").stripped()))
        .containsExactly("name", "purpose");
    assertThat(
            new SystemEntry("  Payroll ", " p ", "hr", "wingu", " b", 1, "2026-01-31")
                .stripped()
                .name())
        .isEqualTo("Payroll");
  }

  @Test
  void markupIsJustText() {
    assertThat(
            fields(
                new SystemEntry(
                    "<script>alert(1)</script>",
                    "**bold** [x](javascript:y)",
                    "hr",
                    "wingu",
                    "<b>Co</b>",
                    1,
                    "2026-01-31")))
        .isEmpty();
  }

  @Test
  void categoriesHostingAndUsersComeFromTheirLists() {
    assertThat(fields(new SystemEntry("n", "p", "payroll", "basement", "b", -1, "2026-01-31")))
        .containsExactly("category", "hosting", "users");
    assertThat(
            fields(
                new SystemEntry(
                    "n", "p", "hr", "wingu", "b", SystemEntry.MAX_USERS + 1, "2026-01-31")))
        .containsExactly("users");
    assertThat(SystemEntry.fromJson(new JsonObject().put("users", 2.5)).users()).isEqualTo(-1);
    assertThat(SystemEntry.fromJson(new JsonObject().put("users", 7)).users()).isEqualTo(7);
  }

  @Test
  void theReviewIsARealDayNotInTheFuture() {
    for (String bad :
        List.of("2026-02-30", "26-01-01", "2026-1-1", "yesterday", "2026-11-26", "1899-12-31")) {
      assertThat(fields(new SystemEntry("n", "p", "hr", "wingu", "b", 1, bad)))
          .as(bad)
          .containsExactly("reviewedAt");
    }
    assertThat(fields(new SystemEntry("n", "p", "hr", "wingu", "b", 1, "2024-02-29"))).isEmpty();
    assertThat(fields(new SystemEntry("n", "p", "hr", "wingu", "b", 1, TODAY.toString())))
        .isEmpty();
  }

  @Test
  void aReviewMoreThanTwelveMonthsOldIsOverdue() {
    assertThat(IctSystem.overdue(LocalDate.of(2025, 11, 24), TODAY)).isTrue();
    assertThat(IctSystem.overdue(LocalDate.of(2025, 11, 25), TODAY)).isFalse();
    assertThat(IctSystem.overdue(LocalDate.of(2026, 11, 25), TODAY)).isFalse();
  }
}
