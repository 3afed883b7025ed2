package io.wingu.controlplane.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * An institution made by the operator, with its admin, a webmaster and one approved site, all
 * through the API of the control plane the operator client talks to.
 */
public record TenantSite(
    JsonObject institution,
    String code,
    ApiClient admin,
    ApiClient webmaster,
    String siteId,
    String siteName) {

  /** How long a site's pod may take to start on a busy machine (its init container is a JVM). */
  public static final Duration POD_WAIT = Duration.ofSeconds(180);

  public String namespace() {
    return "inst-" + code;
  }

  public String path(String rest) {
    return "/api/v1/sites/" + siteId + rest;
  }

  /** A deployment of minimal-landing with the template's own sample as its parameters. */
  public static JsonObject sampleDeployment(ApiClient client) {
    JsonObject example =
        client.get("/api/v1/templates").array().stream()
            .map(JsonObject.class::cast)
            .filter(t -> t.getString("id").equals("minimal-landing"))
            .findFirst()
            .orElseThrow()
            .getJsonObject("example");
    return new JsonObject().put("templateId", "minimal-landing").put("parameters", example);
  }

  /**
   * Makes the site served by real pods (a control plane on a real node: RealNode, SharedRealNode):
   * the webmaster deploys a first revision unless there is one ({@link #deploy}), and this returns
   * once the site is Available, which the reconciler reads from its Deployment's status, which the
   * controller-manager writes once the kubelet says the pod is Ready. Call it again after anything
   * that rolls the Deployment (suspending and resuming).
   */
  public TenantSite serve(ApiClient operator) {
    return deploy(operator).awaitAvailable(operator);
  }

  /**
   * The webmaster deploys a first revision (the template's sample) unless there is one; the site's
   * pod starts meanwhile ({@link #awaitAvailable} waits for it).
   */
  public TenantSite deploy(ApiClient operator) {
    if (operator.get(path("")).json().getInteger("currentRevision") == null) {
      var deployed = webmaster.post(path("/deployments"), sampleDeployment(operator));
      if (deployed.status() != 201) {
        throw new AssertionError("revision not deployed: " + deployed.body());
      }
    }
    return this;
  }

  /** Returns once the site's condition Available is True: a pod of it Ready on the node. */
  public TenantSite awaitAvailable(ApiClient operator) {
    return awaitAvailable(operator, "True");
  }

  /** Returns once the site's condition Available has this status ("True", "False"). */
  public TenantSite awaitAvailable(ApiClient operator, String status) {
    try {
      Eventually.holds(
          "the site's condition Available " + status,
          () ->
              operator.get(path("")).json().getJsonArray("conditions").stream()
                  .map(JsonObject.class::cast)
                  .anyMatch(
                      c ->
                          c.getString("type").equals("Available")
                              && c.getString("status").equals(status)),
          POD_WAIT);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    return this;
  }

  /** The webmaster writes a content page at pages/{@code slug} in both languages. */
  public TenantSite withPage(String slug, String titleSw, String titleEn) {
    var written =
        webmaster.put(
            path("/content/pages/" + slug),
            new JsonObject()
                .put("title", new JsonObject().put("sw", titleSw).put("en", titleEn))
                .put("body", new JsonObject().put("sw", "Habari").put("en", "News")));
    if (written.status() != 200 && written.status() != 201) {
      throw new AssertionError("page not written: " + written.body());
    }
    return this;
  }

  public static TenantSite create(ApiClient operator, String siteName) {
    return create(operator, siteName, false);
  }

  /** A new institution with an approved site, given a PostgreSQL database when asked. */
  public static TenantSite create(ApiClient operator, String siteName, boolean database) {
    String code = SharedControlPlane.unique("s").toLowerCase();
    var created =
        operator.post(
            "/api/v1/institutions",
            new JsonObject()
                .put("code", code)
                .put("name", "Institution " + code)
                .put("nameSw", "Taasisi " + code)
                .put("domains", new JsonArray().add(code + ".go.tz"))
                .put("contactEmail", "ict@" + code + ".go.tz"));
    if (created.status() != 201) {
      throw new AssertionError("institution not created: " + created.body());
    }
    JsonObject institution = created.json();
    ApiClient admin = user(operator, institution, code + "-admin", "institution-admin");
    ApiClient webmaster = user(admin, institution, code + "-web", "webmaster");
    JsonObject asked =
        new JsonObject()
            .put("siteName", siteName)
            .put("hostnames", new JsonArray().add("www." + code + ".go.tz"))
            .put("plan", "small")
            .put("justification", "The institution's portal");
    if (database) {
      asked.put("database", new JsonObject().put("engine", "postgresql"));
    }
    var request = admin.post("/api/v1/requests", asked);
    if (request.status() != 201) {
      throw new AssertionError("request not created: " + request.body());
    }
    var approved =
        operator.post(
            "/api/v1/requests/" + request.json().getString("id") + "/approve", new JsonObject());
    if (approved.status() != 200) {
      throw new AssertionError("request not approved: " + approved.body());
    }
    return new TenantSite(
        institution, code, admin, webmaster, approved.json().getString("siteId"), siteName);
  }

  private static ApiClient user(
      ApiClient creator, JsonObject institution, String username, String role) {
    String password = "password-" + username;
    var r =
        creator.post(
            "/api/v1/institutions/" + institution.getString("id") + "/users",
            new JsonObject().put("username", username).put("password", password).put("role", role));
    if (r.status() != 201) {
      throw new AssertionError("user not created: " + r.body());
    }
    return ApiClient.signIn(creator.base(), username, password);
  }
}
