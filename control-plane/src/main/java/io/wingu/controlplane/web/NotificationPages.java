package io.wingu.controlplane.web;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Access;
import io.wingu.controlplane.app.Respond;
import io.wingu.controlplane.caller.Caller;
import io.wingu.controlplane.caller.Role;
import io.wingu.controlplane.notifications.Kind;
import io.wingu.controlplane.notifications.Notifications;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A person's notifications page: the mails sent to them (newest first, with what failed and why)
 * and which kinds they receive, a form of checkboxes (a mandatory kind is shown on and cannot be
 * changed). Every rule is {@link Notifications}'s.
 */
record NotificationPages(Notifications notifications, Views views) {

  /** How many of the newest mails the page lists. */
  private static final int SHOWN = 50;

  void addTo(Router router, SessionGate gate) {
    router
        .get("/account/notifications")
        .handler(gate.require(Access.readers()))
        .handler(ctx -> show(ctx, false));
    router
        .post("/account/notifications")
        .handler(gate.require(Access.readers()))
        .handler(this::save);
    router
        .get("/settings/notifications")
        .handler(gate.require(Access.roles(Role.OPERATOR)))
        .handler(ctx -> showMandatory(ctx, false));
    router
        .post("/settings/notifications")
        .handler(gate.require(Access.roles(Role.OPERATOR)))
        .handler(this::saveMandatory);
  }

  /**
   * The operators' settings of notifications: which kinds are mandatory (every person who may
   * receive them does, whatever they chose). The daily digest, each operator's own choice, is not
   * offered.
   */
  private void showMandatory(RoutingContext ctx, boolean saved) {
    notifications
        .mandatoryKinds()
        .onSuccess(
            all -> {
              List<Map<String, Object>> kinds = new ArrayList<>();
              all.forEach(
                  (kind, mandatory) -> {
                    if (Kind.fromWire(kind).map(Kind::mayBeMandatory).orElse(false)) {
                      kinds.add(Map.of("kind", kind, "mandatory", mandatory));
                    }
                  });
              Map<String, Object> model = new HashMap<>();
              model.put("kinds", kinds);
              model.put("saved", saved);
              views.send(ctx, 200, "notification-settings", "notificationSettings.title", model);
            })
        .onFailure(ctx::fail);
  }

  /** The boxes ticked are mandatory, the others each person's choice. */
  private void saveMandatory(RoutingContext ctx) {
    Map<String, Boolean> choices = new LinkedHashMap<>();
    for (Kind kind : Kind.values()) {
      if (kind.mayBeMandatory()) {
        choices.put(kind.wireName(), !Form.value(ctx, kind.wireName()).isEmpty());
      }
    }
    notifications
        .setMandatory(SessionGate.caller(ctx), choices, Respond.requestId(ctx))
        .onSuccess(p -> showMandatory(ctx, true))
        .onFailure(ctx::fail);
  }

  private void show(RoutingContext ctx, boolean saved) {
    Caller caller = SessionGate.caller(ctx);
    Future.all(
            notifications.recent(caller, SHOWN),
            notifications.preferences(caller),
            notifications.mandatory(),
            notifications.contact(caller))
        .onSuccess(
            all -> {
              List<Notifications.Mail> mails = all.resultAt(0);
              Map<String, Boolean> prefs = all.resultAt(1);
              Set<String> mandatory = all.resultAt(2);
              Notifications.Contact contact = all.resultAt(3);
              List<Map<String, Object>> kinds = new ArrayList<>();
              prefs.forEach(
                  (kind, on) -> {
                    Map<String, Object> k = new HashMap<>();
                    k.put("kind", kind);
                    k.put("on", on);
                    k.put("mandatory", mandatory.contains(kind));
                    kinds.add(k);
                  });
              Map<String, Object> model = new HashMap<>();
              model.put("mails", mails);
              model.put("kinds", kinds);
              model.put("email", contact.email());
              model.put("saved", saved);
              views.send(ctx, 200, "notifications", "notifications.title", model);
            })
        .onFailure(ctx::fail);
  }

  /** The boxes ticked are on, the others off; mandatory kinds are not sent and stay on. */
  private void save(RoutingContext ctx) {
    Caller caller = SessionGate.caller(ctx);
    notifications
        .preferences(caller)
        .compose(
            now ->
                notifications
                    .mandatory()
                    .compose(
                        mandatory -> {
                          Map<String, Boolean> choices = new LinkedHashMap<>();
                          for (String kind : now.keySet()) {
                            if (!mandatory.contains(kind)) {
                              choices.put(kind, !Form.value(ctx, kind).isEmpty());
                            }
                          }
                          return notifications.setPreferences(caller, choices);
                        }))
        .onSuccess(p -> show(ctx, true))
        .onFailure(ctx::fail);
  }
}
