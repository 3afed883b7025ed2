package io.wingu.controlplane.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

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

  public static TenantSite create(ApiClient operator, String siteName) {
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
    var request =
        admin.post(
            "/api/v1/requests",
            new JsonObject()
                .put("siteName", siteName)
                .put("hostnames", new JsonArray().add("www." + code + ".go.tz"))
                .put("plan", "small")
                .put("justification", "The institution's portal"));
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
