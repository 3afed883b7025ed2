package io.wingu.controlplane.notifications;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.SMTPException;
import io.vertx.ext.mail.StartTLSOptions;
import io.wingu.controlplane.app.Database;
import io.wingu.controlplane.app.WinguConfig;
import io.wingu.controlplane.notifications.NotificationStore.Outgoing;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox over SMTP, in order, at WINGU_SMTP_RATE mails a second at most.
 *
 * <p>Each replica runs one. It claims due rows in one short transaction ({@code FOR UPDATE SKIP
 * LOCKED}: two replicas never claim the same row), which marks them {@code sending} with a lease;
 * it then sends them one after the other and marks each {@code sent}. A row whose sender died
 * mid-send is claimed again once the lease has run out. What that guarantees: no mail is lost, and
 * no mail is sent twice by two live senders; the one window left is a process dying after the SMTP
 * server accepted a mail and before {@code sent} was committed, where the mail is sent again with
 * the same Message-ID (which a receiving system may use to drop it).
 *
 * <p>When the SMTP server cannot be reached or answers with a transient (4xx) error, the mail and
 * the rest of the claimed batch go back to the outbox with a backoff (doubling from
 * WINGU_SMTP_RETRY_SECONDS up to WINGU_SMTP_RETRY_MAX_SECONDS) and the sender pauses as long, so
 * the mails go out in order when it returns. A permanent (5xx) answer, an address that is not
 * plain, or a mail still undelivered after WINGU_SMTP_GIVE_UP_HOURS is marked {@code failed}, with
 * the reason, and shown to its recipient.
 */
