package io.wingu.dev;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;

/**
 * A real OpenID Connect provider on loopback for dev mode: mock-oauth2-server (the one the tests
 * sign in with), run in dev mode's own process with its interactive sign-in page. Anyone may sign
 * in there under any name (the subject) and with any claims typed as JSON, which is what a
 * developer needs to try each role the groups claim gives. Discovery, JWKS, the authorization code
 * flow with PKCE and signed ID tokens are the real protocol, so the control plane talks to it as it
 * would to the Authority's provider.
 */
public final class LocalOidcProvider implements AutoCloseable {

  /** The issuer's last path segment: the issuer is {@code http://127.0.0.1:<port>/wingu-dev}. */
  public static final String ISSUER_ID = "wingu-dev";

  /** The client id the control plane is configured with (the provider accepts any). */
  public static final String CLIENT_ID = "wingu-console";

  /** Group names dev mode maps to Wingu's roles (WINGU_OIDC_ROLES), and the institution claim. */
  public static final String ROLES =
      "wingu-operators=operator,wingu-auditors=auditor,"
          + "wingu-institution-admins=institution-admin,wingu-webmasters=webmaster";

  public static final String INSTITUTION_CLAIM = "institution";

  /**
   * The HTTP server under it logs each request through java.util.logging: kept quiet (held here, as
   * the logging keeps its loggers only weakly).
   */
  private static final java.util.logging.Logger MOCK_WEB_SERVER_LOG =
      java.util.logging.Logger.getLogger("okhttp3.mockwebserver");

  private final MockOAuth2Server server;
  private final URI issuer;

  private LocalOidcProvider(MockOAuth2Server server, URI issuer) {
    this.server = server;
    this.issuer = issuer;
  }

  /** Starts it on 127.0.0.1 and {@code port}; an IOException when the port is taken. */
  public static LocalOidcProvider start(int port) throws IOException {
    MOCK_WEB_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
    MockOAuth2Server server = new MockOAuth2Server(new OAuth2Config(true));
    try {
      server.start(InetAddress.getLoopbackAddress(), port);
    } catch (Exception e) { // Kotlin declares none: a taken port is a BindException
      server.shutdown();
      throw new IOException("port " + port + " on 127.0.0.1: " + e.getMessage(), e);
    }
    // the provider names its issuer after the address it is asked at: the control plane and the
    // browser both use this one
    return new LocalOidcProvider(server, URI.create("http://127.0.0.1:" + port + "/" + ISSUER_ID));
  }

  /** The issuer URL (WINGU_OIDC_ISSUER); discovery is under it. */
  public URI issuer() {
    return issuer;
  }

  @Override
  public void close() {
    server.shutdown();
  }
}
