package io.wingu.controlplane.deploytokens;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.app.Cursor;
import io.wingu.controlplane.app.DomainError;
import io.wingu.controlplane.app.FieldError;
import io.wingu.controlplane.app.Keyset;
import io.wingu.controlplane.app.Listing;
import io.wingu.controlplane.app.Page;
import io.wingu.controlplane.app.Sha256;
import io.wingu.controlplane.audit.AuditEntry;
import io.wingu.controlplane.audit.AuditedDatabase;
import io.wingu.controlplane.auth.AccountService;
import io.wingu.controlplane.caller.Caller;
import io.wingu.controlplane.caller.Role;
import io.wingu.controlplane.sites.SiteListing;
import io.wingu.controlplane.sites.SiteView;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Deploy tokens: a site's institution admin or webmaster makes one for a pipeline, with a name,
 * scopes and an expiry of at most a year. The secret is shown once and kept only as its SHA-256. A
 * token acts for its maker's account (as it is now: disabled or removed, the token stops), narrowed
 * to its site and scopes, which the router enforces.
 */
public final class DeployTokenService {

  /** What every deploy token starts with: tells it from an access token (a JWT) at a glance. */
  public static final String PREFIX = "wgd_";

  public static final List<String> SCOPES = List.of("deploy", "content:write");
  static final Duration LONGEST = Duration.ofDays(366);

  /** Tokens are listed newest first: a cursor names the last one's time and id. */
  public static final Cursor.Shape CURSOR =
      Cursor.Shape.of(Cursor.Part.time("at"), Cursor.Part.uuid("id"));

  private static final SecureRandom RANDOM = new SecureRandom();

  private final AuditedDatabase db;
  private final DeployTokenStore store = new DeployTokenStore();
  private final SiteListing sites;
  private final AccountService accounts;

  public DeployTokenService(AuditedDatabase db, SiteListing sites, AccountService accounts) {
    this.db = db;
    this.sites = sites;
    this.accounts = accounts;
  }

  /** A new token and the secret that uses it, shown this once. */
  public record Created(DeployToken token, String secret) {
    public JsonObject toJson() {
      return token.toJson().put("token", secret);
    }
  }

  public Future<Created> create(
      Caller caller,
      UUID siteId,
      String name,
      List<String> scopes,
      Instant expiresAt,
      String requestId) {
    Instant now = db.now();
    List<FieldError> errors = new java.util.ArrayList<>();
    if (name == null || name.isBlank() || name.length() > 100) {
      errors.add(new FieldError("name", "must be 1 to 100 characters"));
    }
    List<String> distinct = scopes == null ? List.of() : scopes.stream().distinct().toList();
    if (distinct.isEmpty() || !SCOPES.containsAll(distinct)) {
      errors.add(new FieldError("scopes", "must name one or more of " + SCOPES));
    }
    if (expiresAt == null || !expiresAt.isAfter(now)) {
      errors.add(new FieldError("expiresAt", "must be in the future"));
    } else if (expiresAt.isAfter(now.plus(LONGEST))) {
      errors.add(new FieldError("expiresAt", "must be at most a year from now"));
    }
    if (!errors.isEmpty()) {
      return Future.failedFuture(DomainError.invalid("The token cannot be made so", errors));
    }
    String secret = newSecret();
    return db.inTransaction(
        h -> {
          SiteView site = ownSite(h, caller, siteId);
          UUID id = UUID.randomUUID();
          Instant expiry = expiresAt.truncatedTo(ChronoUnit.MICROS);
          store.insert(
              h, id, site.id(), caller.accountId(), name, distinct, hash(secret), now, expiry);
          DeployToken token =
              new DeployToken(
                  id,
                  site.id(),
                  name,
                  distinct,
                  caller.username(),
                  now,
                  expiry,
                  Optional.empty(),
                  Optional.empty());
          db.audit(
              h,
              new AuditEntry(
                  caller.username(),
                  "site.token.create",
                  target(site, id),
                  site.institutionId(),
                  requestId,
                  null,
                  token.toJson()));
          return new Created(token, secret);
        });
  }

