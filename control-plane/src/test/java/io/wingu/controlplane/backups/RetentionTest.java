package io.wingu.controlplane.backups;

import static org.assertj.core.api.Assertions.assertThat;

import io.wingu.controlplane.backups.Retention.Held;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Which backups a plan's retention deletes: days, then the last of each week and month. */
class RetentionTest {

  private static final ZoneId ZONE = ZoneId.of("Africa/Dar_es_Salaam");
  // a Wednesday, at noon country time
  private static final Instant NOW = at(LocalDate.of(2026, 12, 2));

  private static Instant at(LocalDate day) {
    return day.atTime(12, 0).atZone(ZONE).toInstant();
  }

  /** One good backup a day at noon, for {@code count} days up to today. */
  private static List<Held> daily(int count) {
    List<Held> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(new Held(UUID.randomUUID(), NOW.minusSeconds(86_400L * i), true, false));
    }
    return out;
  }

  private static List<LocalDate> keptDays(Retention r, List<Held> backups) {
    List<UUID> expired = r.expired(backups, NOW, ZONE);
    return backups.stream()
        .filter(b -> !expired.contains(b.id()))
        .map(b -> b.startedAt().atZone(ZONE).toLocalDate())
        .sorted()
        .toList();
  }

  @Test
  void keepsEveryBackupOfTheLastDaysAndTheLastOfEachWeekAndMonth() {
    List<LocalDate> kept = keptDays(new Retention(7, 4, 3), daily(120));

    assertThat(kept)
        .containsExactly(
            // the last of October (months count this one: December, November, October)
            LocalDate.of(2026, 10, 31),
            // the last of each of the two weeks before last week (weeks count this one)
            LocalDate.of(2026, 11, 15),
            LocalDate.of(2026, 11, 22),
            // everything of the last seven days (last week's and November's last among them)
            LocalDate.of(2026, 11, 25),
            LocalDate.of(2026, 11, 26),
            LocalDate.of(2026, 11, 27),
            LocalDate.of(2026, 11, 28),
            LocalDate.of(2026, 11, 29),
            LocalDate.of(2026, 11, 30),
            LocalDate.of(2026, 12, 1),
            LocalDate.of(2026, 12, 2));
  }

  @Test
  void aBackupUnderRestoreOrTheLatestVerifiedIsNeverExpired() {
    Held restoring =
        new Held(UUID.randomUUID(), at(LocalDate.of(2025, 1, 6)), true, /* untouchable */ true);
    Held old = new Held(UUID.randomUUID(), at(LocalDate.of(2025, 1, 7)), true, false);

    assertThat(new Retention(1, 0, 0).expired(List.of(restoring, old), NOW, ZONE))
        .containsExactly(old.id());
  }

  @Test
  void aFailedBackupIsKeptForTheDaysOnlyAndNeverStandsForItsWeek() {
    Held failedToday = new Held(UUID.randomUUID(), NOW.minusSeconds(60), false, false);
    Held failedLastMonth =
        new Held(UUID.randomUUID(), at(LocalDate.of(2026, 11, 10)), false, false);
    Held goodSameWeek = new Held(UUID.randomUUID(), at(LocalDate.of(2026, 11, 9)), true, false);

    assertThat(
            new Retention(7, 8, 12)
                .expired(List.of(failedToday, failedLastMonth, goodSameWeek), NOW, ZONE))
        .containsExactly(failedLastMonth.id());
  }
}
