package io.wingu.controlplane.web;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Access;
import io.wingu.controlplane.app.Page;
import io.wingu.controlplane.app.Respond;
import io.wingu.controlplane.caller.Caller;
import io.wingu.controlplane.caller.Role;
import io.wingu.controlplane.deploytokens.DeployToken;
import io.wingu.controlplane.deploytokens.DeployTokenService;
import io.wingu.controlplane.sites.SiteListing;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A site's deploy tokens for its publishers: the list with each token's last use, a form that makes
 * one (its secret shown once, on the answer page), and revocation.
 */
record TokenPages(SiteListing sites, DeployTokenService tokens, Clock clock, Views views) {

  private static final Access PUBLISHERS = Access.roles(Role.INSTITUTION_ADMIN, Role.WEBMASTER);

  void addTo(Router router, SessionGate gate) {
    GatedRouter routes = new GatedRouter(router, gate);
    routes.get("/sites/:id/tokens", PUBLISHERS, ctx -> list(ctx, Map.of(), new FormErrors(), 200));
    routes.post("/sites/:id/tokens", PUBLISHERS, this::create);
    routes.post("/sites/:id/tokens/:tokenId/revoke", PUBLISHERS, this::revoke);
  }

  private void list(
      RoutingContext ctx, Map<String, Object> answers, FormErrors errors, int status) {
    Caller caller = SessionGate.caller(ctx);
    UUID id = Form.id(ctx);
    Instant now = clock.instant();
    sites
        .get(caller.scope(), id)
        .compose(
            site ->
                tokens
                    .list(caller, id, Page.first(100, DeployTokenService.CURSOR))
                    .map(
                        listing -> {
                          Map<String, Object> model = new HashMap<>(errors.model());
                          model.put("site", site.toJson());
                          List<Map<String, Object>> rows = new ArrayList<>();
                          for (DeployToken t : listing.items()) {
                            Map<String, Object> row = new HashMap<>(t.toJson().getMap());
                            row.put("scopeList", String.join(", ", t.scopes()));
                            row.put("active", t.activeAt(now));
                            rows.add(row);
                          }
                          model.put("tokens", rows);
                          Map<String, Object> form = new HashMap<>(answers);
                          form.putIfAbsent(
                              "expiresOn",
                              LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(90).toString());
                          model.put("form", form);
                          if ("revoked".equals(ctx.queryParams().get("done"))) {
                            model.put("notice", "tokens.revoked");
                          }
                          return model;
                        }))
        .onSuccess(model -> views.send(ctx, status, "tokens", "tokens.title", model))
        .onFailure(ctx::fail);
  }

  private void create(RoutingContext ctx) {
    UUID id = Form.id(ctx);
    String lang = ConsoleLanguage.of(ctx);
    String name = Form.value(ctx, "name");
    List<String> scopes = new ArrayList<>();
    if (!Form.value(ctx, "scopeDeploy").isEmpty()) {
      scopes.add("deploy");
    }
    if (!Form.value(ctx, "scopeContent").isEmpty()) {
      scopes.add("content:write");
    }
    String expiresOn = Form.value(ctx, "expiresOn");
    Map<String, Object> answers = new HashMap<>();
    answers.put("name", name);
    answers.put("expiresOn", expiresOn);
    answers.put("scopeDeploy", scopes.contains("deploy"));
    answers.put("scopeContent", scopes.contains("content:write"));
    Instant expiresAt;
    try {
      expiresAt = LocalDate.parse(expiresOn).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      list(
          ctx,
          answers,
          new FormErrors().add("expiresOn", views.messages().text(lang, "tokens.badDate")),
          400);
      return;
    }
    Calls.attempt(
            () ->
                tokens.create(
                    SessionGate.caller(ctx), id, name, scopes, expiresAt, Respond.requestId(ctx)))
        .onSuccess(
            created -> {
              Map<String, Object> model = new HashMap<>();
              model.put("siteId", id.toString());
              model.put("token", created.toJson().getMap());
              views.send(ctx, 201, "token-created", "tokens.createdTitle", model);
            })
        .onFailure(
            Calls.onProblem(
                ctx,
                problem -> {
                  FormErrors errors = new FormErrors();
                  for (var e : problem.errors()) {
                    String field =
                        switch (e.field()) {
                          case "expiresAt" -> "expiresOn";
                          case "scopes" -> "scopes";
                          default -> "name";
                        };
                    errors.add(field, views.messages().text(lang, "tokens.error." + field));
                  }
                  if (errors.isEmpty()) {
                    errors.add("name", problem.getMessage());
                  }
                  list(ctx, answers, errors, problem.status());
                }));
  }

  private void revoke(RoutingContext ctx) {
    UUID id = Form.id(ctx);
    UUID tokenId;
    try {
      tokenId = UUID.fromString(ctx.pathParam("tokenId"));
    } catch (IllegalArgumentException e) {
      throw io.wingu.controlplane.app.Problem.notFound("no page " + ctx.request().path());
    }
    tokens
        .revoke(SessionGate.caller(ctx), id, tokenId, Respond.requestId(ctx))
        .onSuccess(v -> Views.redirect(ctx, "/sites/" + id + "/tokens?done=revoked"))
        .onFailure(ctx::fail);
  }
}
