package io.wingu.controlplane.notifications;

import io.wingu.controlplane.app.Keyset;
import io.wingu.controlplane.app.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/** The outbox, preferences and the addresses mail goes to: every statement of notifications. */
final class NotificationStore {

  /**
   * Someone a notification goes to: a person (with account) or an institution's contact address.
   */
  record Recipient(
      UUID accountId, String name, String email, String language, UUID institutionId) {}

  /** A row of the outbox as the sender needs it. */
  record Outgoing(
      UUID id,
      long seq,
      String recipient,
      String subject,
      String text,
      String html,
      String messageId,
      int attempts,
      Instant createdAt) {}

  /**
   * People of some roles who take a kind: it is mandatory, or they turned it on, or they never
   * chose and it is on by default; an operator who takes the digest gets none of what it sums up.
   */
  private static final String PEOPLE =
      "SELECT a.id, a.username, a.email, a.language, a.institution_id FROM account a"
          + " WHERE a.email IS NOT NULL AND (a.role IN (<roles>))"
          + " AND (EXISTS (SELECT 1 FROM notification_mandatory m WHERE m.kind = :kind)"
          + " OR coalesce((SELECT p.enabled FROM notification_preference p WHERE p.account_id ="
          + " a.id AND p.kind = :kind), :onByDefault))"
          + " AND NOT (:digested AND a.role = 'operator' AND coalesce((SELECT p.enabled FROM"
          + " notification_preference p WHERE p.account_id = a.id AND p.kind = 'operator-digest'),"
          + " false))";

  private static org.jdbi.v3.core.statement.Query people(Handle h, String sql, Kind kind) {
    return h.createQuery(sql)
        .bind("kind", kind.wireName())
        .bind("onByDefault", kind.onByDefault())
        .bind("digested", kind.digested());
  }

  /** The platform's people of {@code roles} who take {@code kind}. */
  List<Recipient> platformPeople(Handle h, Kind kind, Collection<String> roles) {
    return people(h, PEOPLE + " AND a.institution_id IS NULL ORDER BY a.username", kind)
        .bindList("roles", List.copyOf(roles))
        .map((rs, ctx) -> recipient(rs))
        .list();
  }

  /** The people of {@code roles} of these institutions who take {@code kind}. */
  List<Recipient> institutionPeople(
      Handle h, Kind kind, Collection<UUID> institutions, Collection<String> roles) {
    if (institutions.isEmpty()) {
      return List.of();
    }
    return people(
            h,
            PEOPLE
                + " AND a.institution_id IN (<institutions>) ORDER BY a.institution_id, a.username",
            kind)
        .bindList("roles", List.copyOf(roles))
        .bindList("institutions", List.copyOf(institutions))
        .map((rs, ctx) -> recipient(rs))
        .list();
  }

  /** The person of this institution named {@code username}, when they take {@code kind}. */
  Optional<Recipient> institutionPerson(
      Handle h, Kind kind, UUID institution, String username, Collection<String> roles) {
    return people(
            h, PEOPLE + " AND a.institution_id = :institution AND a.username = :username", kind)
        .bindList("roles", List.copyOf(roles))
        .bind("institution", institution)
        .bind("username", username)
        .map((rs, ctx) -> recipient(rs))
        .findOne();
  }

  /** Whether {@code username} is a person of the institution (whatever they chose to receive). */
  boolean isInstitutionPerson(Handle h, UUID institution, String username) {
    return Rows.exists(
        h,
        "SELECT 1 FROM account WHERE institution_id = :i AND username = :u",
        Map.of("i", institution, "u", username));
  }

  /** A site's name, when it exists. */
  Optional<String> siteName(Handle h, UUID siteId) {
    return h.createQuery("SELECT name FROM site WHERE id = :id")
        .bind("id", siteId)
        .mapTo(String.class)
        .findOne();
  }

  /** An ICT system whose review is overdue. */
  record Overdue(UUID institutionId, String name, java.time.LocalDate reviewedAt) {}

