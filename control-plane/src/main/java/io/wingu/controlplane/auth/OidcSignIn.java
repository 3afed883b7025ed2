package io.wingu.controlplane.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.oauth2.OAuth2Auth;
import io.vertx.ext.auth.oauth2.OAuth2AuthorizationURL;
import io.vertx.ext.auth.oauth2.OAuth2FlowType;
import io.vertx.ext.auth.oauth2.OAuth2Options;
import io.vertx.ext.auth.oauth2.Oauth2Credentials;
import io.vertx.ext.auth.oauth2.providers.OpenIDConnectAuth;
import io.wingu.controlplane.app.Problem;
import io.wingu.controlplane.app.Sha256;
import io.wingu.controlplane.app.WinguConfig;
import io.wingu.controlplane.caller.Role;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sign-in with the Authority's OpenID Connect provider: the authorization code flow with PKCE
 * (S256), a one-time {@code state} and a {@code nonce}. The provider is found by discovery (its
 * keys from its JWKS); Vert.x checks the ID token's signature with those keys, its issuer, audience
 * and expiry, and this class checks them again with the nonce. A person is the pair (issuer,
 * subject), never an e-mail address; the first sign-in makes their account. Their groups decide
 * their role at every sign-in: a person whose groups no longer give one is refused, and their
 * account is disabled, which ends every session and token of theirs at once.
 */
public final class OidcSignIn {

  private static final Logger LOG = LoggerFactory.getLogger(OidcSignIn.class);
  static final Duration PENDING = Duration.ofMinutes(10);

  /** How long a browser's sign-in at the provider may take, in seconds. */
  public static final long PENDING_SECONDS = PENDING.toSeconds();

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Vertx vertx;
  private final AccountsDatabase db;
  private final AccountStore accounts;
  private final WinguConfig.Oidc settings;
  private final InstitutionByCode institutions;
  private final AccountSessions sessions = new AccountSessions();
  private volatile Future<OAuth2Auth> provider;

  /** The institution a code names, within the caller's transaction (institutions owns them). */
  @FunctionalInterface
  public interface InstitutionByCode {
    Optional<UUID> find(Handle h, String code);
  }

  public OidcSignIn(
      Vertx vertx,
      AccountService accounts,
      WinguConfig.Oidc settings,
      InstitutionByCode institutions) {
    this.institutions = institutions;
    this.vertx = vertx;
    this.db = accounts.database();
    this.accounts = accounts.store();
    this.settings = settings;
  }

  /** Whether a provider is configured at all (the sign-in page offers it only then). */
  public boolean configured() {
    return settings.issuer().isPresent();
  }

  /** Where the provider sends the browser back. */
  public String redirectUri() {
    return settings.publicUrl() + "/login/oidc/callback";
  }

  /** A sign-in about to start: the provider's address to send the browser to, and its state. */
  public record Start(String authorizeUrl, String state) {}

  /**
   * Starts a sign-in: the state, the PKCE verifier and the nonce are kept here for {@link
   * #PENDING}; fails with a 503 Problem when the provider cannot be reached.
   */
  public Future<Start> start(String next) {
    String state = random();
    String verifier = random();
    String nonce = random();
    return provider()
        .compose(
            oauth2 ->
                db.withHandle(
                    h -> {
                      Instant now = db.clock().instant();
                      h.createUpdate("DELETE FROM oidc_sign_in WHERE expires_at < :now")
                          .bind("now", now)
                          .execute();
                      h.createUpdate(
                              "INSERT INTO oidc_sign_in (state, code_verifier, nonce, next_path,"
                                  + " expires_at) VALUES (:state, :verifier, :nonce, :next,"
                                  + " :expiresAt)")
                          .bind("state", state)
                          .bind("verifier", verifier)
                          .bind("nonce", nonce)
                          .bind("next", next)
                          .bind("expiresAt", now.plus(PENDING))
                          .execute();
                      return new Start(
                          oauth2.authorizeURL(
                              new OAuth2AuthorizationURL()
                                  .setRedirectUri(redirectUri())
                                  .setScopes(List.of("openid", "profile"))
                                  .setState(state)
                                  .setCodeChallenge(challenge(verifier))
                                  .setCodeChallengeMethod("S256")
                                  .putAdditionalParameter("nonce", nonce)),
                          state);
                    }));
  }

  /** A finished sign-in: the account, and where the person was going. */
  public record Finished(Account account, String next) {}

