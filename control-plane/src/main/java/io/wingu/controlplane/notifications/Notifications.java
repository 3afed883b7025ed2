package io.wingu.controlplane.notifications;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.app.Cursor;
import io.wingu.controlplane.app.DomainError;
import io.wingu.controlplane.app.FieldError;
import io.wingu.controlplane.app.Keyset;
import io.wingu.controlplane.app.Listing;
import io.wingu.controlplane.app.Page;
import io.wingu.controlplane.audit.AuditEntry;
import io.wingu.controlplane.audit.AuditedDatabase;
import io.wingu.controlplane.caller.Caller;
import io.wingu.controlplane.notifications.NotificationStore.DigestLine;
import io.wingu.controlplane.notifications.NotificationStore.NewNotification;
import io.wingu.controlplane.notifications.NotificationStore.Overdue;
import io.wingu.controlplane.notifications.NotificationStore.Recipient;
import io.wingu.controlplane.notifications.NotificationStore.ScoreEntry;
import io.wingu.controlplane.plans.Quantities;
import io.wingu.controlplane.systems.IctSystem;
import io.wingu.controlplane.systems.SystemService;
import java.sql.SQLException;
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
  private static final List<String> WEBMASTERS = List.of("webmaster");

  /**
   * A person's notifications are listed newest first: a cursor names the last one's time and id.
   */
  public static final Cursor.Shape CURSOR =
      Cursor.Shape.of(Cursor.Part.time("at"), Cursor.Part.uuid("id"));

  private final AuditedDatabase db;
  private final NotificationStore store = new NotificationStore();
  private final MailText texts;
  private final String mailDomain;

  /**
   * {@code mailDomain}: the right-hand side of every Message-ID (the sender address's domain); an
   * operator's change of the mandatory kinds is recorded in {@code db}'s audit log.
   */
  public Notifications(AuditedDatabase db, MailText texts, String mailDomain) {
    this.db = db;
    this.texts = texts;
    this.mailDomain = mailDomain;
  }

  /** The notifications an audited change causes, written in its transaction. */
  public void changed(Handle h, AuditEntry e) throws SQLException {
    JsonObject after = e.after() == null ? new JsonObject() : e.after();
    switch (e.action()) {
      case "request.submit" -> requestSubmitted(h, after);
      case "request.approve" -> requestDecided(h, Kind.REQUEST_APPROVED, after);
      case "request.reject" -> requestDecided(h, Kind.REQUEST_REJECTED, after);
      case "site.suspend" -> site(h, Kind.SITE_SUSPENDED, after, "statusReason");
      case "site.resume" -> site(h, Kind.SITE_RESUMED, after, "statusReason");
      case "site.decommission" -> site(h, Kind.SITE_DECOMMISSIONED, after, "statusReason");
      case "scorecard.publish" -> scorecardPublished(h, after);
      case "usage.alert" -> quotaAlert(h, e.institutionId(), after);
      case "site.ready" -> site(h, Kind.SITE_READY, after, "reason");
      case "site.degraded" -> site(h, Kind.SITE_DEGRADED, after, "reason");
      case "site.deploy-failed" -> deploymentFailed(h, after);
      case "backup.fail" -> backupFailed(h, e, "backup", after.getString("error"));
      case "backup.verify-failed" -> backupFailed(h, e, "verify", after.getString("detail"));
      default -> {
        // an audited change nobody needs to hear of
      }
    }
  }

  private void requestSubmitted(Handle h, JsonObject r) {
    UUID institution = UUID.fromString(r.getString("institutionId"));
    List<Recipient> to = store.platformPeople(h, Kind.REQUEST_SUBMITTED, OPERATORS);
    writeAbout(
        h,
        Kind.REQUEST_SUBMITTED,
        institution,
        to,
        lang ->
            values(
                "site", r.getString("siteName", ""),
                "hostnames", hostnames(r),
                "plan", r.getString("plan", ""),
                "justification", r.getString("justification", "")));
  }

  private void requestDecided(Handle h, Kind kind, JsonObject r) {
    UUID institution = UUID.fromString(r.getString("institutionId"));
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
    writeAbout(
        h,
        kind,
        institution,
        to,
        lang ->
            values(
                "site", r.getString("siteName", ""),
                "hostnames", hostnames(r),
                "note", orDash(note),
                "reason", note == null ? "" : note));
  }

  /**
   * A site suspended, resumed or decommissioned by an operator (the reason in {@code
   * statusReason}), or found ready (served at its hostnames) or degraded (served before, no longer
   * as it should) by the platform (the reason in {@code reason}): the institution's admins and
   * webmasters hear of it.
   */
  private void site(Handle h, Kind kind, JsonObject s, String reasonField) {
    UUID institution = UUID.fromString(s.getString("institutionId"));
    String reason = s.getString(reasonField);
    writeAbout(
        h,
        kind,
        institution,
        store.institutionPeople(h, kind, List.of(institution), ADMINS_AND_WEBMASTERS),
        lang ->
            values(
                "site", s.getString("name", ""),
                "hostnames", hostnames(s),
                "reason", orDash(reason)));
  }

  /**
   * A revision the cluster did not put in service: the person who deployed it hears why (when they
   * are no longer the institution's, its webmasters do).
   */
  private void deploymentFailed(Handle h, JsonObject s) {
    UUID institution = UUID.fromString(s.getString("institutionId"));
    String deployedBy = s.getString("deployedBy", "");
    List<Recipient> to =
        store.isInstitutionPerson(h, institution, deployedBy)
            ? store
                .institutionPerson(
                    h, Kind.DEPLOYMENT_FAILED, institution, deployedBy, ADMINS_AND_WEBMASTERS)
                .map(List::of)
                .orElse(List.of())
            : store.institutionPeople(h, Kind.DEPLOYMENT_FAILED, List.of(institution), WEBMASTERS);
    String reason = s.getString("reason");
    writeAbout(
        h,
        Kind.DEPLOYMENT_FAILED,
        institution,
        to,
        lang ->
            values(
                "site", s.getString("name", ""),
                "revision", String.valueOf(s.getValue("revision", "")),
                "reason", orDash(reason)));
  }

  /**
   * A backup, or the trial restore that verifies one, failed: the institution's admins and the
   * operators hear of it (mandatory: nobody turns it off; an operator on the digest reads it
   * there).
   */
  private void backupFailed(Handle h, AuditEntry e, String what, String why) {
    UUID institution = e.institutionId();
    if (institution == null) {
      return;
    }
    // the target is backup/<site>/<backup>
    String[] parts = e.target() == null ? new String[0] : e.target().split("/");
    String site =
        parts.length >= 2 ? store.siteName(h, UUID.fromString(parts[1])).orElse(parts[1]) : "";
    List<Recipient> to =
        new ArrayList<>(
            store.institutionPeople(h, Kind.BACKUP_FAILED, List.of(institution), ADMINS));
    to.addAll(store.platformPeople(h, Kind.BACKUP_FAILED, OPERATORS));
    writeAbout(
        h,
        Kind.BACKUP_FAILED,
        institution,
        to,
        lang ->
            values(
                "site",
                site,
                "what",
                texts.word(lang, "backup-failed.what." + what),
                "reason",
                orDash(why)));
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
      rows.add(row(Kind.SCORECARD_PUBLISHED, r, values, now, null));
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
    String day = LocalDate.ofInstant(db.clock().instant(), java.time.ZoneOffset.UTC).toString();
    writeAbout(
        h,
        kind,
        institution,
        store.institutionPeople(h, kind, List.of(institution), ADMINS),
        lang ->
            values(
                "resource",
                texts.word(lang, "resource." + (cpu ? "cpu" : "memory")),
                "used",
                cpu ? Quantities.cpu(used) : Quantities.bytes(used),
                "quota",
                cpu ? Quantities.cpu(quota) : Quantities.bytes(quota),
                "day",
                day));
  }

  // --- what is written on a schedule: once per person and period (the outbox's dedup key) ---

  /** The local hour from which the day's digest is written. */
  public static final int DIGEST_HOUR = 7;

  /**
   * The operators who take the digest get the day's summary: pending requests by age, degraded
   * sites, backups failed in the last 24 hours. Written once a day, from {@link #DIGEST_HOUR}
   * (country time); a later pass, here or on another replica, writes nothing. Returns the mails
   * written.
   */
  public Future<Integer> digest(Instant at) {
    java.time.ZonedDateTime local = at.atZone(SystemService.ZONE);
    if (local.getHour() < DIGEST_HOUR) {
      return Future.succeededFuture(0);
    }
    LocalDate day = local.toLocalDate();
    return db.inTransaction(
        h -> {
          List<Recipient> to = store.platformPeople(h, Kind.OPERATOR_DIGEST, OPERATORS);
          if (to.isEmpty()) {
            return 0;
          }
          List<DigestLine> requests = store.pendingRequests(h);
          List<DigestLine> degraded = store.degradedSites(h);
          List<DigestLine> failed = store.failedBackups(h, at.minus(1, ChronoUnit.DAYS));
          Set<UUID> institutions = new java.util.HashSet<>();
          for (List<DigestLine> l : List.of(requests, degraded, failed)) {
            l.forEach(d -> institutions.add(d.institutionId()));
          }
          Map<UUID, String[]> names = store.institutionNames(h, institutions);
          Instant now = now();
          List<NewNotification> rows = new ArrayList<>();
          for (Recipient r : to) {
            String lang = r.language();
            Map<String, String> v = new HashMap<>();
            v.put("day", day.toString());
            v.put("pending", Integer.toString(requests.size()));
            v.put("degraded", Integer.toString(degraded.size()));
            v.put("failed", Integer.toString(failed.size()));
            v.put(
                "requests",
                lines(
                    requests,
                    lang,
                    d ->
                        texts
                            .word(lang, "digest.days")
                            .replace(
                                "{days}",
                                Long.toString(Math.max(0, ChronoUnit.DAYS.between(d.since(), at)))),
                    names));
            v.put("sites", lines(degraded, lang, d -> d.since().toString(), names));
            v.put("backups", lines(failed, lang, DigestLine::detail, names));
            rows.add(
                row(
                    Kind.OPERATOR_DIGEST,
                    r,
                    v,
                    now,
                    "operator-digest:" + r.accountId() + ":" + day));
          }
          return store.insert(h, rows);
        });
  }

  private String lines(
      List<DigestLine> found,
      String lang,
      Function<DigestLine, String> detail,
      Map<UUID, String[]> names) {
    if (found.isEmpty()) {
      return texts.word(lang, "digest.none");
    }
    StringBuilder out = new StringBuilder();
    for (DigestLine d : found) {
      String more = detail.apply(d);
      out.append(out.isEmpty() ? "" : "\n")
          .append("- ")
          .append(d.name())
          .append(" (")
          .append(name(names, d.institutionId(), lang))
          .append(")")
          .append(more == null || more.isBlank() ? "" : ": " + more);
    }
    return out.toString();
  }

  /**
   * Each institution whose ICT register holds systems not reviewed for {@value
   * IctSystem#REVIEW_MONTHS} months: its admins hear which, once a month. Returns the mails
   * written.
   */
  public Future<Integer> reviewsOverdue(Instant at) {
    LocalDate today = at.atZone(SystemService.ZONE).toLocalDate();
    YearMonth month = YearMonth.from(today);
    return db.inTransaction(
        h -> {
          Map<UUID, List<Overdue>> byInstitution = new LinkedHashMap<>();
          for (Overdue o : store.overdueSystems(h, today.minusMonths(IctSystem.REVIEW_MONTHS))) {
            byInstitution.computeIfAbsent(o.institutionId(), k -> new ArrayList<>()).add(o);
          }
          Map<UUID, String[]> names = store.institutionNames(h, byInstitution.keySet());
          Instant now = now();
          List<NewNotification> rows = new ArrayList<>();
          for (Recipient r :
              store.institutionPeople(
                  h, Kind.REGISTER_REVIEW_OVERDUE, byInstitution.keySet(), ADMINS)) {
            List<Overdue> systems = byInstitution.get(r.institutionId());
            StringBuilder list = new StringBuilder();
            for (Overdue o : systems) {
              list.append(list.isEmpty() ? "" : "\n")
                  .append("- ")
                  .append(o.name())
                  .append(" (")
                  .append(o.reviewedAt())
                  .append(")");
            }
            rows.add(
                row(
                    Kind.REGISTER_REVIEW_OVERDUE,
                    r,
                    values(
                        "institution", name(names, r.institutionId(), r.language()),
                        "count", Integer.toString(systems.size()),
                        "months", Integer.toString(IctSystem.REVIEW_MONTHS),
                        "systems", list.toString()),
                    now,
                    "register-review-overdue:" + r.accountId() + ":" + month));
          }
          return store.insert(h, rows);
        });
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
      rows.add(row(kind, r, v, now, null));
    }
    store.insert(h, rows);
  }

  private NewNotification row(
      Kind kind, Recipient r, Map<String, String> values, Instant now, String dedupKey) {
    Map<String, String> v = new HashMap<>(values);
    v.put("name", r.name() == null ? "" : r.name());
    UUID id = UUID.randomUUID();
    return new NewNotification(
        id,
        kind,
        r,
        texts.render(kind, r.language(), v),
        "<" + id + "@" + mailDomain + ">",
        now,
        dedupKey);
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

  /**
   * {@link #write} for a message about one institution: its values name it ({@code institution}).
   */
  private void writeAbout(
      Handle h,
      Kind kind,
      UUID institution,
      List<Recipient> to,
      Function<String, Map<String, String>> values) {
    Map<UUID, String[]> names = store.institutionNames(h, List.of(institution));
    write(
        h,
        kind,
        to,
        lang -> {
          Map<String, String> v = values.apply(lang);
          v.put("institution", name(names, institution, lang));
          return v;
        });
  }

  /** A free text (a reason, a note), or a dash where it was left empty. */
  private static String orDash(String text) {
    return text == null || text.isBlank() ? "—" : text;
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
    return db.now();
  }

  // --- what a person reads and chooses ---

  /** What was sent (or is waiting, or failed) to the caller, newest first. */
  public Future<Listing<Mail>> list(Caller caller, Page page) {
    return db.withHandle(
        h ->
            page.listing(
                store.ofAccount(h, caller.accountId(), Keyset.descending(page, "created_at", "id")),
                n ->
                    new JsonObject()
                        .put("at", n.createdAt().toString())
                        .put("id", n.id().toString())));
  }

  /** One mail as its recipient sees it ('sending' is shown as pending). */
  public record Mail(
      UUID id,
      String kind,
      String subject,
      String recipient,
      String status,
      Instant createdAt,
      Instant sentAt,
      int attempts,
      String error) {}

  /** The newest {@code limit} mails to the caller. */
  public Future<List<Mail>> recent(Caller caller, int limit) {
    return db.withHandle(
        h ->
            store.ofAccount(
                h,
                caller.accountId(),
                Keyset.descending(Page.first(limit, CURSOR), "created_at", "id")));
  }

  /** Every kind with whether the caller receives it; a mandatory kind is always on. */
  public Future<Map<String, Boolean>> preferences(Caller caller) {
    return db.withHandle(h -> preferences(h, caller.accountId()));
  }

  private Map<String, Boolean> preferences(Handle h, UUID account) {
    Map<String, Boolean> chosen = store.chosen(h, account);
    Set<String> mandatory = store.mandatory(h);
    Map<String, Boolean> out = new LinkedHashMap<>();
    for (Kind k : Kind.values()) {
      out.put(
          k.wireName(),
          mandatory.contains(k.wireName()) || chosen.getOrDefault(k.wireName(), k.onByDefault()));
    }
    return out;
  }

  /** The kinds an operator made mandatory (nobody turns them off). */
  public Future<Set<String>> mandatory() {
    return db.withHandle(store::mandatory);
  }

  /** Every kind with whether it is mandatory. */
  public Future<Map<String, Boolean>> mandatoryKinds() {
    return db.withHandle(Notifications::mandatoryKinds);
  }

  private static Map<String, Boolean> mandatoryKinds(Handle h) {
    Set<String> mandatory = new NotificationStore().mandatory(h);
    Map<String, Boolean> out = new LinkedHashMap<>();
    for (Kind k : Kind.values()) {
      out.put(k.wireName(), mandatory.contains(k.wireName()));
    }
    return out;
  }

  /**
   * An operator makes kinds mandatory (everyone who may receive them does, whatever they chose) or
   * no longer mandatory (each person's own choice counts again); kinds not named keep their
   * setting. The operators' daily digest is each operator's choice: making it mandatory is refused.
   * A change is audited as {@code notification.mandatory}, with the mandatory kinds before and
   * after.
   */
  public Future<Map<String, Boolean>> setMandatory(
      Caller caller, Map<String, Boolean> choices, String requestId) {
    List<FieldError> errors = new ArrayList<>();
    List<String> personalChoices = new ArrayList<>();
    for (Map.Entry<String, Boolean> c : choices.entrySet()) {
      if (Kind.fromWire(c.getKey()).isEmpty()) {
        errors.add(new FieldError(c.getKey(), "is not a kind of notification", "kind-unknown"));
      } else if (c.getValue() && !Kind.fromWire(c.getKey()).get().mayBeMandatory()) {
        personalChoices.add(c.getKey());
      }
    }
    if (!errors.isEmpty()) {
      return Future.failedFuture(
          DomainError.invalid(
              "Unknown kinds of notification: "
                  + String.join(", ", errors.stream().map(FieldError::field).toList()),
              errors));
    }
    // a well-formed request that a rule of the platform refuses: a conflict, not bad input
    if (!personalChoices.isEmpty()) {
      return Future.failedFuture(
          DomainError.conflict(
              "notification-not-mandatory",
              personalChoices.get(0),
              "These notifications are each operator's own choice (a daily summary instead of"
                  + " single mails) and cannot be made mandatory: "
                  + String.join(", ", personalChoices)));
    }
    return db.inTransaction(
        h -> {
          Map<String, Boolean> before = mandatoryKinds(h);
          boolean changed = false;
          for (Map.Entry<String, Boolean> c : choices.entrySet()) {
            changed |= store.setMandatory(h, c.getKey(), c.getValue());
          }
          Map<String, Boolean> after = mandatoryKinds(h);
          if (changed) {
            db.audit(
                h,
                new AuditEntry(
                    caller.username(),
                    "notification.mandatory",
                    "notifications/mandatory",
                    null,
                    requestId,
                    onlyMandatory(before),
                    onlyMandatory(after)));
          }
          return after;
        });
  }

  private static JsonObject onlyMandatory(Map<String, Boolean> kinds) {
    JsonArray on = new JsonArray();
    kinds.forEach(
        (k, v) -> {
          if (v) {
            on.add(k);
          }
        });
    return new JsonObject().put("mandatory", on);
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
