package io.wingu.controlplane.web;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wingu.controlplane.app.Access;
import io.wingu.controlplane.app.Listing;
import io.wingu.controlplane.app.Page;
import io.wingu.controlplane.audit.AuditLog;
import io.wingu.controlplane.audit.AuditService;
import io.wingu.controlplane.caller.Caller;
import io.wingu.controlplane.caller.Role;
import io.wingu.controlplane.institutions.Institution;
import io.wingu.controlplane.institutions.InstitutionService;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The audit log, newest first, with the result of verifying the whole hash chain; filtered by
 * institution, person, action and period (days in the console's time zone).
 */
record AuditPages(
    AuditService audit, InstitutionService institutions, AuditRows rows, Views views) {

  private static final ZoneId ZONE = ZoneId.of("Africa/Dar_es_Salaam");
  private static final int INSTITUTIONS_LISTED = 500;

  void addTo(Router router, SessionGate gate) {
    GatedRouter routes = new GatedRouter(router, gate);
    routes.get("/audit", Access.roles(Role.OPERATOR, Role.AUDITOR), this::show);
  }

  /** The filters as asked; a date that is not one is named on its field. */
  private record Filters(
      String institution, String actor, String action, String from, String to, FormErrors errors) {

    static Filters of(RoutingContext ctx, Messages m, String lang) {
      FormErrors errors = new FormErrors();
      String from = query(ctx, "from");
      String to = query(ctx, "to");
      for (var field : List.of(Map.entry("from", from), Map.entry("to", to))) {
        if (date(field.getValue()) == null && !field.getValue().isEmpty()) {
          errors.add(field.getKey(), m.text(lang, "audit.badDate"));
        }
      }
      String action = query(ctx, "action");
      return new Filters(
          query(ctx, "institution"),
          query(ctx, "actor"),
          AuditRows.ACTIONS.contains(action) ? action : "",
          from,
          to,
          errors);
    }

    AuditLog.Filter filter() {
      LocalDate first = date(from);
      LocalDate last = date(to);
      return new AuditLog.Filter(
          AuditRows.uuid(institution),
          actor.isEmpty() ? null : actor,
          action.isEmpty() ? null : action,
          first == null ? null : first.atStartOfDay(ZONE).toInstant(),
          last == null ? null : last.plusDays(1).atStartOfDay(ZONE).toInstant());
    }

    /** A filter as the GET form sends it, trimmed; empty when not given. */
    private static String query(RoutingContext ctx, String name) {
      String v = ctx.queryParams().get(name);
      return v == null ? "" : v.trim();
    }

    private static LocalDate date(String value) {
      try {
        return value.isEmpty() ? null : LocalDate.parse(value);
      } catch (DateTimeParseException e) {
        return null;
      }
    }
  }

  /** Newest first, a page at a time; the cursor is the API's kind, naming the last event seen. */
  private void show(RoutingContext ctx) {
    Caller caller = SessionGate.caller(ctx);
    String lang = ConsoleLanguage.of(ctx);
    Filters filters = Filters.of(ctx, views.messages(), lang);
    Page page = Paging.of(ctx, AuditService.CURSOR);
    Map<String, Object> model = new java.util.HashMap<>();
    audit
        .latest(filters.filter(), page)
        .compose(
            listing ->
                rows.rows(caller, lang, listing.items())
                    .map(shown -> new Listing<>(shown, listing.nextCursor())))
        .compose(
            shown -> {
              model.putAll(Paging.model(ctx, shown, r -> r, "events"));
              return audit.verify();
            })
        .compose(
            verification -> {
              model.put("verification", verification.toJson());
              return institutions.list(
                  caller,
                  new Page(INSTITUTIONS_LISTED, Optional.empty(), InstitutionService.CURSOR));
            })
        .onSuccess(
            listed -> {
              model.put("filter", filterModel(filters, lang, listed.items()));
              model.putAll(filters.errors().model());
              views.send(
                  ctx, filters.errors().isEmpty() ? 200 : 400, "audit", "audit.title", model);
            })
        .onFailure(ctx::fail);
  }

  private Map<String, Object> filterModel(
      Filters f, String lang, List<Institution> institutionsListed) {
    List<Map<String, Object>> insts = new ArrayList<>();
    for (Institution i : institutionsListed) {
      insts.add(
          Map.of(
              "value",
              i.id().toString(),
              "label",
              InstitutionNames.name(i, lang),
              "selected",
              i.id().toString().equals(f.institution())));
    }
    List<Map<String, Object>> actions = new ArrayList<>();
    for (String a : AuditRows.ACTIONS) {
      actions.add(
          Map.of("value", a, "label", rows.action(lang, a), "selected", a.equals(f.action())));
    }
    return Map.of(
        "institutions",
        insts,
        "actions",
        actions,
        "actor",
        f.actor(),
        "from",
        f.from(),
        "to",
        f.to());
  }
}
