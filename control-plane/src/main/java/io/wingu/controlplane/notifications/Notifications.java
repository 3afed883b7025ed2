package io.wingu.controlplane.notifications;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.app.Cursor;
import io.wingu.controlplane.app.Database;
import io.wingu.controlplane.app.DomainError;
import io.wingu.controlplane.app.FieldError;
import io.wingu.controlplane.app.Keyset;
import io.wingu.controlplane.app.Listing;
import io.wingu.controlplane.app.Page;
import io.wingu.controlplane.audit.AuditEntry;
import io.wingu.controlplane.caller.Caller;
import io.wingu.controlplane.notifications.NotificationStore.NewNotification;
import io.wingu.controlplane.notifications.NotificationStore.Recipient;
import io.wingu.controlplane.notifications.NotificationStore.ScoreEntry;
import io.wingu.controlplane.notifications.NotificationStore.Sent;
import io.wingu.controlplane.plans.Quantities;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;

/**
 * Who is told what, by e-mail. Notifications follow the audited changes: {@link #changed} runs in
 * the transaction of each one (an {@link io.wingu.controlplane.audit.AuditLog.Observer}) and writes
 * the rendered mails to the outbox there, so a change and its notifications commit together or not
 * at all; {@link MailSender} delivers them. It also answers a person's questions: what was sent to
 * them, which kinds they receive, where and in which language.
 */
public final class Notifications {

  private static final List<String> OPERATORS = List.of("operator");
  private static final List<String> ADMINS = List.of("institution-admin");
  private static final List<String> ADMINS_AND_WEBMASTERS =
      List.of("institution-admin", "webmaster");

  /**
   * A person's notifications are listed newest first: a cursor names the last one's time and id.
   */
  public static final Cursor.Shape CURSOR =
      Cursor.Shape.of(Cursor.Part.time("at"), Cursor.Part.uuid("id"));

  private final Database db;
  private final NotificationStore store = new NotificationStore();
  private final MailText texts;
  private final String mailDomain;
  private final Clock clock;

  /** {@code mailDomain}: the right-hand side of every Message-ID (the sender address's domain). */
  public Notifications(Database db, MailText texts, String mailDomain, Clock clock) {
    this.db = db;
    this.texts = texts;
    this.mailDomain = mailDomain;
    this.clock = clock;
  }

  /** The notifications an audited change causes, written in its transaction. */
  public void changed(Handle h, AuditEntry e) throws SQLException {
    JsonObject after = e.after() == null ? new JsonObject() : e.after();
    switch (e.action()) {
      case "request.submit" -> requestSubmitted(h, after);
      case "request.approve" -> requestDecided(h, Kind.REQUEST_APPROVED, after);
      case "request.reject" -> requestDecided(h, Kind.REQUEST_REJECTED, after);
      case "site.suspend" -> site(h, Kind.SITE_SUSPENDED, after);
      case "site.resume" -> site(h, Kind.SITE_RESUMED, after);
      case "site.decommission" -> site(h, Kind.SITE_DECOMMISSIONED, after);
      case "scorecard.publish" -> scorecardPublished(h, after);
      case "usage.alert" -> quotaAlert(h, e.institutionId(), after);
      case "backup.failed", "backup.verify-failed" -> backupFailed(h, e.institutionId(), after);
      default -> {
        // an audited change nobody needs to hear of
      }
    }
  }

  private void requestSubmitted(Handle h, JsonObject r) {
    UUID institution = UUID.fromString(r.getString("institutionId"));
    Map<UUID, String[]> names = store.institutionNames(h, List.of(institution));
    List<Recipient> to = store.platformPeople(h, Kind.REQUEST_SUBMITTED, OPERATORS);
    write(
        h,
        Kind.REQUEST_SUBMITTED,
        to,
        lang ->
            values(
                "institution", name(names, institution, lang),
                "site", r.getString("siteName", ""),
                "hostnames", hostnames(r),
                "plan", r.getString("plan", ""),
                "justification", r.getString("justification", "")));
  }

  private void requestDecided(Handle h, Kind kind, JsonObject r) {
    UUID institution = UUID.fromString(r.getString("institutionId"));
    Map<UUID, String[]> names = store.institutionNames(h, List.of(institution));
    List<Recipient> to =
        new ArrayList<>(store.institutionPeople(h, kind, List.of(institution), ADMINS));
    // the institution's contact address hears the outcome of its requests, whatever its admins
    // chose
    store
        .contact(h, institution)
        .filter(c -> to.stream().noneMatch(p -> c.email().equalsIgnoreCase(p.email())))
        .ifPresent(to::add);
    JsonArray history = r.getJsonArray("history", new JsonArray());
    String note =
        history.isEmpty() ? "" : history.getJsonObject(history.size() - 1).getString("note", "");
    write(
        h,
        kind,
        to,
        lang ->
            values(
                "institution", name(names, institution, lang),
                "site", r.getString("siteName", ""),
                "hostnames", hostnames(r),
                "note", note == null || note.isBlank() ? "—" : note,
                "reason", note == null ? "" : note));
  }

