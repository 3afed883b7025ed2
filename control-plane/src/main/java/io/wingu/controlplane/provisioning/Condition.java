package io.wingu.controlplane.provisioning;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A status condition as Kubernetes writes them; the transition time moves only when status does.
 */
public record Condition(
    String type, String status, String reason, String message, Instant lastTransitionTime) {

  public static final String NAMESPACE_READY = "NamespaceReady";
  public static final String QUOTA_APPLIED = "QuotaApplied";
  public static final String DATABASE_READY = "DatabaseReady";
  public static final String DEPLOYED = "Deployed";
  public static final String AVAILABLE = "Available";

  /** Every hostname of the site is the institution's (else it is left out of the Ingress). */
  public static final String HOSTNAMES_DELEGATED = "HostnamesDelegated";

  /**
   * Gateway routing: the site's HTTPRoute is accepted by the Gateway and its references resolve.
   */
  public static final String ROUTED = "Routed";

  /** Gateway routing: cert-manager has issued the site's certificate. */
  public static final String TLS_READY = "TlsReady";

  public static final String TRUE = "True";
  public static final String FALSE = "False";
  public static final String UNKNOWN = "Unknown";

  public static Condition of(String type, boolean status, String reason, String message) {
    return new Condition(type, status ? TRUE : FALSE, reason, message, null);
  }

  /** A condition nobody has answered yet (no gateway controller or issuer has written status). */
  public static Condition unknown(String type, String reason, String message) {
    return new Condition(type, UNKNOWN, reason, message, null);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("type", type)
        .put("status", status)
        .put("reason", reason)
        .put("message", message)
        .put("lastTransitionTime", lastTransitionTime.toString());
  }

  /** The new conditions, keeping each one's transition time when its status did not change. */
  public static JsonArray merge(JsonArray previous, List<Condition> now, Instant at) {
    List<JsonObject> out = new ArrayList<>();
    for (Condition c : now) {
      Instant since = at;
      for (Object o : previous) {
        JsonObject p = (JsonObject) o;
        if (p.getString("type").equals(c.type()) && p.getString("status").equals(c.status)) {
          since = Instant.parse(p.getString("lastTransitionTime"));
        }
      }
      out.add(new Condition(c.type(), c.status(), c.reason(), c.message(), since).toJson());
    }
    return new JsonArray(new ArrayList<>(out));
  }
}