  /** The systems last reviewed before {@code before}, by institution and name. */
  List<Overdue> overdueSystems(Handle h, java.time.LocalDate before) {
    return h.createQuery(
            "SELECT institution_id, name, reviewed_at FROM ict_system WHERE reviewed_at < :before"
                + " ORDER BY institution_id, name, id")
        .bind("before", before)
        .map(
            (rs, ctx) ->
                new Overdue(
                    rs.getObject("institution_id", UUID.class),
                    rs.getString("name"),
                    rs.getObject("reviewed_at", java.time.LocalDate.class)))
        .list();
  }

  /** One line of the operators' digest: what, whose, since when. */
  record DigestLine(String name, UUID institutionId, Instant since, String detail) {}

  /** Hosting requests waiting for a decision, oldest first. */
  List<DigestLine> pendingRequests(Handle h) {
    return digestLines(
        h,
        "SELECT site_name AS name, institution_id, created_at AS since, NULL AS detail FROM"
            + " hosting_request WHERE status = 'PENDING' ORDER BY created_at, id",
        null);
  }

  /** Sites the platform serves no longer as it should, longest first. */
  List<DigestLine> degradedSites(Handle h) {
    return digestLines(
        h,
        "SELECT name, institution_id, updated_at AS since, NULL AS detail FROM site"
            + " WHERE status = 'DEGRADED' ORDER BY updated_at, id",
        null);
  }

  /** Backups that failed, or failed their verification, since {@code since}. */
  List<DigestLine> failedBackups(Handle h, Instant since) {
    return digestLines(
        h,
        "SELECT s.name, b.institution_id, coalesce(b.verified_at, b.finished_at, b.started_at) AS"
            + " since, coalesce(b.error, b.verified_detail) AS detail FROM backup b JOIN site s ON"
            + " s.id = b.site_id WHERE (b.status = 'FAILED' AND coalesce(b.finished_at,"
            + " b.started_at) >= :since) OR (b.verified_ok = false AND b.verified_at >= :since)"
            + " ORDER BY 3, b.id",
        since);
  }

  private static List<DigestLine> digestLines(Handle h, String sql, Instant since) {
    var q = h.createQuery(sql);
    if (since != null) {
      q.bind("since", since);
    }
    return q.map(
            (rs, ctx) ->
                new DigestLine(
                    rs.getString("name"),
                    rs.getObject("institution_id", UUID.class),
                    rs.getObject("since", OffsetDateTime.class).toInstant(),
                    rs.getString("detail")))
        .list();
  }

  /** The institution's contact address (mail to it is in Swahili, the institution's language). */
  Optional<Recipient> contact(Handle h, UUID institutionId) {
    return h.createQuery("SELECT contact_email FROM institution WHERE id = :id")
        .bind("id", institutionId)
        .map(
            (rs, ctx) ->
                new Recipient(null, null, rs.getString("contact_email"), "sw", institutionId))
        .findOne();
  }

