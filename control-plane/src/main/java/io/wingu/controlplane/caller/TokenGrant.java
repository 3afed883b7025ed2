package io.wingu.controlplane.caller;

import java.util.Set;
import java.util.UUID;

/**
 * What a deploy token allows: the operations of one site whose scopes (the OpenAPI document's
 * {@code x-wingu-token-scopes}) include one of {@code scopes}; nothing else.
 */
public record TokenGrant(UUID tokenId, String tokenName, UUID siteId, Set<String> scopes) {

  public TokenGrant {
    scopes = Set.copyOf(scopes);
  }
}
