package io.wingu.templates.render;

import io.wingu.templates.Language;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Dates and sizes as visitors read them ("5 Machi 2026", "5 March 2026"), with the ISO form for
 * {@code <time>}.
 */
final class DisplayFormats {

  private static final List<String> SWAHILI =
      List.of(
          "Januari",
          "Februari",
          "Machi",
          "Aprili",
          "Mei",
          "Juni",
          "Julai",
          "Agosti",
          "Septemba",
          "Oktoba",
          "Novemba",
          "Desemba");
  private static final List<String> ENGLISH =
      List.of(
          "January",
          "February",
          "March",
          "April",
          "May",
          "June",
          "July",
          "August",
          "September",
          "October",
          "November",
          "December");

  private DisplayFormats() {}

  /**
   * {@code {iso, label}} for Mustache, or null for an undated entry (so {{#date}} sections skip
   * it).
   */
  static Map<String, Object> of(LocalDate date, Language language) {
    if (date == null) {
      return null;
    }
    List<String> months = language == Language.SW ? SWAHILI : ENGLISH;
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("iso", date.toString());
    model.put(
        "label",
        date.getDayOfMonth() + " " + months.get(date.getMonthValue() - 1) + " " + date.getYear());
    return model;
  }

  /** A file size in the units people read: bytes, KB or MB (decimal, one digit after the point). */
  static String fileSize(long bytes) {
    if (bytes < 1000) {
      return bytes + " B";
    }
    if (bytes < 1_000_000) {
      return String.format(java.util.Locale.ROOT, "%.1f KB", bytes / 1000.0);
    }
    return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1_000_000.0);
  }
}
