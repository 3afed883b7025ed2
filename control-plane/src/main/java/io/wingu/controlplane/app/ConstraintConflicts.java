package io.wingu.controlplane.app;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * The one table of what a refused unique (or exclusion) constraint means to the person who ran into
 * it: constraint name → conflict code, the input it is about, and the API's detail. Database
 * translates with it where transactions run, so no store catches SQL states itself.
 */
final class ConstraintConflicts {

  /** SQLSTATE unique_violation. */
  static final String UNIQUE_VIOLATION = "23505";

  /** SQLSTATE exclusion_violation: what V11's trigger raises for overlapping domains. */
  static final String EXCLUSION_VIOLATION = "23P01";

  /** What the database said: the violated key's values (in column order) and its message. */
  record Violation(List<String> values, String message) {
    String value(int i) {
      return i < values.size() ? values.get(i) : "?";
    }

    String last() {
      return values.isEmpty() ? "?" : values.get(values.size() - 1);
    }
  }

  private record Meaning(String code, String field, Function<Violation, String> detail) {}

  private static final Map<String, Meaning> BY_CONSTRAINT =
      Map.of(
          "site_hostname_pkey",
              new Meaning(
                  "hostname-taken",
                  "hostnames",
                  v -> "The hostname " + v.value(0) + " is already served by another site"),
          "site_live_name",
              new Meaning(
                  "site-name-taken",
                  "siteName",
                  v -> "The institution already has a live site named '" + v.last() + "'"),
          "hosting_request_pending_name",
              new Meaning(
                  "site-name-taken",
                  "siteName",
                  v ->
                      "The institution already has a site or pending request named '"
                          + v.last()
                          + "'"),
          "institution_code_key",
              new Meaning(
                  "institution-code-taken",
                  "code",
                  v -> "An institution with code '" + v.value(0) + "' already exists"),
          "institution_domain_pkey",
              new Meaning("domain-overlaps", "domains", ConstraintConflicts::overlap),
          "institution_domain_no_overlap",
              new Meaning("domain-overlaps", "domains", ConstraintConflicts::overlap),
          "account_username_key",
              new Meaning(
                  "username-taken", "username", v -> "The username '" + v.value(0) + "' is taken"),
          "plan_name_key",
              new Meaning(
                  "plan-name-taken",
                  "name",
                  v -> "A plan named '" + v.value(0) + "' exists already"),
          "scorecard_publication_pkey",
              new Meaning(
                  "scorecard-published-meanwhile",
                  null,
                  v -> "Someone else published " + month(v.value(0)) + " at the same moment"));

  private static final Pattern KEY =
      Pattern.compile("Key \\((.*)\\)=\\((.*)\\) already exists\\.?");

  private ConstraintConflicts() {}

  /** The conflict a refused constraint means, when the table knows the constraint. */
  static Optional<DomainError.Conflict> of(SQLException e) {
    if (!UNIQUE_VIOLATION.equals(e.getSQLState()) && !EXCLUSION_VIOLATION.equals(e.getSQLState())) {
      return Optional.empty();
    }
    ServerErrorMessage server = e instanceof PSQLException p ? p.getServerErrorMessage() : null;
    if (server == null || server.getConstraint() == null) {
      return Optional.empty();
    }
    Meaning meaning = BY_CONSTRAINT.get(server.getConstraint());
    if (meaning == null) {
      return Optional.empty();
    }
    Violation violation = new Violation(values(server.getDetail()), server.getMessage());
    return Optional.of(
        DomainError.conflict(meaning.code(), meaning.field(), meaning.detail().apply(violation)));
  }

  /** The values of "Key (a, b)=(x, y) already exists." (names and hostnames hold no ", "). */
  static List<String> values(String detail) {
    Matcher m = detail == null ? null : KEY.matcher(detail);
    if (m == null || !m.matches()) {
      return List.of();
    }
    return List.of(m.group(2).split(", ", -1));
  }

  private static String overlap(Violation v) {
    return "The domains overlap another institution's: "
        + v.message()
        + ". Two institutions' domains may not be equal or one inside the other";
  }

  /** A publication's month column (2026-03-01) as the API writes months (2026-03). */
  private static String month(String date) {
    return date.length() >= 7 ? date.substring(0, 7) : date;
  }
}
