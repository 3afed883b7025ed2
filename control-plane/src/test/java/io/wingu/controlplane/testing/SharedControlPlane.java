package io.wingu.controlplane.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.wiring.ControlPlane;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One control plane for the API tests of a JVM, on real PostgreSQL and the real API server. Tests
 * make their own institutions and accounts with unique names, so they never collide.
 */
public final class SharedControlPlane {

  private static ControlPlane plane;
  private static Map<String, String> env;
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private SharedControlPlane() {}

  public static synchronized ControlPlane get() {
    if (plane == null) {
      env = new java.util.HashMap<>(TestControlPlane.env("api"));
      env.put("WINGU_LOGIN_RATE", "10000"); // every test signs in from 127.0.0.1
      plane = TestControlPlane.start(env);
      Runtime.getRuntime().addShutdownHook(new Thread(plane::close));
    }
    return plane;
  }

  public static Map<String, String> env() {
    get();
    return env;
  }

  public static URI url() {
    return get().url();
  }

  public static ApiClient operator() {
    return ApiClient.signIn(url(), TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD);
  }

  /** A name no other test uses. */
  public static String unique(String prefix) {
    return prefix + COUNTER.incrementAndGet() + "x" + Long.toString(System.nanoTime() % 100000, 36);
  }

  /** An institution made by the operator, with one domain {@code <code>.go.tz}. */
  public static JsonObject newInstitution(ApiClient operator) {
    String code = unique("i").toLowerCase();
    var r =
        operator.post(
            "/api/v1/institutions",
            new JsonObject()
                .put("code", code)
                .put("name", "Institution " + code)
                .put("nameSw", "Taasisi " + code)
                .put("domains", new JsonArray().add(code + ".go.tz"))
                .put("contactEmail", "ict@" + code + ".go.tz"));
    if (r.status() != 201) {
      throw new AssertionError("institution not created: " + r.body());
    }
    return r.json();
  }

  /** Creates an institution user and signs in as them, on the creator's control plane. */
  public static ApiClient newInstitutionUser(ApiClient creator, String institutionId, String role) {
    String username = unique(role.substring(0, 3)).toLowerCase();
    String password = "password-" + username;
    var r =
        creator.post(
            "/api/v1/institutions/" + institutionId + "/users",
            new JsonObject().put("username", username).put("password", password).put("role", role));
    if (r.status() != 201) {
      throw new AssertionError("user not created: " + r.body());
    }
    return ApiClient.signIn(creator.base(), username, password);
  }

  /** A platform account (operator or auditor) made by the operator. */
  public static ApiClient newPlatformUser(String role) {
    String username = unique(role.substring(0, 3)).toLowerCase();
    String password = "password-" + username;
    var r =
        operator()
            .post(
                "/api/v1/users",
                new JsonObject()
                    .put("username", username)
                    .put("password", password)
                    .put("role", role));
    if (r.status() != 201) {
      throw new AssertionError("user not created: " + r.body());
    }
    return ApiClient.signIn(url(), username, password);
  }

  /** A request body for a small site on the institution's domain. */
  public static JsonObject siteRequest(JsonObject institution, String siteName) {
    String domain = institution.getJsonArray("domains").getString(0);
    return new JsonObject()
        .put("siteName", siteName)
        .put("hostnames", new JsonArray().add(siteName + "." + domain))
        .put("plan", "small")
        .put("justification", "Citizens need the " + siteName + " site");
  }
}
