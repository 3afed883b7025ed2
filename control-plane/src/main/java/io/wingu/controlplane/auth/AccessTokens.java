package io.wingu.controlplane.auth;

import io.vertx.core.Future;
import io.wingu.controlplane.app.Authenticator;
import io.wingu.controlplane.app.Database;
import io.wingu.controlplane.caller.Caller;
import io.wingu.controlplane.caller.Role;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;

/**
 * Whether a presented access token still stands: its signature and claims ({@link TokenService}),
 * not revoked (POST /auth/logout, a session ended, on any replica: revocations live in PostgreSQL),
 * and an account behind it that still exists and is not disabled — read afresh on every request, in
 * one indexed round trip, so a disabling or an ended session on one replica stops the token on
 * every replica at its very next request, and the caller has the account's current role and
 * institution. Only the session's "last seen" is written at most once per {@link #SEEN_EVERY} per
 * token by this replica.
 */
public final class AccessTokens implements Authenticator {

  static final Duration SEEN_EVERY = Duration.ofSeconds(30);
  private static final int MAX_REMEMBERED = 10_000;

  private final Database db;
  private final TokenService tokens;
  private final AccountStore accounts;
  private final Clock clock;

  /** When this replica last wrote each token's "last seen": a write, never a decision. */
  private final Map<String, Instant> seenWritten = new ConcurrentHashMap<>();

  public AccessTokens(Database db, TokenService tokens, AccountService accounts, Clock clock) {
    this.db = db;
    this.tokens = tokens;
    this.accounts = accounts.store();
    this.clock = clock;
  }

  public TokenService service() {
    return tokens;
  }

  /**
   * A person's new access token, recorded as an API session (from {@code address}, by {@code
   * userAgent}) that its owner sees and can end.
   */
  public Future<String> issue(Account account, String address, String userAgent) {
    UUID id = UUID.randomUUID();
    String token = tokens.issue(account.asCaller(), tokens.ttl(), id.toString());
    Instant now = clock.instant();
    return db.withHandle(
        h -> {
          h.createUpdate(
                  "INSERT INTO api_session (id, account_id, created_at, expires_at, address,"
                      + " user_agent) VALUES (:id, :accountId, :now, :expiresAt, :address,"
                      + " :userAgent)")
              .bind("id", id)
              .bind("accountId", account.id())
              .bind("now", now)
              .bind("expiresAt", now.plus(tokens.ttl()))
              .bind("address", clip(address, 64))
              .bind("userAgent", clip(userAgent, 300))
              .execute();
          // expired sessions go when someone signs in: no timer needed, the table stays small
          h.createUpdate("DELETE FROM api_session WHERE expires_at < :now")
              .bind("now", now)
              .execute();
          return token;
        });
  }

  /** The API session a token's id names (people's tokens have a UUID; others may not). */
  public static Optional<UUID> sessionId(String tokenId) {
    try {
      return Optional.of(UUID.fromString(tokenId));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** At most {@code max} characters of a request's header (null stays null). */
  public static String clip(String value, int max) {
    return value == null || value.length() <= max ? value : value.substring(0, max);
  }

  @Override
  public Future<Optional<Caller>> authenticate(String token) {
    return check(token).map(verified -> verified.map(TokenService.Verified::caller));
  }

  /** The token, with the caller it stands for now, or empty when it proves nothing (401). */
  public Future<Optional<TokenService.Verified>> check(String token) {
    Optional<TokenService.Verified> verified = tokens.verifyToken(token);
    if (verified.isEmpty()) {
      return Future.succeededFuture(Optional.empty());
    }
    TokenService.Verified v = verified.get();
    return db.withHandle(h -> standing(h, v))
        .map(caller -> caller.map(c -> new TokenService.Verified(c, v.id(), v.expires())));
  }

  /**
   * Revokes a token a request presented (and {@link #authenticate} accepted) until it expires, on
   * every replica at its next request. A token that no longer verifies has expired meanwhile:
   * nothing is left to revoke.
   */
  public Future<Void> revoke(String token) {
    return tokens.verifyToken(token).map(this::revoke).orElse(Future.succeededFuture());
  }

  private Future<Void> revoke(TokenService.Verified token) {
    return db.<Void>withHandle(
        h -> {
          // verification allows 30 s of clock skew past the expiry
          h.createUpdate(
                  "INSERT INTO revoked_token (jti, expires_at) VALUES (:jti, :expiresAt)"
                      + " ON CONFLICT (jti) DO NOTHING")
              .bind("jti", token.id())
              .bind("expiresAt", token.expires().plusSeconds(60))
              .execute();
          // expired revocations go when someone signs out: no timer needed, the table stays
          // small
          h.createUpdate("DELETE FROM revoked_token WHERE expires_at < :now")
              .bind("now", clock.instant())
              .execute();
          return null;
        });
  }

  private Optional<Caller> standing(Handle h, TokenService.Verified v) {
    AccountStore.TokenStanding standing = accounts.tokenStanding(h, v.caller().accountId(), v.id());
    if (standing.revoked()) {
      return Optional.empty();
    }
    if (standing.account().isPresent()) {
      sessionId(v.id()).ifPresent(id -> seen(h, v.id(), id));
      return standing.account();
    }
    // a node agent's token (POST /agents/tokens) stands for a node, not an account
    boolean nodeAgent =
        v.caller().role() == Role.AGENT
            && v.caller().username() != null
            && v.caller().username().startsWith("agent:");
    return nodeAgent ? Optional.of(v.caller()) : Optional.empty();
  }

  /** The session's "last seen", written by this replica at most once per {@link #SEEN_EVERY}. */
  private void seen(Handle h, String tokenId, UUID sessionId) {
    Instant now = clock.instant();
    Instant written = seenWritten.get(tokenId);
    if (written != null && now.isBefore(written.plus(SEEN_EVERY))) {
      return;
    }
    if (seenWritten.size() >= MAX_REMEMBERED) {
      seenWritten.clear();
    }
    seenWritten.put(tokenId, now);
    h.createUpdate("UPDATE api_session SET last_seen_at = :now WHERE id = :id")
        .bind("now", now)
        .bind("id", sessionId)
        .execute();
  }
}
