package io.wingu.controlplane.audit;

import io.vertx.core.Future;
import io.wingu.controlplane.app.Database;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.jdbi.v3.core.Handle;

/**
 * The database a capability changes, with the audit log its changes are recorded in and the clock
 * that dates them: what every audited capability is built on. An audited change runs in {@link
 * #inTransaction} and records itself last, in that same transaction ({@link #audit}).
 */
public record AuditedDatabase(Database database, AuditLog log, Clock clock) {

  /** Runs work on one handle, outside a transaction (reads). */
  public <T> Future<T> withHandle(Database.HandleWork<T> work) {
    return database.withHandle(work);
  }

  /** Runs work in one transaction, committed when it returns and rolled back when it throws. */
  public <T> Future<T> inTransaction(Database.HandleWork<T> work) {
    return database.inTransaction(work);
  }

  /** Records the change in the audit log; the last statement of its transaction. */
  public AuditEvent audit(Handle h, AuditEntry e) throws SQLException {
    return log.append(h, e);
  }

  /** Now, to the microsecond PostgreSQL keeps. */
  public Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
