package io.wingu.controlplane.auth;

import io.wingu.controlplane.app.Database;
import io.wingu.controlplane.audit.AuditEntry;
import io.wingu.controlplane.audit.AuditLog;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the first operator from configuration when no account of that name exists. */
public final class BootstrapOperator {

  private static final Logger LOG = LoggerFactory.getLogger(BootstrapOperator.class);

  private BootstrapOperator() {
  }

  public static void ensure(Database db, AccountStore accounts, AuditLog audit, String username,
      Optional<String> password) {
    db.transaction(c -> {
      if (accounts.findByUsername(c, username).isPresent()) {
        return null;
      }
      if (password.isEmpty()) {
        LOG.warn("no account '{}' and no WINGU_BOOTSTRAP_PASSWORD: nobody can sign in yet", username);
        return null;
      }
      Account a = accounts.insert(c, username, password.get(), Role.OPERATOR, Optional.empty());
      audit.append(c, new AuditEntry("system", "account.bootstrap", "account/" + username, null, null, null, a.toJson()));
      LOG.info("created the bootstrap operator '{}'", username);
      return null;
    }).toCompletionStage().toCompletableFuture().join();
  }
}
