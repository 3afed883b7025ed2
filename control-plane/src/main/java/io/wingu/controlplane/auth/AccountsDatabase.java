package io.wingu.controlplane.auth;

import io.vertx.core.Future;
import io.wingu.controlplane.app.Database;
import java.time.Clock;

/**
 * The database accounts live in, with where their changes are recorded and the clock sign-ins and
 * codes are timed by: what every account service of this package is built on. (The audit side's
 * {@code AuditedDatabase} plays this part elsewhere; auth cannot import audit, see {@link
 * AccountEvents}.)
 */
public record AccountsDatabase(Database database, AccountEvents events, Clock clock) {

  /** Runs work on one handle, outside a transaction (reads). */
  public <T> Future<T> withHandle(Database.HandleWork<T> work) {
    return database.withHandle(work);
  }

  /** Runs work in one transaction, committed when it returns and rolled back when it throws. */
  public <T> Future<T> inTransaction(Database.HandleWork<T> work) {
    return database.inTransaction(work);
  }
}
