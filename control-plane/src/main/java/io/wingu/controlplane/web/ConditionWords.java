package io.wingu.controlplane.web;

import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.sites.SiteView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A site's conditions as the console words them: each type, status and reason code has words in the
 * page's language ({@code conditionReason.<code>}). The reconciler's own message is shown only for
 * reasons that carry a fault's details (a Kubernetes or database error), marked as English.
 */
final class ConditionWords {

  /** Reasons whose message is the technical detail of a fault, kept as written. */
  private static final Set<String> FAULTS =
      Set.of(
          "ReconcileFailed",
          "DatabaseError",
          "PodSecurity",
          "Restoring",
          "Restored",
          "RestoreFailed");

  private ConditionWords() {}

  static List<Map<String, Object>> of(Messages m, String lang, SiteView site) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object o : site.conditions()) {
      JsonObject c = (JsonObject) o;
      String reason = c.getString("reason", "");
      String message = c.getString("message", "");
      String key = "conditionReason." + reason;
      String words;
      if (reason.equals("NotDelegated")) {
        words = m.text(lang, key, String.join(", ", named(message, site.hostnames())));
      } else {
        words = m.has(key) ? m.text(lang, key) : m.text(lang, "conditionReason.other");
      }
      boolean detail = FAULTS.contains(reason) || !m.has(key);
      out.add(
          Map.of(
              "type",
              c.getString("type"),
              "status",
              c.getString("status"),
              "reason",
              words,
              "detail",
              detail ? message : "",
              "since",
              c.getString("lastTransitionTime", "")));
    }
    return out;
  }

  /** The site's hostnames a message names (the list after its last colon). */
  private static List<String> named(String message, List<String> hostnames) {
    return Arrays.stream(message.split("[:,]\\s*"))
        .map(String::strip)
        .filter(hostnames::contains)
        .toList();
  }
}
