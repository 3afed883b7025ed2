package io.wingu.controlplane.people;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.FreePort;
import io.wingu.controlplane.testing.SharedControlPlane;
import io.wingu.controlplane.testing.TenantSite;
import io.wingu.controlplane.testing.TestControlPlane;
import io.wingu.controlplane.wiring.ControlPlane;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle of people's accounts on a real control plane and PostgreSQL: the sessions a person
 * sees and ends, a password change, disabling (every session and token stops at once), enabling,
 * removing, a one-time reset code, an operator ending all of someone's sessions, and the refusals
 * (another institution's admin, a webmaster, oneself, a weak or breached password, a wrong code). A
 * password change ends sessions but not the person's deploy tokens (they belong to pipelines); a
 * disabling ends both, on every replica at its very next request.
 */
class PeopleIT {

  private static ApiClient operator;
  private static JsonObject institution;
  private static ApiClient admin;

  @BeforeAll
  static void institution() {
    operator = SharedControlPlane.operator();
    institution = SharedControlPlane.newInstitution(operator);
    admin = SharedControlPlane.newInstitutionUser(operator, id(institution), "institution-admin");
  }

  private static String id(JsonObject o) {
    return o.getString("id");
  }

  /** A new webmaster of the institution: its id, name and password. */
  private record Person(String id, String username, String password) {
    ApiClient signIn() {
      return ApiClient.signIn(SharedControlPlane.url(), username, password);
    }

    ApiClient.Response login() {
      return ApiClient.anonymous(SharedControlPlane.url())
          .post(
              "/api/v1/auth/login",
              new JsonObject().put("username", username).put("password", password));
    }
  }

  private static Person newPerson(ApiClient by, JsonObject in) {
    String username = SharedControlPlane.unique("ppl").toLowerCase();
    String password = "password-" + username;
    var r =
        by.post(
            "/api/v1/institutions/" + id(in) + "/users",
            new JsonObject()
                .put("username", username)
                .put("password", password)
                .put("role", "webmaster"));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return new Person(r.json().getString("id"), username, password);
  }

  private static List<JsonObject> sessions(ApiClient client) {
    var r = client.get("/api/v1/me/sessions");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json().getJsonArray("items").stream().map(JsonObject.class::cast).toList();
  }

  private static boolean works(ApiClient client) {
    return client.get("/api/v1/me").status() == 200;
  }

  @Test
  void aPersonSeesTheirSessionsAndEndsOneOrAllOthers() {
    Person p = newPerson(admin, institution);
    ApiClient laptop = p.signIn();
    ApiClient phone = p.signIn();
    ApiClient tablet = p.signIn();

    List<JsonObject> seen = sessions(laptop);
    assertThat(seen).hasSize(3).allMatch(s -> s.getString("kind").equals("api"));
    assertThat(seen).filteredOn(s -> s.getBoolean("current")).hasSize(1);
    assertThat(seen)
        .allMatch(s -> s.getString("address") != null && s.getString("createdAt") != null)
        .allMatch(s -> s.getString("userAgent") != null);

    String phoneId =
        sessions(phone).stream()
            .filter(s -> s.getBoolean("current"))
            .findFirst()
            .orElseThrow()
            .getString("id");
    assertThat(laptop.delete("/api/v1/me/sessions/" + phoneId).status()).isEqualTo(204);
    assertThat(works(phone)).as("the ended session gets 401 at once").isFalse();
    assertThat(laptop.delete("/api/v1/me/sessions/" + phoneId).status()).isEqualTo(404);

    var others = laptop.post("/api/v1/me/sessions/others/end", new JsonObject());
    assertThat(others.status()).as(others.body()).isEqualTo(200);
    assertThat(others.json().getInteger("ended")).isEqualTo(1);
    assertThat(works(tablet)).isFalse();
    assertThat(works(laptop)).as("the session that asked stays").isTrue();
    assertThat(sessions(laptop)).hasSize(1);

    // nobody ends another person's session by its id
    Person stranger = newPerson(admin, institution);
    String laptopId = sessions(laptop).get(0).getString("id");
    assertThat(stranger.signIn().delete("/api/v1/me/sessions/" + laptopId).status()).isEqualTo(404);
    assertThat(works(laptop)).isTrue();
  }

  @Test
  void changingThePasswordNeedsTheCurrentOneAndEndsEveryOtherSession() {
    Person p = newPerson(admin, institution);
    ApiClient here = p.signIn();
    ApiClient elsewhere = p.signIn();

    var wrong =
        here.post(
            "/api/v1/me/password",
            new JsonObject().put("current", "not-the-password").put("new", "a-new-long-secret"));
    assertThat(wrong.status()).isEqualTo(400);
    assertThat(wrong.body()).contains("current");

    var breached =
        here.post(
            "/api/v1/me/password",
            new JsonObject().put("current", p.password()).put("new", "123qweasdzxc"));
    assertThat(breached.status()).isEqualTo(400);
    assertThat(breached.body()).contains("breaches");

    String newPassword = "a-new-long-secret-" + p.username();
    var changed =
        here.post(
            "/api/v1/me/password",
            new JsonObject().put("current", p.password()).put("new", newPassword));
    assertThat(changed.status()).as(changed.body()).isEqualTo(204);
    assertThat(works(elsewhere)).as("the other session ended").isFalse();
    assertThat(works(here)).isTrue();
    assertThat(p.login().status()).isEqualTo(401);
    assertThat(new Person(p.id(), p.username(), newPassword).login().status()).isEqualTo(200);
  }

  @Test
  void aDisabledPersonsSessionsAndDeployTokensStopAtOnceAndSignInIsRefused() {
    TenantSite site = TenantSite.create(operator, "people");
    ApiClient pipeline = ApiClient.withToken(SharedControlPlane.url(), deployToken(site));
    assertThat(pipeline.get(site.path("/deployments")).status()).isEqualTo(200);
    assertThat(works(site.webmaster())).isTrue();
    String webmasterId = webmasterId(site);

    // the webmaster's own deploy token is listed among their sessions
    assertThat(sessions(site.webmaster()))
        .anyMatch(
            s -> s.getString("kind").equals("deploy-token") && s.getString("name").equals("ci"));

    // another institution's admin does not see them; a webmaster may not; nobody disables himself
    assertThat(admin.post("/api/v1/users/" + webmasterId + "/disable", new JsonObject()).status())
        .isEqualTo(404);
    assertThat(
            site.webmaster()
                .post("/api/v1/users/" + webmasterId + "/disable", new JsonObject())
                .status())
        .isEqualTo(403);

    var disabled = site.admin().post("/api/v1/users/" + webmasterId + "/disable", new JsonObject());
    assertThat(disabled.status()).as(disabled.body()).isEqualTo(200);
    assertThat(disabled.json().getBoolean("disabled")).isTrue();
    assertThat(works(site.webmaster())).isFalse();
    assertThat(pipeline.get(site.path("/deployments")).status()).isEqualTo(401);
    var login =
        ApiClient.anonymous(SharedControlPlane.url())
            .post(
                "/api/v1/auth/login",
                new JsonObject()
                    .put("username", site.code() + "-web")
                    .put("password", "password-" + site.code() + "-web"));
    assertThat(login.status()).isEqualTo(403);
    assertThat(login.json().getString("detail")).contains("disabled");

    var listed = site.admin().get("/api/v1/institutions/" + id(site.institution()) + "/users");
    assertThat(listed.array().stream().map(JsonObject.class::cast))
        .anyMatch(u -> u.getString("id").equals(webmasterId) && u.getBoolean("disabled"));

    var enabled = site.admin().post("/api/v1/users/" + webmasterId + "/enable", new JsonObject());
    assertThat(enabled.status()).as(enabled.body()).isEqualTo(200);
    assertThat(enabled.json().getBoolean("disabled")).isFalse();
    assertThat(works(site.webmaster())).as("ended sessions stay ended").isFalse();
    assertThat(pipeline.get(site.path("/deployments")).status()).isEqualTo(401);
    assertThat(
            ApiClient.anonymous(SharedControlPlane.url())
                .post(
                    "/api/v1/auth/login",
                    new JsonObject()
                        .put("username", site.code() + "-web")
                        .put("password", "password-" + site.code() + "-web"))
                .status())
        .isEqualTo(200);

    var audit = operator.get("/api/v1/audit?institutionId=" + id(site.institution()));
    assertThat(audit.body()).contains("account.disable").contains("account.enable");
  }

  /** A deploy token of the site's webmaster (scope {@code deploy}, 30 days): its secret. */
  private static String deployToken(TenantSite site) {
    var token =
        site.webmaster()
            .post(
                site.path("/tokens"),
                new JsonObject()
                    .put("name", "ci")
                    .put("scopes", new JsonArray().add("deploy"))
                    .put("expiresAt", Instant.now().plus(30, ChronoUnit.DAYS).toString()));
    assertThat(token.status()).as(token.body()).isEqualTo(201);
    return token.json().getString("token");
  }

  private static String webmasterId(TenantSite site) {
    return site
        .admin()
        .get("/api/v1/institutions/" + id(site.institution()) + "/users")
        .array()
        .stream()
        .map(JsonObject.class::cast)
        .filter(u -> u.getString("role").equals("webmaster"))
        .findFirst()
        .orElseThrow()
        .getString("id");
  }

  @Test
  void aPasswordChangeEndsTheOtherSessionsButThePipelinesDeployTokensKeepWorking() {
    TenantSite site = TenantSite.create(operator, "pwd");
    ApiClient pipeline = ApiClient.withToken(SharedControlPlane.url(), deployToken(site));
    String password = "password-" + site.code() + "-web";
    ApiClient elsewhere =
        ApiClient.signIn(SharedControlPlane.url(), site.code() + "-web", password);

    var changed =
        site.webmaster()
            .post(
                "/api/v1/me/password",
                new JsonObject().put("current", password).put("new", "rotated-" + password));
    assertThat(changed.status()).as(changed.body()).isEqualTo(204);
    assertThat(works(elsewhere)).as("the other sign-in ended").isFalse();
    assertThat(pipeline.get(site.path("/deployments")).status())
        .as("the deploy token was never the password's")
        .isEqualTo(200);
    assertThat(sessions(site.webmaster()))
        .anyMatch(t -> t.getString("kind").equals("deploy-token"));
  }

  /**
   * Two replicas on one database: tokens the second replica has just accepted are refused by it at
   * their very next request once the first disables the person (no replica keeps an answer of its
   * own), and the person's console sign-in there too.
   */
  @Test
  void aPersonDisabledOnOneReplicaIsRefusedAtTheNextRequestOnAnother() {
    Map<String, String> env = new HashMap<>(SharedControlPlane.env());
    env.put("WINGU_HTTP_PORT", String.valueOf(FreePort.find()));
    TenantSite site = TenantSite.create(operator, "replica");
    String secret = deployToken(site);
    try (ControlPlane b = TestControlPlane.start(env)) {
      ApiClient webmasterOnB = ApiClient.withToken(b.url(), site.webmaster().token());
      ApiClient pipelineOnB = ApiClient.withToken(b.url(), secret);
      ApiClient signedInOnB =
          ApiClient.signIn(b.url(), site.code() + "-web", "password-" + site.code() + "-web");
      assertThat(works(webmasterOnB)).isTrue();
      assertThat(works(signedInOnB)).isTrue();
      assertThat(pipelineOnB.get(site.path("/deployments")).status()).isEqualTo(200);

      var disabled =
          site.admin().post("/api/v1/users/" + webmasterId(site) + "/disable", new JsonObject());
      assertThat(disabled.status()).as(disabled.body()).isEqualTo(200);

      assertThat(webmasterOnB.get("/api/v1/me").status()).isEqualTo(401);
      assertThat(signedInOnB.get("/api/v1/me").status()).isEqualTo(401);
      assertThat(pipelineOnB.get(site.path("/deployments")).status()).isEqualTo(401);
    }
  }

  @Test
  void administratorsDoNotActOnTheirOwnAccount() {
    String adminId =
        admin.get("/api/v1/institutions/" + id(institution) + "/users").array().stream()
            .map(JsonObject.class::cast)
            .filter(u -> u.getString("role").equals("institution-admin"))
            .findFirst()
            .orElseThrow()
            .getString("id");
    var self = admin.post("/api/v1/users/" + adminId + "/disable", new JsonObject());
    assertThat(self.status()).isEqualTo(409);
    assertThat(self.json().getString("code")).isEqualTo("account-self");
  }

  @Test
  void aRemovedPersonCannotSignInAndIsNoLongerListed() {
    Person p = newPerson(admin, institution);
    ApiClient session = p.signIn();
    assertThat(admin.delete("/api/v1/users/" + p.id()).status()).isEqualTo(204);
    assertThat(works(session)).isFalse();
    assertThat(p.login().status()).isEqualTo(401);
    assertThat(admin.get("/api/v1/institutions/" + id(institution) + "/users").body())
        .doesNotContain(p.username());
    assertThat(admin.delete("/api/v1/users/" + p.id()).status()).isEqualTo(404);
  }

  @Test
  void aResetCodeSetsANewPasswordOnceAndEndsTheSessions() {
    Person p = newPerson(admin, institution);
    ApiClient before = p.signIn();
    var issued = admin.post("/api/v1/users/" + p.id() + "/reset", new JsonObject());
    assertThat(issued.status()).as(issued.body()).isEqualTo(200);
    String code = issued.json().getString("code");
    assertThat(Instant.parse(issued.json().getString("expiresAt"))).isAfter(Instant.now());
    assertThat(issued.body()).doesNotContain(p.password());

    ApiClient anyone = ApiClient.anonymous(SharedControlPlane.url());
    String newPassword = "reset-password-" + p.username();
    var wrong =
        anyone.post(
            "/api/v1/auth/reset",
            new JsonObject()
                .put("username", p.username())
                .put("code", "AAAAA-BBBBB-CCCCC-DDDDD")
                .put("newPassword", newPassword));
    assertThat(wrong.status()).isEqualTo(400);
    assertThat(wrong.body()).contains("code");

    var done =
        anyone.post(
            "/api/v1/auth/reset",
            new JsonObject()
                .put("username", p.username())
                .put("code", code.toLowerCase(java.util.Locale.ROOT))
                .put("newPassword", newPassword));
    assertThat(done.status()).as(done.body()).isEqualTo(204);
    assertThat(works(before)).isFalse();
    assertThat(new Person(p.id(), p.username(), newPassword).login().status()).isEqualTo(200);

    var again =
        anyone.post(
            "/api/v1/auth/reset",
            new JsonObject()
                .put("username", p.username())
                .put("code", code)
                .put("newPassword", "yet-another-password-1"));
    assertThat(again.status()).as("a code works once").isEqualTo(400);
  }

  @Test
  void anOperatorEndsEverySessionOfAnAccountButAnInstitutionAdminMayNot() {
    Person p = newPerson(admin, institution);
    ApiClient one = p.signIn();
    ApiClient two = p.signIn();
    assertThat(admin.post("/api/v1/users/" + p.id() + "/sessions/end", new JsonObject()).status())
        .isEqualTo(403);
    var ended = operator.post("/api/v1/users/" + p.id() + "/sessions/end", new JsonObject());
    assertThat(ended.status()).as(ended.body()).isEqualTo(200);
    assertThat(ended.json().getInteger("ended")).isEqualTo(2);
    assertThat(works(one)).isFalse();
    assertThat(works(two)).isFalse();
    assertThat(p.login().status()).as("the account itself still works").isEqualTo(200);
  }

  @Test
  void theInstitutionsPeopleAreListedForItsAdminOperatorsAndAuditorsOnly() {
    Person p = newPerson(admin, institution);
    p.signIn();
    var listed = admin.get("/api/v1/institutions/" + id(institution) + "/users");
    assertThat(listed.status()).isEqualTo(200);
    JsonObject row =
        listed.array().stream()
            .map(JsonObject.class::cast)
            .filter(u -> u.getString("username").equals(p.username()))
            .findFirst()
            .orElseThrow();
    assertThat(row.getBoolean("disabled")).isFalse();
    assertThat(row.getString("createdAt")).isNotNull();
    assertThat(row.getString("lastSignInAt")).isNotNull();
    assertThat(operator.get("/api/v1/institutions/" + id(institution) + "/users").status())
        .isEqualTo(200);
    assertThat(p.signIn().get("/api/v1/institutions/" + id(institution) + "/users").status())
        .isEqualTo(403);
    JsonObject other = SharedControlPlane.newInstitution(operator);
    assertThat(admin.get("/api/v1/institutions/" + id(other) + "/users").status()).isEqualTo(404);
  }
}