  private void site(Handle h, Kind kind, JsonObject s) {
    UUID institution = UUID.fromString(s.getString("institutionId"));
    Map<UUID, String[]> names = store.institutionNames(h, List.of(institution));
    String reason = s.getString("statusReason");
    write(
        h,
        kind,
        store.institutionPeople(h, kind, List.of(institution), ADMINS_AND_WEBMASTERS),
        lang ->
            values(
                "institution", name(names, institution, lang),
                "site", s.getString("name", ""),
                "reason", reason == null || reason.isBlank() ? "—" : reason));
  }

  /** Every ranked institution's admins hear their own score and what to improve. */
  private void scorecardPublished(Handle h, JsonObject p) {
    YearMonth month = YearMonth.parse(p.getString("month"));
    List<ScoreEntry> entries = store.scorecardEntries(h, month.atDay(1), p.getInteger("version"));
    Map<UUID, ScoreEntry> byInstitution = new HashMap<>();
    entries.forEach(en -> byInstitution.put(en.institutionId(), en));
    Map<UUID, String[]> names = store.institutionNames(h, byInstitution.keySet());
    List<Recipient> to =
        store.institutionPeople(h, Kind.SCORECARD_PUBLISHED, byInstitution.keySet(), ADMINS);
    List<NewNotification> rows = new ArrayList<>(to.size());
    Instant now = now();
    for (Recipient r : to) {
      ScoreEntry en = byInstitution.get(r.institutionId());
      Map<String, String> values = new LinkedHashMap<>();
      values.put("institution", name(names, en.institutionId(), r.language()));
      values.put("month", month.toString());
      values.put("score", String.format(java.util.Locale.ROOT, "%.1f", en.score()));
      values.put("rank", Integer.toString(en.rank()));
      values.put("count", Integer.toString(entries.size()));
      values.put("improve", improve(en.criteria(), r.language()));
      rows.add(row(Kind.SCORECARD_PUBLISHED, r, values, now));
    }
    store.insert(h, rows);
  }