  /** Institution names: {@code [name, nameSw or name]} by id. */
  Map<UUID, String[]> institutionNames(Handle h, Collection<UUID> ids) {
    if (ids.isEmpty()) {
      return Map.of();
    }
    return h
        .createQuery(
            "SELECT id, name, coalesce(name_sw, name) AS name_sw FROM institution WHERE id IN (<ids>)")
        .bindList("ids", List.copyOf(ids))
        .map(
            (rs, ctx) ->
                Map.entry(
                    rs.getObject("id", UUID.class),
                    new String[] {rs.getString("name"), rs.getString("name_sw")}))
        .list()
        .stream()
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  /** A published scorecard's entries: institution, rank, score, criteria (JSON text). */
  record ScoreEntry(UUID institutionId, int rank, double score, String criteria) {}

  List<ScoreEntry> scorecardEntries(Handle h, java.time.LocalDate month, int version) {
    return h.createQuery(
            "SELECT institution_id, rank, score, criteria::text AS criteria FROM scorecard_entry"
                + " WHERE month = :month AND version = :version ORDER BY rank, institution_id")
        .bind("month", month)
        .bind("version", version)
        .map(
            (rs, ctx) ->
                new ScoreEntry(
                    rs.getObject("institution_id", UUID.class),
                    rs.getInt("rank"),
                    rs.getDouble("score"),
                    rs.getString("criteria")))
        .list();
  }

  private static Recipient recipient(ResultSet rs) throws SQLException {
    return new Recipient(
        rs.getObject("id", UUID.class),
        rs.getString("username"),
        rs.getString("email"),
        rs.getString("language"),
        rs.getObject("institution_id", UUID.class));
  }

  /** One notification to write. */
  record NewNotification(
      UUID id,
      Kind kind,
      Recipient to,
      MailText.Rendered mail,
      String messageId,
      Instant at,
      String dedupKey) {}

  /** Writes the rows; returns how many were new (a scheduled one already written is not). */
  int insert(Handle h, List<NewNotification> rows) {
    if (rows.isEmpty()) {
      return 0;
    }
    PreparedBatch batch =
        h.prepareBatch(
            "INSERT INTO notification (id, kind, account_id, institution_id, recipient, language,"
                + " subject, body_text, body_html, message_id, next_attempt_at, created_at,"
                + " dedup_key) VALUES (:id, :kind, :accountId, :institutionId, :recipient,"
                + " :language, :subject, :text, :html, :messageId, :at, :at, :dedupKey)"
                // a scheduled mail already written (by another pass or replica) is not written
                // again
                + " ON CONFLICT (dedup_key) WHERE dedup_key IS NOT NULL DO NOTHING");
    for (NewNotification n : rows) {
      batch
          .bind("id", n.id())
          .bind("kind", n.kind().wireName())
          .bind("accountId", n.to().accountId())
          .bind("institutionId", n.to().institutionId())
          .bind("recipient", n.to().email())
          .bind("language", n.to().language())
          .bind("subject", n.mail().subject())
          .bind("text", n.mail().text())
          .bind("html", n.mail().html())
          .bind("messageId", n.messageId())
          .bind("at", n.at())
          .bind("dedupKey", n.dedupKey())
          .add();
    }
    return java.util.Arrays.stream(batch.execute()).sum();
  }

  /**
   * Claims up to {@code max} due rows, oldest first: pending ones whose time has come and sending
   * ones whose sender's lease ran out (it died mid-send). Rows another sender is claiming right now
   * are skipped, not waited for.
   */
  List<Outgoing> claim(Handle h, int max, Duration lease) {
    return h
        .createQuery(
            "UPDATE notification SET status = 'sending', lease_until = now() + :lease * interval"
                + " '1 millisecond' WHERE id IN (SELECT id FROM notification WHERE (status ="
                + " 'pending' AND next_attempt_at <= now()) OR (status = 'sending' AND lease_until"
                + " < now()) ORDER BY seq LIMIT :max FOR UPDATE SKIP LOCKED) RETURNING id, seq,"
                + " recipient, subject, body_text, body_html, message_id, attempts, created_at")
        .bind("lease", lease.toMillis())
        .bind("max", max)
        .map(
            (rs, ctx) ->
                new Outgoing(
                    rs.getObject("id", UUID.class),
                    rs.getLong("seq"),
                    rs.getString("recipient"),
                    rs.getString("subject"),
                    rs.getString("body_text"),
                    rs.getString("body_html"),
                    rs.getString("message_id"),
                    rs.getInt("attempts"),
                    rs.getObject("created_at", OffsetDateTime.class).toInstant()))
        .list()
        .stream()
        .sorted(java.util.Comparator.comparingLong(Outgoing::seq))
        .toList();
  }

  /** Delivered: only a row this sender still holds moves. */
  void sent(Handle h, UUID id, String sender) {
    h.createUpdate(
            "UPDATE notification SET status = 'sent', sent_at = now(), sent_by = :sender,"
                + " lease_until = NULL, attempts = attempts + 1, last_error = NULL"
                + " WHERE id = :id AND status = 'sending'")
        .bind("id", id)
        .bind("sender", sender)
        .execute();
  }

  /** Not delivered this time: tried again at {@code next}. */
  void retry(Handle h, UUID id, Instant next, String error, boolean counted) {
    h.createUpdate(
            "UPDATE notification SET status = 'pending', lease_until = NULL, next_attempt_at ="
                + " :next, attempts = attempts + :counted, last_error = coalesce(:error,"
                + " last_error) WHERE id = :id AND status = 'sending'")
        .bind("id", id)
        .bind("next", next)
        .bind("counted", counted ? 1 : 0)
        .bind("error", error)
        .execute();
  }

  /** Undeliverable: recorded and shown, never tried again. */
  void failed(Handle h, UUID id, String error) {
    h.createUpdate(
            "UPDATE notification SET status = 'failed', lease_until = NULL, attempts = attempts"
                + " + 1, last_error = :error WHERE id = :id AND status = 'sending'")
        .bind("id", id)
        .bind("error", error)
        .execute();
  }

  List<Notifications.Mail> ofAccount(Handle h, UUID accountId, Keyset keyset) {
    return keyset
        .query(
            h,
            "SELECT id, kind, subject, recipient, status, created_at, sent_at, attempts,"
                + " last_error FROM notification WHERE account_id = :account")
        .bind("account", accountId)
        .map(
            (rs, ctx) -> {
              OffsetDateTime sentAt = rs.getObject("sent_at", OffsetDateTime.class);
              // 'sending' is a sender's business: to the person it is pending
              String status = rs.getString("status");
              return new Notifications.Mail(
                  rs.getObject("id", UUID.class),
                  rs.getString("kind"),
                  rs.getString("subject"),
                  rs.getString("recipient"),
                  "sending".equals(status) ? "pending" : status,
                  rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                  sentAt == null ? null : sentAt.toInstant(),
                  rs.getInt("attempts"),
                  rs.getString("last_error"));
            })
        .list();
  }

  /** The kinds the person chose for, with their choice. */
  Map<String, Boolean> chosen(Handle h, UUID accountId) {
    return h
        .createQuery("SELECT kind, enabled FROM notification_preference WHERE account_id = :a")
        .bind("a", accountId)
        .map((rs, ctx) -> Map.entry(rs.getString("kind"), rs.getBoolean("enabled")))
        .list()
        .stream()
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  Set<String> mandatory(Handle h) {
    return Set.copyOf(
        h.createQuery("SELECT kind FROM notification_mandatory").mapTo(String.class).list());
  }

  /** Makes a kind mandatory or not; says whether anything changed. */
  boolean setMandatory(Handle h, String kind, boolean mandatory) {
    return (mandatory
                ? h.createUpdate(
                    "INSERT INTO notification_mandatory (kind) VALUES (:k) ON CONFLICT DO NOTHING")
                : h.createUpdate("DELETE FROM notification_mandatory WHERE kind = :k"))
            .bind("k", kind)
            .execute()
        > 0;
  }

  void setPreference(Handle h, UUID accountId, String kind, boolean enabled) {
    h.createUpdate(
            "INSERT INTO notification_preference (account_id, kind, enabled) VALUES (:a, :k, :e)"
                + " ON CONFLICT (account_id, kind) DO UPDATE SET enabled = excluded.enabled")
        .bind("a", accountId)
        .bind("k", kind)
        .bind("e", enabled)
        .execute();
  }

  /** The person's address and language. */
  Optional<Map.Entry<String, String>> contactOf(Handle h, UUID accountId) {
    return h.createQuery("SELECT email, language FROM account WHERE id = :a")
        .bind("a", accountId)
        .map(
            (rs, ctx) ->
                Map.entry(
                    Optional.ofNullable(rs.getString("email")).orElse(""),
                    rs.getString("language")))
        .findOne();
  }

  void setContact(Handle h, UUID accountId, String email, String language) {
    h.createUpdate("UPDATE account SET email = :email, language = :language WHERE id = :a")
        .bind("a", accountId)
        .bind("email", email)
        .bind("language", language)
        .execute();
  }

  /** Rows waiting or being sent, for the metrics. */
  long waiting(Handle h) {
    return h.createQuery("SELECT count(*) FROM notification WHERE status IN ('pending', 'sending')")
        .mapTo(Long.class)
        .one();
  }
}
