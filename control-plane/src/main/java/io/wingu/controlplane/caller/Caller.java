package io.wingu.controlplane.caller;

import java.util.Optional;
import java.util.UUID;

/**
 * Who is calling, as proven by a verified token. A person's access token carries no {@code grant};
 * a deploy token acts for the account that made it, narrowed to the one site and the scopes of its
 * {@code grant}.
 */
public record Caller(
    UUID accountId,
    String username,
    Role role,
    Optional<UUID> institutionId,
    Optional<TokenGrant> grant) {

  public Caller(UUID accountId, String username, Role role, Optional<UUID> institutionId) {
    this(accountId, username, role, institutionId, Optional.empty());
  }

  /** What this caller may see: the whole platform, or one institution. */
  public Scope scope() {
    return switch (role) {
      case OPERATOR, AUDITOR -> Scope.platform();
      case INSTITUTION_ADMIN, WEBMASTER -> Scope.institution(institutionId.orElseThrow());
      case AGENT -> Scope.nothing();
    };
  }
}
