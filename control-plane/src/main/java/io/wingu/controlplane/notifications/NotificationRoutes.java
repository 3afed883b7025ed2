package io.wingu.controlplane.notifications;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Access;
import io.wingu.controlplane.app.ApiOperations;
import io.wingu.controlplane.app.Page;
import io.wingu.controlplane.app.Respond;
import io.wingu.controlplane.caller.Role;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A person's notifications, preferences and address, over HTTP: every rule is {@link
 * Notifications}'s.
 */
public final class NotificationRoutes {

  private static final Access PEOPLE =
      Access.roles(Role.OPERATOR, Role.AUDITOR, Role.INSTITUTION_ADMIN, Role.WEBMASTER);

  private final Notifications notifications;

  public NotificationRoutes(Notifications notifications) {
    this.notifications = notifications;
  }

  public void addTo(ApiOperations api) {
    api.add("listMyNotifications", PEOPLE, this::list);
    api.add(
        "getNotificationPreferences",
        PEOPLE,
        ctx -> answer(ctx, notifications.preferences(ApiOperations.caller(ctx))));
    api.add("setNotificationPreferences", PEOPLE, this::setPreferences);
    api.add(
        "getMyContact",
        PEOPLE,
        ctx ->
            Respond.json(
                ctx,
                200,
                notifications
                    .contact(ApiOperations.caller(ctx))
                    .map(Notifications.Contact::toJson)));
    api.add("setMyContact", PEOPLE, this::setContact);
    api.add(
        "getMandatoryNotifications", PEOPLE, ctx -> answer(ctx, notifications.mandatoryKinds()));
    api.add("setMandatoryNotifications", Access.roles(Role.OPERATOR), this::setMandatory);
  }

  private void setMandatory(RoutingContext ctx) {
    answer(
        ctx,
        notifications.setMandatory(
            ApiOperations.caller(ctx), choices(ctx.body().asJsonObject()), Respond.requestId(ctx)));
  }

  private static Map<String, Boolean> choices(JsonObject body) {
    Map<String, Boolean> choices = new LinkedHashMap<>();
    body.forEach(e -> choices.put(e.getKey(), (Boolean) e.getValue()));
    return choices;
  }

  private void list(RoutingContext ctx) {
    Page page = Page.from(ctx, Notifications.CURSOR);
    Respond.json(
        ctx,
        200,
        notifications
            .list(ApiOperations.caller(ctx), page)
            .map(
                listing ->
                    listing.toJson(
                        n -> {
                          JsonObject o =
                              new JsonObject()
                                  .put("id", n.id().toString())
                                  .put("kind", n.kind())
                                  .put("subject", n.subject())
                                  .put("recipient", n.recipient())
                                  .put("status", n.status())
                                  .put("createdAt", n.createdAt().toString())
                                  .put("attempts", n.attempts());
                          if (n.sentAt() != null) {
                            o.put("sentAt", n.sentAt().toString());
                          }
                          if (n.error() != null) {
                            o.put("error", n.error());
                          }
                          return o;
                        })));
  }

  private void setPreferences(RoutingContext ctx) {
    answer(
        ctx,
        notifications.setPreferences(
            ApiOperations.caller(ctx), choices(ctx.body().asJsonObject())));
  }

  /** Preferences as the document has them: one boolean per kind. */
  private static void answer(RoutingContext ctx, Future<Map<String, Boolean>> preferences) {
    Respond.json(ctx, 200, preferences.map(p -> new JsonObject(new LinkedHashMap<>(p))));
  }

  private void setContact(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    Respond.json(
        ctx,
        200,
        notifications
            .setContact(
                ApiOperations.caller(ctx),
                body.getString("email"),
                body.getString("language", "sw"))
            .map(Notifications.Contact::toJson));
  }
}
