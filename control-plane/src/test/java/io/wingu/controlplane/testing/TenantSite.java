package io.wingu.controlplane.testing;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
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

  public String namespace() {
    return "inst-" + code;
  }

  public String path(String rest) {
    return "/api/v1/sites/" + siteId + rest;
  }

  /**
   * Makes the site served on the shared control plane, which has an API server but no node: the
   * webmaster deploys a first revision (the template's sample) unless there is one, and its
   * Deployment is given the status a controller and a kubelet would write for one available
   * replica. Returns once the reconciler has said Available, as it does for a real pod; call it
   * again after anything that rolls the Deployment (suspending and resuming).
   */
  public TenantSite serve(ApiClient operator) {
    if (operator.get(path("")).json().getInteger("currentRevision") == null) {
      JsonObject example =
          operator.get("/api/v1/templates").array().stream()
              .map(JsonObject.class::cast)
              .filter(t -> t.getString("id").equals("minimal-landing"))
              .findFirst()
              .orElseThrow()
              .getJsonObject("example");
      var deployed =
          webmaster.post(
              path("/deployments"),
              new JsonObject().put("templateId", "minimal-landing").put("parameters", example));
      if (deployed.status() != 201) {
        throw new AssertionError("revision not deployed: " + deployed.body());
      }
    }
    try (KubernetesClient k = TestCluster.adminClient()) {
      var deployment = k.apps().deployments().inNamespace(namespace()).withName(siteName);
      Eventually.holds(
          "the site's Deployment asks for a replica",
          () -> {
            Deployment d = deployment.get();
            return d != null && d.getSpec().getReplicas() != null && d.getSpec().getReplicas() > 0;
          },
          Duration.ofSeconds(30));
      deployment.editStatus(
          d ->
              new DeploymentBuilder(d)
                  .editOrNewStatus()
                  .withObservedGeneration(d.getMetadata().getGeneration())
                  .withReplicas(1)
                  .withReadyReplicas(1)
                  .withAvailableReplicas(1)
                  .withUpdatedReplicas(1)
                  .endStatus()
                  .build());
    } catch (Exception e) {
      throw new AssertionError("the site's Deployment not marked available", e);
    }
    try {
      Eventually.holds(
          "the site Available",
          () ->
              operator.get(path("")).json().getJsonArray("conditions").stream()
                  .map(JsonObject.class::cast)
                  .anyMatch(
                      c ->
                          c.getString("type").equals("Available")
                              && c.getString("status").equals("True")),
          Duration.ofSeconds(30));
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