  /**
   * Finishes the sign-in the provider redirected back with: the state must be one this server
   * started and not yet used (it is used up now, whatever follows), the code is exchanged with the
   * PKCE verifier, and the ID token must verify and carry this sign-in's nonce. Fails with a 401
   * Problem naming what was wrong, or 403 when the person's groups give no role.
   */
  public Future<Finished> finish(String state, String code) {
    if (state == null || code == null || state.length() > 128 || code.length() > 2048) {
      return Future.failedFuture(refused("The provider's answer has no state or code"));
    }
    return db.withHandle(
            h ->
                h.createQuery(
                        "DELETE FROM oidc_sign_in WHERE state = :state AND expires_at > :now"
                            + " RETURNING code_verifier, nonce, next_path")
                    .bind("state", state)
                    .bind("now", db.clock().instant())
                    .mapToMap()
                    .findOne())
        .compose(
            pending -> {
              if (pending.isEmpty()) {
                return Future.failedFuture(
                    refused(
                        "This sign-in was not started here, has expired or was finished already:"
                            + " start again"));
              }
              Map<String, Object> p = pending.get();
              return provider()
                  .compose(
                      oauth2 ->
                          oauth2
                              .authenticate(
                                  new Oauth2Credentials()
                                      .setFlow(OAuth2FlowType.AUTH_CODE)
                                      .setCode(code)
                                      .setRedirectUri(redirectUri())
                                      .setCodeVerifier((String) p.get("code_verifier")))
                              .recover(
                                  e ->
                                      Future.failedFuture(
                                          refused(
                                              "The provider did not confirm the sign-in (the ID"
                                                  + " token or the code was refused): "
                                                  + e.getMessage()))))
                  .compose(user -> link(idToken(user, (String) p.get("nonce"))))
                  .map(
                      account ->
                          new Finished(
                              account,
                              p.get("next_path") == null ? "/" : (String) p.get("next_path")));
            });
  }

  /** The ID token's claims, checked once more here: issuer, audience, expiry and the nonce. */
  private JsonObject idToken(User user, String nonce) {
    JsonObject claims = user.attributes().getJsonObject("idToken");
    if (claims == null) {
      throw refused("The provider sent no valid ID token");
    }
    Object audience = claims.getValue("aud");
    boolean forUs =
        audience instanceof JsonArray list
            ? list.contains(settings.clientId())
            : settings.clientId().equals(audience);
    if (!forUs) {
      throw refused("The ID token is meant for another client");
    }
    String issuer = claims.getString("iss");
    if (issuer == null || !trimmed(issuer).equals(trimmed(settings.issuer().orElseThrow()))) {
      throw refused("The ID token comes from another issuer");
    }
    Long expires = claims.getLong("exp");
    if (expires == null || !Instant.ofEpochSecond(expires).isAfter(db.clock().instant())) {
      throw refused("The ID token has expired");
    }
    if (!nonce.equals(claims.getString("nonce"))) {
      throw refused("The ID token's nonce is not this sign-in's");
    }
    if (claims.getString("sub") == null || claims.getString("sub").isBlank()) {
      throw refused("The ID token names no subject");
    }
    return claims;
  }

