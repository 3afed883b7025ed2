package io.wingu.controlplane.web;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.audit.AuditEvent;
import io.wingu.controlplane.caller.Caller;
import io.wingu.controlplane.institutions.InstitutionService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Audit events as a person reads them: the action in words, the institution and the target by name
 * (linked where the console has a page for it) instead of codes and UUIDs, and the note a decision
 * was taken with.
 */
record AuditRows(InstitutionService institutions, Messages messages) {

  /** Every action the capabilities record; each has words ({@code audit.action.<action>}). */
  static final List<String> ACTIONS =
      List.of(
          "request.submit",
          "request.approve",
          "request.reject",
          "request.cancel",
          "institution.create",
          "account.create",
          "account.bootstrap",
          "account.disable",
          "account.enable",
          "account.remove",
          "account.password.change",
          "account.password.reset-issue",
          "account.password.reset",
          "account.session.end",
          "account.session.end-others",
          "account.session.end-all",
          "account.totp.enable",
          "plan.create",
          "site.deploy",
          "site.upgrade",
          "site.rollback",
          "site.suspend",
          "site.resume",
          "site.decommission",
          "site.content.put",
          "site.content.delete",
          "site.document.upload",
          "site.document.delete",
          "site.image.upload",
          "site.token.create",
          "site.token.revoke",
          "site.ready",
          "site.degraded",
          "site.deploy-failed",
          "backup.create",
          "backup.fail",
          "backup.verify",
          "backup.verify-failed",
          "backup.restore",
          "backup.download",
          "notification.mandatory",
          "directory.create",
          "directory.update",
          "directory.delete",
          "directory.hide",
          "directory.show",
          "system.create",
          "system.update",
          "system.delete",
          "scorecard.publish",
          "usage.alert",
          "agent-token.create",
          "agent-token.revoke");

  /** The action's words in {@code lang}; an action without words yet is shown as recorded. */
  String action(String lang, String action) {
    String key = "audit.action." + action;
    return messages.has(key) ? messages.text(lang, key) : action;
  }

  /** The events as rows of the audit table, institutions named in {@code lang}. */
  Future<List<Map<String, Object>>> rows(Caller caller, String lang, List<AuditEvent> events) {
    return InstitutionNames.of(
            institutions, caller, events.stream().map(AuditEvent::institutionId).toList(), lang)
        .map(
            names -> {
              List<Map<String, Object>> out = new ArrayList<>();
              for (AuditEvent e : events) {
                out.add(row(lang, e, names));
              }
              return out;
            });
  }

  private Map<String, Object> row(String lang, AuditEvent e, InstitutionNames names) {
    Map<String, Object> row = new HashMap<>();
    row.put("seq", e.seq());
    row.put("at", e.at().toString());
    row.put("actor", e.actor());
    row.put("action", e.action());
    row.put("actionText", action(lang, e.action()));
    String institution = names.name(e.institutionId());
    row.put("institution", institution == null ? "" : institution);
    row.put("institutionHref", institution == null ? "" : "/institutions/" + e.institutionId());
    Target t = target(lang, e, institution);
    row.put("target", t.label());
    row.put("targetHref", t.href() == null ? "" : t.href());
    String note = note(e.after());
    row.put("note", note == null ? "" : note);
    return row;
  }

  private record Target(String label, String href) {}

  /** The target's name and page, from what the event recorded; else the target as recorded. */
  private Target target(String lang, AuditEvent e, String institution) {
    String[] parts = e.target() == null ? new String[0] : e.target().split("/");
    JsonObject json =
        e.after() != null ? e.after() : e.before() != null ? e.before() : new JsonObject();
    String kind = parts.length > 0 ? parts[0] : "";
    String instHref = e.institutionId() == null ? null : "/institutions/" + e.institutionId();
    String inst = institution == null ? (parts.length > 1 ? parts[1] : "") : institution;
    switch (kind) {
      case "request" -> {
        String site = json.getString("siteName");
        return new Target(
            site == null ? e.target() : site, parts.length > 1 ? "/requests/" + parts[1] : null);
      }
      case "site" -> {
        String name = parts.length > 2 ? parts[2] : e.target();
        String id = json.containsKey("hostnames") ? json.getString("id") : json.getString("siteId");
        return new Target(name, id == null ? null : "/sites/" + id);
      }
      case "institution" -> {
        if (parts.length > 3 && parts[2].equals("systems")) {
          return new Target(messages.text(lang, "audit.target.system", inst), null);
        }
        if (parts.length > 3 && parts[2].equals("service")) {
          return new Target(
              messages.text(lang, "audit.target.service", inst),
              instHref == null ? null : instHref + "/services");
        }
        return new Target(inst, instHref);
      }
      case "account" -> {
        return new Target(parts.length > 1 ? parts[1] : e.target(), instHref);
      }
      case "plan" -> {
        return new Target(
            messages.text(
                lang,
                "audit.target.plan",
                Amounts.planName(messages, lang, parts.length > 1 ? parts[1] : "")),
            null);
      }
      case "scorecard" -> {
        String month = parts.length > 1 ? parts[1] : "";
        return new Target(
            messages.text(lang, "audit.target.scorecard", month), "/scores?month=" + month);
      }
      case "node" -> {
        return new Target(
            messages.text(lang, "audit.target.node", parts.length > 1 ? parts[1] : ""),
            "/usage/nodes");
      }
      default -> {
        return new Target(e.target(), null);
      }
    }
  }

  /** The note of a decision: the last step of a request's history, or a site's status reason. */
  private static String note(JsonObject after) {
    if (after == null) {
      return null;
    }
    JsonArray history = after.getJsonArray("history");
    if (history != null && !history.isEmpty()) {
      return history.getJsonObject(history.size() - 1).getString("note");
    }
    return after.getString("statusReason");
  }

  /** For a filter's choice: the given id, when it is one. */
  static UUID uuid(String value) {
    try {
      return value == null || value.isEmpty() ? null : UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
