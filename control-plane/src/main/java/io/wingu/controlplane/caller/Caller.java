package io.wingu.controlplane.caller;

import java.util.Optional;
import java.util.UUID;

/** Who is calling, as proven by a verified token. */
public record Caller(UUID accountId, String username, Role role, Optional<UUID> institutionId) {

  /** What this caller may see: the whole platform, or one institution. */
  public Scope scope() {
    return switch (role) {
      case OPERATOR, AUDITOR -> Scope.platform();
      case INSTITUTION_ADMIN, WEBMASTER -> Scope.institution(institutionId.orElseThrow());
      case AGENT -> Scope.nothing();
    };
  }
}
