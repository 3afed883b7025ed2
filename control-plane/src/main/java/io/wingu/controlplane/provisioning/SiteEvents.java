package io.wingu.controlplane.provisioning;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * What the platform records when a site's state changes under it, in the transaction that writes
 * the new status (the wiring appends it to the audit log, whose observers tell people): {@code
 * site.ready} (served at its hostnames, from provisioning or degraded), {@code site.degraded}
 * (served before, no longer as it should), {@code site.deploy-failed} (the cluster refused to put
 * the current revision in service).
 */
@FunctionalInterface
public interface SiteEvents {

  /** Records one event about {@code siteId}; {@code after} says what and why. */
  void record(Handle h, UUID siteId, UUID institutionId, String action, JsonObject after)
      throws SQLException;

  /** Records nothing (tests and benches that run a reconciler alone). */
  SiteEvents NONE = (h, site, institution, action, after) -> {};

  /** One change worth telling: its action and why (null when there is nothing more to say). */
  record Transition(String action, String reason) {}

  /**
   * The changes between what was stored and what is written now: a status that became ACTIVE or
   * DEGRADED, and a {@link Condition#DEPLOYED} condition that turned False for a reason the site's
   * people can act on (not the Kubernetes API being unreachable, which is the platform's).
   */
  static List<Transition> between(
      String before, String now, JsonArray conditionsBefore, JsonArray conditionsNow) {
    List<Transition> out = new ArrayList<>();
    if ("ACTIVE".equals(now) && ("PROVISIONING".equals(before) || "DEGRADED".equals(before))) {
      out.add(new Transition("site.ready", null));
    }
    if ("DEGRADED".equals(now) && "ACTIVE".equals(before)) {
      out.add(new Transition("site.degraded", notTrue(conditionsNow)));
    }
    JsonObject deployed = find(conditionsNow, Condition.DEPLOYED);
    JsonObject deployedBefore = find(conditionsBefore, Condition.DEPLOYED);
    if (deployed != null
        && Condition.FALSE.equals(deployed.getString("status"))
        && (deployedBefore == null || !Condition.FALSE.equals(deployedBefore.getString("status")))
        && !String.valueOf(deployed.getString("message")).startsWith(UNREACHABLE)) {
      out.add(
          new Transition(
              "site.deploy-failed",
              deployed.getString("reason") + ": " + deployed.getString("message")));
    }
    return out;
  }

  /** How the reconciler's message begins when the cluster's API cannot be reached. */
  String UNREACHABLE = "the Kubernetes API cannot be reached";

  private static JsonObject find(JsonArray conditions, String type) {
    if (conditions == null) {
      return null;
    }
    for (Object o : conditions) {
      if (o instanceof JsonObject c && type.equals(c.getString("type"))) {
        return c;
      }
    }
    return null;
  }

  /** The conditions that do not hold, as a person reads them: "type (reason): message; …". */
  private static String notTrue(JsonArray conditions) {
    List<String> out = new ArrayList<>();
    for (Object o : conditions) {
      if (o instanceof JsonObject c && !Condition.TRUE.equals(c.getString("status"))) {
        out.add(
            c.getString("type") + " (" + c.getString("reason") + "): " + c.getString("message"));
      }
    }
    return String.join("; ", out);
  }
}