  private static String trimmed(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /**
   * The account linked to the token's (issuer, subject), made on the first sign-in, with the role
   * the person's groups give now.
   */
  private Future<Account> link(JsonObject claims) {
    String issuer = claims.getString("iss");
    String subject = claims.getString("sub");
    Optional<Role> role = roleOf(claims);
    return db.inTransaction(
            h -> {
              Optional<UUID> linked =
                  h.createQuery(
                          "SELECT account_id FROM oidc_identity WHERE issuer = :issuer AND subject ="
                              + " :subject")
                      .bind("issuer", issuer)
                      .bind("subject", subject)
                      .mapTo(UUID.class)
                      .findOne();
              Instant now = db.clock().instant();
              Optional<UUID> institution =
                  role.filter(Role::ofInstitution).isPresent()
                      ? institutionOf(h, claims)
                      : Optional.empty();
              boolean noRole =
                  role.isEmpty() || (role.get().ofInstitution() && institution.isEmpty());
              if (noRole) {
                // committed before the refusal: the disabling must outlive the failed sign-in
                linked.ifPresent(id -> disable(h, id, now));
                return Optional.<Account>empty();
              }
              if (linked.isPresent()) {
                Optional<String> disabledBy =
                    h.createQuery("SELECT disabled_by FROM account WHERE id = :id")
                        .bind("id", linked.get())
                        .mapTo(String.class)
                        .findOne();
                if (disabledBy.filter("admin"::equals).isPresent()) {
                  // an administrator's decision: only an administrator undoes it
                  throw new Problem(
                      403,
                      "Forbidden",
                      "This account is disabled; ask your administrator to enable it");
                }
                h.createUpdate(
                        "UPDATE account SET role = :role, institution_id = :institution,"
                            + " disabled_at = NULL, disabled_by = NULL, last_sign_in_at = :now"
                            + " WHERE id = :id")
                    .bind("role", role.get().wireName())
                    .bind("institution", institution.orElse(null))
                    .bind("now", now)
                    .bind("id", linked.get())
                    .execute();
                return Optional.of(
                    new Account(
                        linked.get(),
                        h.createQuery("SELECT username FROM account WHERE id = :id")
                            .bind("id", linked.get())
                            .mapTo(String.class)
                            .one(),
                        Passwords.NO_PASSWORD,
                        role.get(),
                        institution));
              }
              String username = freeUsername(h, claims);
              Account account = accounts.insertExternal(h, username, role.get(), institution);
              accounts.signedIn(h, account.id(), now);
              h.createUpdate(
                      "INSERT INTO oidc_identity (issuer, subject, account_id, created_at)"
                          + " VALUES (:issuer, :subject, :accountId, :now)")
                  .bind("issuer", issuer)
                  .bind("subject", subject)
                  .bind("accountId", account.id())
                  .bind("now", now)
                  .execute();
              db.events()
                  .record(
                      h,
                      "sso",
                      "account.create",
                      "account/" + username,
                      institution.orElse(null),
                      null,
                      account.toJson().put("issuer", issuer).put("subject", subject));
              return Optional.of(account);
            })
        .map(
            account -> {
              return account.orElseThrow(
                  () ->
                      new Problem(
                          403,
                          "Forbidden",
                          "Your groups at the identity provider give no role in Wingu any more;"
                              + " ask the Authority's administrators"));
            });
  }

  /**
   * The institution the token's institution claim names by its code, when that claim is configured
   * and the institution exists.
   */
  private Optional<UUID> institutionOf(Handle h, JsonObject claims) {
    return settings
        .institutionClaim()
        .map(claims::getValue)
        .filter(String.class::isInstance)
        .map(v -> ((String) v).toLowerCase(Locale.ROOT))
        .flatMap(code -> institutions.find(h, code));
  }

  /** Ends every session and token of an account whose groups give no role now. */
  private void disable(Handle h, UUID accountId, Instant now) {
    accounts.disable(h, accountId, "identity-provider", now);
    sessions.endAll(h, accountId, Optional.empty(), now);
    LOG.info("account {} disabled: its groups at the identity provider give no role", accountId);
  }

  /** The first role, in the configured order, that one of the person's groups gives. */
  private Optional<Role> roleOf(JsonObject claims) {
    Object groups = claims.getValue(settings.groupsClaim());
    List<String> names =
        groups instanceof JsonArray list
            ? list.stream().map(String::valueOf).toList()
            : groups instanceof String one ? List.of(one) : List.of();
    return settings.groupRoles().entrySet().stream()
        .filter(e -> names.contains(e.getKey()))
        .findFirst()
        .flatMap(e -> Role.fromWire(e.getValue()));
  }

  /**
   * A username for a new account: the provider's {@code preferred_username} when it is a valid and
   * free one, otherwise {@code sso-} and a digest of the subject.
   */
  private String freeUsername(Handle h, JsonObject claims) {
    String preferred =
        Optional.ofNullable(claims.getString("preferred_username"))
            .map(s -> s.toLowerCase(Locale.ROOT))
            .orElse("");
    if (preferred.matches("[a-z0-9][a-z0-9._@-]{2,63}") && !accounts.usernameTaken(h, preferred)) {
      return preferred;
    }
    String digest =
        Sha256.hex(claims.getString("iss") + " " + claims.getString("sub")).substring(0, 16);
    return "sso-" + digest.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "0");
  }

  /** The provider, discovered once it answers; a failed discovery is tried again next time. */
  private Future<OAuth2Auth> provider() {
    Future<OAuth2Auth> known = provider;
    if (known != null && !known.failed()) {
      return known;
    }
    OAuth2Options options =
        new OAuth2Options()
            .setSite(settings.issuer().orElseThrow())
            .setClientId(settings.clientId());
    settings.clientSecret().ifPresent(options::setClientSecret);
    Future<OAuth2Auth> discovered =
        OpenIDConnectAuth.discover(vertx, options)
            .recover(
                e -> {
                  LOG.warn("the identity provider cannot be reached: {}", e.getMessage());
                  return Future.failedFuture(
                      new Problem(
                          503,
                          "Service unavailable",
                          "The identity provider cannot be reached now; sign in with a password"
                              + " where that is allowed, or try again later"));
                });
    provider = discovered;
    return discovered;
  }

  private static Problem refused(String detail) {
    return new Problem(401, "Unauthorized", detail);
  }

  private static String random() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String challenge(String verifier) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(Sha256.digest(verifier.getBytes(StandardCharsets.US_ASCII)));
  }
}
