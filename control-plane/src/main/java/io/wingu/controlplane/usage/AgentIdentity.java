package io.wingu.controlplane.usage;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Database;
import io.wingu.controlplane.app.Problem;
import io.wingu.controlplane.auth.AccessTokens;
import io.wingu.controlplane.caller.Caller;
import io.wingu.controlplane.caller.Role;
import java.util.List;
import java.util.Optional;

/**
 * Which node an agent speaks for. In a cluster: its pod-bound ServiceAccount token (audience
 * "wingu"), checked with the TokenReview API, the node taken from the token's node-name extra.
 * Outside a cluster: an agent token this control plane minted for one node, valid only while it is
 * the node's current one (agent_token: a new mint replaces it, an operator may revoke it).
 */
public final class AgentIdentity {

  public static final String AUDIENCE = "wingu";
  static final String NODE_NAME_EXTRA = "authentication.kubernetes.io/node-name";
  static final String AGENT_PREFIX = "agent:";

  private final Vertx vertx;
  private final Database db;
  private final AgentTokenStore minted = new AgentTokenStore();
  private final AccessTokens tokens;
  private final KubernetesClient client;
  private final Optional<String> agentServiceAccount;

  public AgentIdentity(
      Vertx vertx,
      Database db,
      AccessTokens tokens,
      KubernetesClient client,
      Optional<String> agentServiceAccount) {
    this.vertx = vertx;
    this.db = db;
    this.tokens = tokens;
    this.client = client;
    this.agentServiceAccount = agentServiceAccount;
  }

  /** The agent caller of a node, for minting its token. */
  public static Caller agentFor(String nodeName) {
    return new Caller(
        java.util.UUID.nameUUIDFromBytes(
            nodeName.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        AGENT_PREFIX + nodeName,
        Role.AGENT,
        Optional.empty());
  }

  /** The node the request's bearer token proves, or a 401/403 problem. */
  public Future<String> node(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Future.failedFuture(
          new Problem(401, "Unauthorized", "An agent sends 'Authorization: Bearer <token>'"));
    }
    String token = header.substring(7).trim();
    if (tokens.service().verify(token).isPresent()) {
      // one of ours: it must still stand (not revoked), and be the node's current minted token
      return tokens
          .check(token)
          .compose(
              ours -> {
                if (ours.isEmpty()) {
                  return Future.failedFuture(
                      new Problem(
                          401,
                          "Unauthorized",
                          "The agent token is invalid, has expired or was revoked"));
                }
                Caller c = ours.get().caller();
                if (c.role() != Role.AGENT || !c.username().startsWith(AGENT_PREFIX)) {
                  return Future.failedFuture(
                      new Problem(403, "Forbidden", "Only agents submit usage reports"));
                }
                String node = c.username().substring(AGENT_PREFIX.length());
                String id = ours.get().id();
                // one primary-key read per report (every 15 s a node): revocation holds across
                // replicas at once
                return db.withHandle(h -> minted.current(h, node))
                    .compose(
                        current ->
                            current.filter(id::equals).isPresent()
                                ? Future.succeededFuture(node)
                                : Future.failedFuture(
                                    new Problem(
                                        401,
                                        "Unauthorized",
                                        "This agent token was revoked or replaced by a newer one for node "
                                            + node)));
              });
    }
    if (agentServiceAccount.isEmpty()) {
      return Future.failedFuture(
          new Problem(401, "Unauthorized", "The agent token is invalid or has expired"));
    }
    return vertx.executeBlocking(() -> review(token), false);
  }

  private String review(String token) {
    TokenReview review =
        client
            .authentication()
            .v1()
            .tokenReviews()
            .create(
                new TokenReviewBuilder()
                    .withNewSpec()
                    .withToken(token)
                    .withAudiences(AUDIENCE)
                    .endSpec()
                    .build());
    var status = review.getStatus();
    if (status == null || !Boolean.TRUE.equals(status.getAuthenticated())) {
      throw new Problem(401, "Unauthorized", "The agent token is invalid or has expired");
    }
    String[] sa = agentServiceAccount.get().split(":", 2);
    String expected = "system:serviceaccount:" + sa[0] + ":" + sa[1];
    if (!expected.equals(status.getUser().getUsername())) {
      throw new Problem(403, "Forbidden", "Only the agent's ServiceAccount submits usage reports");
    }
    List<String> node =
        status.getUser().getExtra() == null
            ? null
            : status.getUser().getExtra().get(NODE_NAME_EXTRA);
    if (node == null || node.isEmpty()) {
      throw new Problem(403, "Forbidden", "The token is not bound to a pod on a node");
    }
    return node.get(0);
  }
}