public final class MailSender implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MailSender.class);

  private final Vertx vertx;
  private final Context context;
  private final Database db;
  private final NotificationStore store = new NotificationStore();
  private final MailClient mail;
  private final WinguConfig.Smtp settings;
  private final Clock clock;
  private final String senderId = "sender-" + UUID.randomUUID().toString().substring(0, 8);
  private final Counter sent;
  private final Counter failed;
  private final Counter retried;

  // touched only on the sender's context
  private boolean busy;
  private boolean closed;
  private Instant pausedUntil = Instant.EPOCH;
  private long nextSlot;
  private long timer;

  private MailSender(
      Vertx vertx, Database db, WinguConfig.Smtp settings, MeterRegistry registry, Clock clock) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.db = db;
    this.settings = settings;
    this.clock = clock;
    MailConfig config =
        new MailConfig()
            .setHostname(settings.host().orElseThrow())
            .setPort(settings.port())
            .setStarttls(StartTLSOptions.valueOf(settings.startTls()))
            .setKeepAlive(true)
            .setMaxPoolSize(2)
            .setConnectTimeout(10_000)
            .setOwnHostname(settings.fromDomain());
    settings
        .username()
        .ifPresentOrElse(
            u -> config.setUsername(u).setPassword(settings.password().orElse("")),
            () -> config.setLogin(LoginOption.DISABLED));
    this.mail = MailClient.create(vertx, config);
    this.sent = registry.counter("wingu_notifications_sent_total");
    this.failed = registry.counter("wingu_notifications_failed_total");
    this.retried = registry.counter("wingu_notifications_retried_total");
  }

  /**
   * Starts delivering when WINGU_SMTP_HOST is set; without it the outbox only fills (and says so).
   */
  public static AutoCloseable start(
      Vertx vertx, Database db, WinguConfig.Smtp settings, MeterRegistry registry, Clock clock) {
    if (settings.host().isEmpty()) {
      LOG.warn(
          "WINGU_SMTP_HOST is not set: notifications are written to the outbox but no mail is sent");
      return () -> {};
    }
    MailSender s = new MailSender(vertx, db, settings, registry, clock);
    s.context.runOnContext(
        v -> s.timer = vertx.setPeriodic(0, settings.pollMillis(), id -> s.kick()));
    LOG.info(
        "sending notifications through {}:{} as {} (at most {} a second), sender {}",
        settings.host().get(),
        settings.port(),
        settings.from(),
        settings.ratePerSecond(),
        s.senderId);
    return s;
  }

  private void kick() {
    if (busy || closed || clock.instant().isBefore(pausedUntil)) {
      return;
    }
    busy = true;
    claim();
  }

  private int batch() {
    return Math.max(1, Math.min(100, settings.ratePerSecond()));
  }

  private void claim() {
    db.inTransaction(h -> store.claim(h, batch(), Duration.ofSeconds(settings.leaseSeconds())))
        .onComplete(
            ar -> {
              if (ar.failed()) {
                LOG.warn("cannot claim notifications: {}", Database.rootMessage(ar.cause()));
                busy = false;
              } else if (ar.result().isEmpty()) {
                busy = false;
              } else {
                sendFrom(ar.result(), 0);
              }
            });
  }

  private void sendFrom(List<Outgoing> rows, int i) {
    if (closed) {
      // what is left stays 'sending' and is claimed again when its lease runs out
      busy = false;
      return;
    }
    if (i == rows.size()) {
      claim(); // more may be due
      return;
    }
    long delay = paceMillis();
    if (delay > 0) {
      vertx.setTimer(delay, t -> sendOne(rows, i));
    } else {
      sendOne(rows, i);
    }
  }

  /** Milliseconds to wait so that no more than the rate leave a second. */
  private long paceMillis() {
    long interval = 1_000_000_000L / Math.max(1, settings.ratePerSecond());
    long now = System.nanoTime();
    if (nextSlot - now < 0) {
      nextSlot = now;
    }
    long wait = nextSlot - now;
    nextSlot += interval;
    return wait / 1_000_000L;
  }

  private void sendOne(List<Outgoing> rows, int i) {
    Outgoing o = rows.get(i);
    String refused = refusal(o);
    if (refused != null) {
      failed.increment();
      LOG.warn("notification {} not sent: {}", o.id(), refused);
      record(db.withHandle(h -> mark(h, o, null, refused)), rows, i);
      return;
    }
    mail.sendMail(message(o))
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                sent.increment();
                record(db.withHandle(h -> mark(h, o, senderId, null)), rows, i);
              } else if (ar.cause() instanceof SMTPException smtp && smtp.isPermanent()) {
                failed.increment();
                String why = "refused by the mail server: " + smtp.getReplyMessage();
                LOG.warn("notification {} to {} failed: {}", o.id(), o.recipient(), why);
                record(db.withHandle(h -> mark(h, o, null, why)), rows, i);
              } else {
                later(rows, i, Database.rootMessage(ar.cause()));
              }
            });
  }

  private Void mark(org.jdbi.v3.core.Handle h, Outgoing o, String sender, String error) {
    if (error == null) {
      store.sent(h, o.id(), sender);
    } else {
      store.failed(h, o.id(), error);
    }
    return null;
  }

  private void record(Future<Void> marked, List<Outgoing> rows, int i) {
    marked.onComplete(
        ar -> {
          if (ar.failed()) {
            // left 'sending': claimed again after its lease, with the same Message-ID
            LOG.warn(
                "cannot record notification {}: {}",
                rows.get(i).id(),
                Database.rootMessage(ar.cause()));
          }
          sendFrom(rows, i + 1);
        });
  }

  /**
   * The mail server could not take mail: this one is tried again after a backoff, the rest of the
   * batch with it (not counted as tries), and the sender pauses as long so the order holds.
   */
  private void later(List<Outgoing> rows, int i, String error) {
    Outgoing o = rows.get(i);
    Instant now = clock.instant();
    long backoff =
        Math.min(
            settings.retryMaxSeconds(),
            (long) settings.retrySeconds() << Math.min(20, Math.max(0, o.attempts())));
    Instant next = now.plusSeconds(backoff);
    boolean giveUp = o.createdAt().plus(Duration.ofHours(settings.giveUpHours())).isBefore(now);
    LOG.warn(
        "notification {} not delivered ({}); {}",
        o.id(),
        error,
        giveUp ? "giving up" : "trying again at " + next);
    retried.increment();
    pausedUntil = next;
    List<Outgoing> rest = rows.subList(i + 1, rows.size());
    db.inTransaction(
            h -> {
              if (giveUp) {
                store.failed(
                    h, o.id(), "undelivered for " + settings.giveUpHours() + " h: " + error);
              } else {
                store.retry(h, o.id(), next, error, true);
              }
              for (Outgoing r : rest) {
                store.retry(h, r.id(), next, null, false);
              }
              return null;
            })
        .onComplete(
            ar -> {
              if (ar.failed()) {
                LOG.warn("cannot put notifications back: {}", Database.rootMessage(ar.cause()));
              }
              busy = false;
            });
  }

  /** Why a row must not go out as it is, or null: every header-bound value is one plain line. */
  private String refusal(Outgoing o) {
    if (!MailText.isAddress(o.recipient())) {
      return "the recipient is not a plain e-mail address";
    }
    if (!MailText.headerSafe(o.subject()) || !MailText.headerSafe(o.messageId())) {
      return "a header would hold a line break";
    }
    return null;
  }

  private MailMessage message(Outgoing o) {
    MailMessage m =
        new MailMessage()
            .setFrom(settings.from())
            .setTo(o.recipient())
            .setSubject(o.subject())
            .setText(o.text())
            .setHtml(o.html());
    m.addHeader("Message-ID", o.messageId());
    m.addHeader("Auto-Submitted", "auto-generated");
    return m;
  }

  @Override
  public void close() {
    java.util.concurrent.CompletableFuture<Void> done =
        new java.util.concurrent.CompletableFuture<>();
    context.runOnContext(
        v -> {
          closed = true;
          vertx.cancelTimer(timer);
          done.complete(null);
        });
    try {
      done.get(5, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("the mail sender did not stop cleanly: {}", e.toString());
    }
    mail.close();
  }
}
