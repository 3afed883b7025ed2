package io.wingu.controlplane.deploytokens;

import io.vertx.core.Future;
import io.wingu.controlplane.app.Authenticator;
import io.wingu.controlplane.caller.Caller;
import java.util.Optional;

/**
 * Who any bearer token stands for: a deploy token (it starts with {@link
 * DeployTokenService#PREFIX}) is looked up by its hash, anything else is a person's access token.
 */
public final class BearerTokens implements Authenticator {

  private final DeployTokenService deployTokens;
  private final Authenticator people;

  public BearerTokens(DeployTokenService deployTokens, Authenticator people) {
    this.deployTokens = deployTokens;
    this.people = people;
  }

  @Override
  public Future<Optional<Caller>> authenticate(String token) {
    return token.startsWith(DeployTokenService.PREFIX)
        ? deployTokens.authenticate(token)
        : people.authenticate(token);
  }
}