  /** The site's tokens, revoked and expired ones too, newest first. */
  public Future<Listing<DeployToken>> list(Caller caller, UUID siteId, Page page) {
    return db.withHandle(
        h -> {
          SiteView site = ownSite(h, caller, siteId);
          return page.listing(
              store.list(h, site.id(), Keyset.descending(page, "t.created_at", "t.id")),
              t ->
                  new JsonObject()
                      .put("at", t.createdAt().toString())
                      .put("id", t.id().toString()));
        });
  }

  /** Revokes the token: from now on it gets 401 everywhere. Revoking it again changes nothing. */
  public Future<Void> revoke(Caller caller, UUID siteId, UUID tokenId, String requestId) {
    return db.inTransaction(
        h -> {
          SiteView site = ownSite(h, caller, siteId);
          DeployToken before =
              store
                  .find(h, site.id(), tokenId)
                  .orElseThrow(
                      () -> DomainError.notFound("No token " + tokenId + " on site " + siteId));
          if (before.revokedAt().isEmpty()) {
            Instant now = db.now();
            store.revoke(h, tokenId, now);
            db.audit(
                h,
                new AuditEntry(
                    caller.username(),
                    "site.token.revoke",
                    target(site, tokenId),
                    site.institutionId(),
                    requestId,
                    before.toJson(),
                    store.find(h, site.id(), tokenId).orElseThrow().toJson()));
          }
          return null;
        });
  }

  /** The usable tokens a person made, within the caller's transaction (their sessions page). */
  public List<DeployToken> activeOf(Handle h, UUID accountId) {
    return store.activeOf(h, accountId, db.clock().instant());
  }

  /**
   * Revokes the usable tokens a person made — only {@code tokenId} when given — within the caller's
   * transaction; how many. The caller records why in the audit log.
   */
  public int revokeOf(Handle h, UUID accountId, Optional<UUID> tokenId) {
    return store.revokeOf(h, accountId, tokenId, db.now());
  }

  /**
   * The caller a presented deploy token stands for now: its maker's account as it is now, narrowed
   * to the token's site and scopes, named in the audit log as acting through the token. Empty when
   * the token is unknown, revoked, expired, or its maker disabled or gone (a 401).
   */
  public Future<Optional<Caller>> authenticate(String secret) {
    if (!secret.startsWith(PREFIX) || secret.length() > 200) {
      return Future.succeededFuture(Optional.empty());
    }
    return db.inTransaction(
        h ->
            store
                .use(h, hash(secret), db.clock().instant())
                .flatMap(
                    use ->
                        accounts
                            .standing(h, use.accountId())
                            .filter(maker -> maker.role().ofInstitution())
                            .map(
                                maker ->
                                    new Caller(
                                        maker.accountId(),
                                        maker.username()
                                            + " (deploy token "
                                            + use.grant().tokenName()
                                            + ")",
                                        maker.role(),
                                        maker.institutionId(),
                                        Optional.of(use.grant())))));
  }

  /**
   * The site, when the caller is a person of its institution who may publish it (404 otherwise, as
   * for any site that is not theirs).
   */
  private SiteView ownSite(org.jdbi.v3.core.Handle h, Caller caller, UUID siteId) {
    if (caller.role() != Role.INSTITUTION_ADMIN && caller.role() != Role.WEBMASTER) {
      throw DomainError.forbidden("Only the site's institution admin or webmaster manages tokens");
    }
    return sites.get(h, caller.scope(), siteId);
  }

  private static String target(SiteView site, UUID tokenId) {
    return "site/" + site.institutionCode() + "/" + site.name() + "/token/" + tokenId;
  }

  private static String newSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String hash(String secret) {
    return Sha256.hex(secret);
  }
}
