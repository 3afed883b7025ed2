package io.wingu.controlplane.web;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Problem;
import io.wingu.controlplane.app.Respond;
import io.wingu.controlplane.auth.Caller;
import io.wingu.controlplane.auth.TokenService;
import java.util.ArrayList;
import java.util.List;

/**
 * Calls an operation of this control plane's own REST API as the signed-in person, for the few
 * actions whose rule lives only in an API handler (a site's suspend, resume and decommission are
 * in SiteRoutes): the console then runs that one implementation — role rule, contract, state
 * machine, audit event — instead of a copy. The call goes to the socket the visitor's request
 * came in on, so it reaches this very server.
 */
final class ApiLoopback {

  private final HttpClient client;
  private final TokenService tokens;

  ApiLoopback(Vertx vertx, TokenService tokens) {
    this.client = vertx.createHttpClient();
    this.tokens = tokens;
  }

  Future<JsonObject> call(RoutingContext ctx, Caller caller, HttpMethod method, String apiPath, JsonObject body) {
    SocketAddress local = ctx.request().localAddress();
    RequestOptions options = new RequestOptions().setMethod(method)
        .setHost(local.hostAddress()).setPort(local.port()).setURI("/api/v1" + apiPath)
        .putHeader("Authorization", "Bearer " + tokens.issue(caller, java.time.Duration.ofMinutes(1)))
        .putHeader("X-Request-Id", Respond.requestId(ctx));
    if (body != null) {
      options.putHeader("Content-Type", "application/json");
    }
    return client.request(options)
        .compose(request -> body == null ? request.send() : request.send(body.toBuffer()))
        .compose(response -> response.body().map(buffer -> {
          JsonObject json = buffer.length() == 0 ? new JsonObject() : buffer.toJsonObject();
          if (response.statusCode() >= 400) {
            throw problem(response.statusCode(), json);
          }
          return json;
        }));
  }

  /** The API's problem+json answer as the Problem it was. */
  private static Problem problem(int status, JsonObject json) {
    List<Problem.FieldError> errors = new ArrayList<>();
    var list = json.getJsonArray("errors");
    if (list != null) {
      list.forEach(o -> errors.add(new Problem.FieldError(((JsonObject) o).getString("field"),
          ((JsonObject) o).getString("message"))));
    }
    return new Problem(status, json.getString("title", "Error"), json.getString("detail", ""), errors);
  }
}
