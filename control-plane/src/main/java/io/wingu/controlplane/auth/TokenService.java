package io.wingu.controlplane.auth;

import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Jws;
import io.jsonwebtoken.Jwts;
import io.wingu.controlplane.caller.Caller;
import io.wingu.controlplane.caller.Role;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Issues and verifies the API's access tokens: EdDSA (Ed25519) JWTs with a fixed issuer, audience
 * and {@code typ}. Verification accepts nothing else: no other algorithm, no unsigned token, no
 * other key.
 */
public final class TokenService {

  public static final String ISSUER = "wingu";
  public static final String AUDIENCE = "wingu-api";
  public static final String TYPE = "at+jwt";

  private final KeyPair keys;
  private final Duration ttl;
  private final Clock clock;

  public TokenService(KeyPair keys, Duration ttl, Clock clock) {
    this.keys = keys;
    this.ttl = ttl;
    this.clock = clock;
  }

  public Duration ttl() {
    return ttl;
  }

  public String issue(Caller caller) {
    return issue(caller, ttl);
  }

  /** A token with its own lifetime (agents' tokens live longer than people's). */
  public String issue(Caller caller, Duration lifetime) {
    return issue(caller, lifetime, UUID.randomUUID().toString());
  }

  /**
   * A token with its own lifetime and a given id (jti), for tokens recorded so they can be revoked.
   */
  public String issue(Caller caller, Duration lifetime, String tokenId) {
    Date now = Date.from(clock.instant());
    var builder =
        Jwts.builder()
            .header()
            .type(TYPE)
            .and()
            .id(tokenId)
            .issuer(ISSUER)
            .audience()
            .add(AUDIENCE)
            .and()
            .subject(caller.accountId().toString())
            .claim("username", caller.username())
            .claim("role", caller.role().wireName())
            .issuedAt(now)
            .expiration(new Date(now.getTime() + lifetime.toMillis()));
    caller.institutionId().ifPresent(id -> builder.claim("institutionId", id.toString()));
    return builder.signWith(keys.getPrivate(), Jwts.SIG.EdDSA).compact();
  }

  /** A token proven by its signature and claims: who, its id ({@code jti}) and when it expires. */
  public record Verified(Caller caller, String id, Instant expires) {}

  private static final int MAX_REMEMBERED = 10_000;
  private final Map<String, Verified> verified = new ConcurrentHashMap<>();

  /**
   * The caller a token proves, or empty when the token is not one of ours and valid now. A valid
   * token is remembered until it expires: an Ed25519 check costs more than the rest of a list
   * request, and a client sends the same token many times.
   */
  public Optional<Caller> verify(String token) {
    return verifyToken(token).map(Verified::caller);
  }

  /** As {@link #verify}, with the token's id and expiry (for revocation). */
  public Optional<Verified> verifyToken(String token) {
    Verified known = verified.get(token);
    Instant now = clock.instant();
    if (known != null) {
      if (now.isBefore(known.expires().plusSeconds(30))) {
        return Optional.of(known);
      }
      verified.remove(token);
    }
    Optional<Verified> checked = check(token);
    checked.ifPresent(
        v -> {
          if (verified.size() >= MAX_REMEMBERED) {
            verified.clear();
          }
          verified.put(token, v);
        });
    return checked;
  }

  private Optional<Verified> check(String token) {
    try {
      Jws<Claims> jws =
          Jwts.parser()
              .verifyWith(keys.getPublic())
              .requireIssuer(ISSUER)
              .requireAudience(AUDIENCE)
              .clock(() -> Date.from(clock.instant()))
              .clockSkewSeconds(30)
              .build()
              .parseSignedClaims(token);
      if (!TYPE.equals(jws.getHeader().getType())
          || !"EdDSA".equals(jws.getHeader().getAlgorithm())) {
        return Optional.empty();
      }
      Claims c = jws.getPayload();
      // every token this service issues has all of these: one without them is not ours
      if (c.getExpiration() == null
          || c.getId() == null
          || c.getId().isBlank()
          || c.getId().length() > 64
          || c.getSubject() == null) {
        return Optional.empty();
      }
      Optional<Role> role = Role.fromWire(c.get("role", String.class));
      String institution = c.get("institutionId", String.class);
      if (role.isEmpty() || role.get().ofInstitution() != (institution != null)) {
        return Optional.empty();
      }
      return Optional.of(
          new Verified(
              new Caller(
                  UUID.fromString(c.getSubject()),
                  c.get("username", String.class),
                  role.get(),
                  Optional.ofNullable(institution).map(UUID::fromString)),
              c.getId(),
              c.getExpiration().toInstant()));
    } catch (RuntimeException e) {
      // JwtException and anything else a malformed token trips over: it proves nothing (401, never
      // 500)
      return Optional.empty();
    }
  }
}
