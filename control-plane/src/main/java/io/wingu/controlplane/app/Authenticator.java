package io.wingu.controlplane.app;

import io.vertx.core.Future;
import io.wingu.controlplane.caller.Caller;
import java.util.Optional;

/**
 * Who a bearer token stands for: the router asks it before every authenticated operation, and the
 * auth capability answers (the plumbing knows no accounts or tokens).
 */
@FunctionalInterface
public interface Authenticator {

  /** The caller {@code token} proves now, or empty when it proves nothing (a 401). */
  Future<Optional<Caller>> authenticate(String token);
}
