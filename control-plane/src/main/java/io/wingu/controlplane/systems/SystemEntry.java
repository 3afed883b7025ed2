package io.wingu.controlplane.systems;

import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.app.FieldError;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;

/**
 * What an institution admin writes about one system, as sent (API body or console form), and the
 * register's rules for it. The OpenAPI document states the same bounds for the API's clients; these
 * checks are the ones every path passes, API and console alike.
 */
public record SystemEntry(
    String name,
    String purpose,
    String category,
    String hosting,
    String builtBy,
    long users,
    String reviewedAt) {

  public static final List<String> CATEGORIES =
      List.of(
          "hr",
          "finance",
          "procurement",
          "records",
          "e-services",
          "website",
          "email",
          "revenue",
          "health",
          "education",
          "land",
          "other");
  public static final List<String> HOSTINGS =
      List.of("wingu", "own-server-room", "government-data-centre", "commercial-cloud");
  public static final int MAX_NAME = 200;
  public static final int MAX_PURPOSE = 2000;
  public static final int MAX_BUILT_BY = 200;
  public static final long MAX_USERS = 1_000_000_000L;

  /** Reviews before this year are typing mistakes, not reviews. */
  static final int FIRST_YEAR = 1900;

  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("uuuu-MM-dd").withResolverStyle(ResolverStyle.STRICT);

  /**
   * Reads a body that passed the contract; a missing or mistyped value becomes one the rules
   * refuse.
   */
  public static SystemEntry fromJson(JsonObject body) {
    Object users = body.getValue("users");
    return new SystemEntry(
        body.getString("name"),
        body.getString("purpose"),
        body.getString("category"),
        body.getString("hosting"),
        body.getString("builtBy"),
        users instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
            ? n.longValue()
            : -1,
        body.getString("reviewedAt"));
  }

  /** The entry with surrounding spaces removed from its texts, as it is stored. */
  public SystemEntry stripped() {
    return new SystemEntry(
        strip(name), strip(purpose), category, hosting, strip(builtBy), users, reviewedAt);
  }

  /** Every broken rule, one per field; empty when the entry may be stored. */
  public List<FieldError> problems(LocalDate today) {
    List<FieldError> errors = new ArrayList<>();
    text(errors, "name", name, MAX_NAME, false);
    text(errors, "purpose", purpose, MAX_PURPOSE, true);
    if (category == null || !CATEGORIES.contains(category)) {
      errors.add(new FieldError("category", "must be one of " + CATEGORIES));
    }
    if (hosting == null || !HOSTINGS.contains(hosting)) {
      errors.add(new FieldError("hosting", "must be one of " + HOSTINGS));
    }
    text(errors, "builtBy", builtBy, MAX_BUILT_BY, false);
    if (users < 0 || users > MAX_USERS) {
      errors.add(new FieldError("users", "must be a whole number from 0 to " + MAX_USERS));
    }
    LocalDate reviewed = reviewDate();
    if (reviewed == null) {
      errors.add(new FieldError("reviewedAt", "must be a date such as 2026-01-31"));
    } else if (reviewed.isAfter(today)) {
      errors.add(new FieldError("reviewedAt", "must not be in the future"));
    } else if (reviewed.getYear() < FIRST_YEAR) {
      errors.add(new FieldError("reviewedAt", "must be a date from " + FIRST_YEAR + " on"));
    }
    return errors;
  }

  /** The review date, or null when it is not a date. */
  public LocalDate reviewDate() {
    if (reviewedAt == null) {
      return null;
    }
    try {
      return LocalDate.parse(reviewedAt, DATE);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static void text(
      List<FieldError> errors, String field, String value, int max, boolean multiline) {
    if (value == null || value.isBlank()) {
      errors.add(new FieldError(field, "must not be blank"));
    } else if (value.codePointCount(0, value.length()) > max) {
      errors.add(new FieldError(field, "must be at most " + max + " characters"));
    } else if (value
        .codePoints()
        .anyMatch(
            ch ->
                Character.isISOControl(ch)
                    && !(multiline && (ch == '\n' || ch == '\r' || ch == '\t')))) {
      errors.add(new FieldError(field, "must not contain control characters"));
    }
  }

  private static String strip(String s) {
    return s == null ? null : s.strip();
  }
}
