package io.wingu.controlplane.backups;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * How long a plan keeps a site's backups: every backup for {@code days} days, the last good backup
 * of each of the latest {@code weeks} weeks (Monday to Sunday, country time) and of each of the
 * latest {@code months} months. Weeks and months count the current one.
 */
public record Retention(int days, int weeks, int months) {

  /** One backup of a site as retention weighs it. */
  public record Held(UUID id, Instant startedAt, boolean succeeded, boolean untouchable) {}

  /**
   * The backups of one site that have expired at {@code now}. A backup marked {@code untouchable}
   * (under restore, or the site's latest verified one) never has; neither has one still running,
   * which the caller does not pass. A failed backup is kept {@code days} days, for its reason.
   */
  public List<UUID> expired(List<Held> site, Instant now, ZoneId zone) {
    Instant daysFrom = now.minus(Duration.ofDays(days));
    LocalDate today = now.atZone(zone).toLocalDate();
    LocalDate firstWeek =
        today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).minusWeeks(weeks - 1L);
    YearMonth firstMonth = YearMonth.from(today).minusMonths(months - 1L);
    List<Held> newestFirst = new ArrayList<>(site);
    newestFirst.sort(Comparator.comparing(Held::startedAt).reversed());
    Set<LocalDate> weeksKept = new HashSet<>();
    Set<YearMonth> monthsKept = new HashSet<>();
    List<UUID> expired = new ArrayList<>();
    for (Held b : newestFirst) {
      boolean keep = b.untouchable() || !b.startedAt().isBefore(daysFrom);
      if (b.succeeded()) {
        LocalDate day = b.startedAt().atZone(zone).toLocalDate();
        LocalDate week = day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        YearMonth month = YearMonth.from(day);
        // the newest good backup of a week (or month) is its last: the one kept for it
        if (weeks > 0 && !week.isBefore(firstWeek) && weeksKept.add(week)) {
          keep = true;
        }
        if (months > 0 && !month.isBefore(firstMonth) && monthsKept.add(month)) {
          keep = true;
        }
      }
      if (!keep) {
        expired.add(b.id());
      }
    }
    return expired;
  }
}
