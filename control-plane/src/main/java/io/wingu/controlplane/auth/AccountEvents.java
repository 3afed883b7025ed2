package io.wingu.controlplane.auth;

import io.vertx.core.json.JsonObject;
import java.sql.SQLException;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Where {@link AccountService} records the accounts it creates, inside the creating transaction.
 * The composition root hands in the audit log; auth does not import audit because audit reads
 * auth's caller and roles, and the two packages would otherwise form a cycle.
 */
@FunctionalInterface
public interface AccountEvents {

  /**
   * Records that {@code actor} did {@code action} to {@code target}, now in state {@code after}.
   */
  void record(
      Handle h,
      String actor,
      String action,
      String target,
      UUID institutionId,
      String requestId,
      JsonObject after)
      throws SQLException;
}