  /** A quota alert the usage roll-up raised: the institution's admins hear of it. */
  private void quotaAlert(Handle h, UUID institution, JsonObject alert) {
    Kind kind = alert.getInteger("threshold", 80) >= 100 ? Kind.QUOTA_100 : Kind.QUOTA_80;
    String resource = alert.getString("resource", "");
    boolean cpu = "cpu".equals(resource);
    long used = Math.round(alert.getDouble("used", 0.0));
    long quota = Math.round(alert.getDouble("quota", 0.0));
    Map<UUID, String[]> names = store.institutionNames(h, List.of(institution));
    String day = LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC).toString();
    write(
        h,
        kind,
        store.institutionPeople(h, kind, List.of(institution), ADMINS),
        lang ->
            values(
                "institution",
                name(names, institution, lang),
                "resource",
                texts.word(lang, "resource." + (cpu ? "cpu" : "memory")),
                "used",
                cpu ? Quantities.cpu(used) : Quantities.bytes(used),
                "quota",
                cpu ? Quantities.cpu(quota) : Quantities.bytes(quota),
                "day",
                day));
  }

  /**
   * A backup that failed, or one whose restore check failed: the operators hear of it (the alert of
   * issue #20), with the database and the reason.
   */
  private void backupFailed(Handle h, UUID institution, JsonObject failure) {
    Map<UUID, String[]> names = store.institutionNames(h, List.of(institution));
    write(
        h,
        Kind.BACKUP_FAILED,
        store.platformPeople(h, Kind.BACKUP_FAILED, OPERATORS),
        lang ->
            values(
                "institution",
                name(names, institution, lang),
                "database",
                failure.getString("database", ""),
                "reason",
                failure.getString("detail", failure.getString("error", ""))));
  }

  private String improve(String criteriaJson, String language) {
    List<String> advice = new ArrayList<>();
    for (Object o : new JsonArray(criteriaJson)) {
      if (o instanceof JsonObject c) {
        Object how = c.getValue("howToImprove");
        if (how instanceof String s && !s.isBlank()) {
          advice.add(s);
        } else if (how instanceof JsonObject words && words.getString(language) != null) {
          advice.add(words.getString(language));
        }
      }
    }
    return advice.isEmpty()
        ? texts.word(language, "scorecard-published.nothing")
        : String.join(" ", advice);
  }

  private void write(
      Handle h, Kind kind, List<Recipient> to, Function<String, Map<String, String>> values) {
    Instant now = now();
    Map<String, Map<String, String>> byLanguage = new HashMap<>();
    List<NewNotification> rows = new ArrayList<>(to.size());
    for (Recipient r : to) {
      Map<String, String> v =
          new HashMap<>(byLanguage.computeIfAbsent(r.language(), values::apply));
      rows.add(row(kind, r, v, now));
    }
    store.insert(h, rows);
  }

  private NewNotification row(Kind kind, Recipient r, Map<String, String> values, Instant now) {
    Map<String, String> v = new HashMap<>(values);
    v.put("name", r.name() == null ? "" : r.name());
    UUID id = UUID.randomUUID();
    return new NewNotification(
        id, kind, r, texts.render(kind, r.language(), v), "<" + id + "@" + mailDomain + ">", now);
  }

  /**
   * The placeholders' values from key, value pairs; a value the change left out (null) is empty: a
   * missing word never stops the change that causes the mail.
   */
  private static Map<String, String> values(String... keysAndValues) {
    Map<String, String> out = new HashMap<>();
    for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
      out.put(keysAndValues[i], keysAndValues[i + 1] == null ? "" : keysAndValues[i + 1]);
    }
    return out;
  }

  private static String name(Map<UUID, String[]> names, UUID id, String language) {
    String[] n = names.get(id);
    return n == null ? "" : "sw".equals(language) ? n[1] : n[0];
  }

  private static String hostnames(JsonObject r) {
    JsonArray a = r.getJsonArray("hostnames", new JsonArray());
    List<String> out = new ArrayList<>();
    a.forEach(x -> out.add(String.valueOf(x)));
    return String.join(", ", out);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  // --- what a person reads and chooses ---

  /** What was sent (or is waiting, or failed) to the caller, newest first. */
  public Future<Listing<Sent>> list(Caller caller, Page page) {
    return db.withHandle(
        h ->
            page.listing(
                store.ofAccount(h, caller.accountId(), Keyset.descending(page, "created_at", "id")),
                n ->
                    new JsonObject()
                        .put("at", n.createdAt().toString())
                        .put("id", n.id().toString())));
  }

  /** Every kind with whether the caller receives it; a mandatory kind is always on. */
  public Future<Map<String, Boolean>> preferences(Caller caller) {
    return db.withHandle(h -> preferences(h, caller.accountId()));
  }

  private Map<String, Boolean> preferences(Handle h, UUID account) {
    Set<String> off = store.turnedOff(h, account);
    Set<String> mandatory = store.mandatory(h);
    Map<String, Boolean> out = new LinkedHashMap<>();
    for (Kind k : Kind.values()) {
      out.put(k.wireName(), mandatory.contains(k.wireName()) || !off.contains(k.wireName()));
    }
    return out;
  }

  /** The kinds an operator made mandatory (nobody turns them off). */
  public Future<Set<String>> mandatory() {
    return db.withHandle(store::mandatory);
  }

  /**
   * Turns kinds on or off; turning off a mandatory kind is refused (409) and nothing changes. Kinds
   * not named keep their setting; the document names every kind there is.
   */
  public Future<Map<String, Boolean>> setPreferences(Caller caller, Map<String, Boolean> choices) {
    return db.inTransaction(
        h -> {
          Set<String> mandatory = store.mandatory(h);
          List<String> refused =
              choices.entrySet().stream()
                  .filter(c -> !c.getValue() && mandatory.contains(c.getKey()))
                  .map(Map.Entry::getKey)
                  .sorted()
                  .toList();
          if (!refused.isEmpty()) {
            throw DomainError.conflict(
                "notification-mandatory",
                refused.get(0),
                "An operator made these notifications mandatory; they cannot be turned off: "
                    + String.join(", ", refused));
          }
          for (Map.Entry<String, Boolean> c : choices.entrySet()) {
            store.setPreference(h, caller.accountId(), c.getKey(), c.getValue());
          }
          return preferences(h, caller.accountId());
        });
  }

  /** Where and in which language mail reaches a person. */
  public record Contact(String email, String language) {
    public JsonObject toJson() {
      return new JsonObject().put("email", email).put("language", language);
    }
  }

  public Future<Contact> contact(Caller caller) {
    return db.withHandle(
        h ->
            store
                .contactOf(h, caller.accountId())
                .map(e -> new Contact(e.getKey().isEmpty() ? null : e.getKey(), e.getValue()))
                .orElseThrow(() -> DomainError.notFound("No account " + caller.username())));
  }

  /** Sets the caller's address ({@code null}: no mail) and language; an address must be plain. */
  public Future<Contact> setContact(Caller caller, String email, String language) {
    String address = email == null || email.isBlank() ? null : email.strip();
    if (address != null && !MailText.isAddress(address)) {
      throw DomainError.invalid(
          "Not an e-mail address",
          List.of(
              new FieldError(
                  "email", "must be a plain address such as jina@taasisi.go.tz", "email-invalid")));
    }
    return db.inTransaction(
        h -> {
          store.setContact(h, caller.accountId(), address, language);
          return new Contact(address, language);
        });
  }
}
