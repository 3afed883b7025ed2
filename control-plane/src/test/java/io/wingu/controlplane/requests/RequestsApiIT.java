package io.wingu.controlplane.requests;

import static io.wingu.controlplane.testing.SharedControlPlane.newInstitution;
import static io.wingu.controlplane.testing.SharedControlPlane.newInstitutionUser;
import static io.wingu.controlplane.testing.SharedControlPlane.siteRequest;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.LegacyDelegations;
import io.wingu.controlplane.testing.SharedControlPlane;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The request → approval workflow over HTTP, on real PostgreSQL. */
class RequestsApiIT {

  static ApiClient operator;
  static JsonObject institution;
  static ApiClient admin;
  static ApiClient webmaster;

  @BeforeAll
  static void setUp() {
    operator = SharedControlPlane.operator();
    institution = newInstitution(operator);
    admin = newInstitutionUser(operator, institution.getString("id"), "institution-admin");
    webmaster = newInstitutionUser(admin, institution.getString("id"), "webmaster");
  }

  private static JsonObject submit(String siteName) {
    var r = admin.post("/api/v1/requests", siteRequest(institution, siteName));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json();
  }

  @Test
  void anAdminSubmitsAndAnOperatorApprovesCreatingASite() {
    JsonObject req = submit("portal");
    assertThat(req.getString("status")).isEqualTo("PENDING");
    assertThat(req.getString("plan")).isEqualTo("small");
    assertThat(req.getJsonObject("quota").getString("cpu")).isEqualTo("500m");
    assertThat(req.getJsonArray("history")).hasSize(1);

    var approved =
        operator.post("/api/v1/requests/" + req.getString("id") + "/approve", new JsonObject());
    assertThat(approved.status()).as(approved.body()).isEqualTo(200);
    assertThat(approved.json().getString("status")).isEqualTo("APPROVED");
    assertThat(approved.json().getString("siteId")).isNotBlank();

    var read = webmaster.get("/api/v1/requests/" + req.getString("id"));
    assertThat(read.status()).isEqualTo(200);
    JsonArray history = read.json().getJsonArray("history");
    assertThat(history).hasSize(2);
    assertThat(history.getJsonObject(1).getString("status")).isEqualTo("APPROVED");
    assertThat(history.getJsonObject(1).getString("actor")).isEqualTo("operator");

    var again =
        operator.post(
            "/api/v1/requests/" + req.getString("id") + "/reject",
            new JsonObject().put("reason", "too late"));
    assertThat(again.status()).isEqualTo(409);
  }

  @Test
  void anOverrideNeedsANote() {
    JsonObject req = submit("overrides");
    String path = "/api/v1/requests/" + req.getString("id") + "/approve";
    var noNote =
        operator.post(path, new JsonObject().put("overrides", new JsonObject().put("cpu", "2")));
    assertThat(noNote.status()).isEqualTo(400);
    assertThat(noNote.json().getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("note");
    var withNote =
        operator.post(
            path,
            new JsonObject()
                .put("note", "budget allows more")
                .put("overrides", new JsonObject().put("cpu", "2").put("memory", "1Gi")));
    assertThat(withNote.status()).as(withNote.body()).isEqualTo(200);
    assertThat(withNote.json().getJsonObject("quota").getString("cpu")).isEqualTo("2");
    assertThat(withNote.json().getJsonObject("quota").getString("memory")).isEqualTo("1Gi");
  }

  @Test
  void aRejectionNeedsAReasonAndACancelOnlyWhilePending() {
    JsonObject req = submit("rejected");
    String id = req.getString("id");
    assertThat(
            operator
                .post("/api/v1/requests/" + id + "/reject", new JsonObject().put("reason", "   "))
                .status())
        .isEqualTo(400);
    assertThat(operator.post("/api/v1/requests/" + id + "/reject", new JsonObject()).status())
        .isEqualTo(400);
    var rejected =
        operator.post(
            "/api/v1/requests/" + id + "/reject",
            new JsonObject().put("reason", "duplicate of portal"));
    assertThat(rejected.json().getString("status")).isEqualTo("REJECTED");
    assertThat(admin.post("/api/v1/requests/" + id + "/cancel", null).status()).isEqualTo(409);

    JsonObject other = submit("cancelled");
    var cancelled = admin.post("/api/v1/requests/" + other.getString("id") + "/cancel", null);
    assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
    assertThat(cancelled.json().getString("status")).isEqualTo("CANCELLED");
  }

  @Test
  void concurrentApproveAndRejectHaveExactlyOneWinner() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (int round = 0; round < 5; round++) {
        String id = submit("race" + round).getString("id");
        List<Callable<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          calls.add(
              () ->
                  operator.post("/api/v1/requests/" + id + "/approve", new JsonObject()).status());
          calls.add(
              () ->
                  operator
                      .post(
                          "/api/v1/requests/" + id + "/reject",
                          new JsonObject().put("reason", "no"))
                      .status());
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> f : pool.invokeAll(calls)) {
          statuses.add(f.get());
        }
        assertThat(statuses).as("round %d", round).containsOnly(200, 409);
        assertThat(statuses.stream().filter(s -> s == 200)).as("round %d", round).hasSize(1);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void hostnamesMustBeInsideTheInstitutionsDomains() {
    JsonObject body =
        siteRequest(institution, "outside").put("hostnames", new JsonArray().add("www.moh.go.tz"));
    var r = admin.post("/api/v1/requests", body);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("hostnames[0]");
  }

  @Test
  void aHostnameOfALiveSiteAndADuplicateNameAreConflicts() {
    JsonObject req = submit("claimed");
    assertThat(
            operator
                .post("/api/v1/requests/" + req.getString("id") + "/approve", new JsonObject())
                .status())
        .isEqualTo(200);
    JsonObject sameHost =
        siteRequest(institution, "another").put("hostnames", req.getJsonArray("hostnames"));
    assertThat(admin.post("/api/v1/requests", sameHost).status()).isEqualTo(409);
    assertThat(admin.post("/api/v1/requests", siteRequest(institution, "claimed")).status())
        .isEqualTo(409);
    submit("pendingname");
    assertThat(admin.post("/api/v1/requests", siteRequest(institution, "pendingname")).status())
        .isEqualTo(409);
  }

  @Test
  void unknownPlanAndTemplateAreNamed() {
    var r =
        admin.post(
            "/api/v1/requests",
            siteRequest(institution, "unknowns")
                .put("plan", "gigantic")
                .put("templateId", "no-such-template"));
    assertThat(r.status()).isEqualTo(400);
    assertThat(
            r.json().getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("field")))
        .contains("plan", "templateId");
    var db =
        admin.post(
            "/api/v1/requests",
            siteRequest(institution, "dbplan")
                .put("database", new JsonObject().put("engine", "postgresql").put("plan", "huge")));
    assertThat(db.status()).isEqualTo(400);
    assertThat(db.json().getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("database.plan");
  }

  @Test
  void badInputIsRefusedNamingTheField() {
    var badName = admin.post("/api/v1/requests", siteRequest(institution, "9starts-with-digit"));
    assertThat(badName.status()).isEqualTo(400);
    assertThat(badName.contentType()).startsWith("application/problem+json");
    assertThat(badName.body()).contains("siteName");
    var tooLong = admin.post("/api/v1/requests", siteRequest(institution, "a".repeat(41)));
    assertThat(tooLong.status()).isEqualTo(400);
    var unknownField =
        admin.post("/api/v1/requests", siteRequest(institution, "extra").put("colour", "red"));
    assertThat(unknownField.status()).isEqualTo(400);
    assertThat(unknownField.body()).contains("colour");
    var missing = admin.post("/api/v1/requests", siteRequest(institution, "missing").copy());
    missing = admin.post("/api/v1/requests", new JsonObject().put("siteName", "missing"));
    assertThat(missing.status()).isEqualTo(400);
    var wrongType =
        admin.post(
            "/api/v1/requests", siteRequest(institution, "types").put("hostnames", "one.go.tz"));
    assertThat(wrongType.status()).isEqualTo(400);
    assertThat(wrongType.body()).contains("hostnames");
    var malformed = admin.postRaw("/api/v1/requests", "{\"siteName\": ", "application/json");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.contentType()).startsWith("application/problem+json");
    var justification =
        admin.post(
            "/api/v1/requests",
            siteRequest(institution, "longwhy").put("justification", "x".repeat(4001)));
    assertThat(justification.status()).isEqualTo(400);
    var huge =
        admin.postRaw(
            "/api/v1/requests",
            "{\"justification\": \"" + "x".repeat(1024 * 1024 + 10) + "\"}",
            "application/json");
    assertThat(huge.status()).isEqualTo(413);
    assertThat(huge.contentType()).startsWith("application/problem+json");
  }

  @Test
  void roleRules() {
    assertThat(operator.post("/api/v1/requests", siteRequest(institution, "byoperator")).status())
        .isEqualTo(403);
    assertThat(webmaster.post("/api/v1/requests", siteRequest(institution, "bywebmaster")).status())
        .isEqualTo(403);
    JsonObject req = submit("roles");
    String id = req.getString("id");
    assertThat(admin.post("/api/v1/requests/" + id + "/approve", new JsonObject()).status())
        .isEqualTo(403);
    assertThat(
            webmaster
                .post("/api/v1/requests/" + id + "/reject", new JsonObject().put("reason", "x"))
                .status())
        .isEqualTo(403);
    assertThat(operator.post("/api/v1/requests/" + id + "/cancel", null).status()).isEqualTo(403);
    ApiClient auditor = SharedControlPlane.newPlatformUser("auditor");
    assertThat(auditor.get("/api/v1/requests/" + id).status()).isEqualTo(200);
    assertThat(auditor.post("/api/v1/requests/" + id + "/approve", new JsonObject()).status())
        .isEqualTo(403);
    assertThat(ApiClient.anonymous(SharedControlPlane.url()).get("/api/v1/requests").status())
        .isEqualTo(401);
  }

  @Test
  void anotherInstitutionsRequestsAreNotFound() {
    JsonObject mine = submit("private");
    JsonObject otherInstitution = newInstitution(operator);
    ApiClient otherAdmin =
        newInstitutionUser(operator, otherInstitution.getString("id"), "institution-admin");
    String id = mine.getString("id");
    assertThat(otherAdmin.get("/api/v1/requests/" + id).status()).isEqualTo(404);
    assertThat(otherAdmin.post("/api/v1/requests/" + id + "/cancel", null).status()).isEqualTo(404);
    var list = otherAdmin.get("/api/v1/requests");
    assertThat(list.json().getJsonArray("items")).isEmpty();
    var pendingForOperator = operator.get("/api/v1/requests?status=PENDING&limit=500");
    assertThat(
            pendingForOperator.json().getJsonArray("items").stream()
                .map(o -> ((JsonObject) o).getString("id")))
        .contains(id);
  }

  @Test
  void listsArePaginatedNewestFirst() {
    JsonObject inst = newInstitution(operator);
    ApiClient a = newInstitutionUser(operator, inst.getString("id"), "institution-admin");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(0, a.post("/api/v1/requests", siteRequest(inst, "page" + i)).json().getString("id"));
    }
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      var r = a.get("/api/v1/requests?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
      assertThat(r.status()).isEqualTo(200);
      r.json().getJsonArray("items").forEach(o -> seen.add(((JsonObject) o).getString("id")));
      cursor = r.json().getString("nextCursor");
      pages++;
    } while (cursor != null);
    assertThat(seen).containsExactlyElementsOf(ids);
    assertThat(pages).isEqualTo(3);
    assertThat(a.get("/api/v1/requests?limit=501").status()).isEqualTo(400);
    assertThat(a.get("/api/v1/requests?limit=0").status()).isEqualTo(400);
    assertThat(a.get("/api/v1/requests?cursor=not-a-cursor").status()).isEqualTo(400);
    assertThat(a.get("/api/v1/requests?status=WHATEVER").status()).isEqualTo(400);
  }

  private static JsonObject institutionWith(String domain) {
    String code = SharedControlPlane.unique("d").toLowerCase();
    var r =
        operator.post(
            "/api/v1/institutions",
            new JsonObject()
                .put("code", code)
                .put("name", "Institution " + code)
                .put("domains", new JsonArray().add(domain))
                .put("contactEmail", "ict@" + code + ".go.tz"));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json();
  }

  private static JsonObject asking(String siteName, String... hostnames) {
    return new JsonObject()
        .put("siteName", siteName)
        .put("hostnames", new JsonArray(List.of(hostnames)))
        .put("plan", "small")
        .put("justification", "a site");
  }

  @Test
  void underLegacyOverlappingDomainsAHostnameIsTheHolderOfTheMostSpecificOne() throws Exception {
    String tld = SharedControlPlane.unique("t").toLowerCase();
    JsonObject moh = institutionWith("moh.go." + tld);
    JsonObject gov = newInstitution(operator);
    // from before overlaps were refused: gov also holds go.<tld>, which contains moh's domain
    LegacyDelegations.insert(SharedControlPlane.env(), gov.getString("id"), "go." + tld);
    ApiClient govAdmin = newInstitutionUser(operator, gov.getString("id"), "institution-admin");
    ApiClient mohAdmin = newInstitutionUser(operator, moh.getString("id"), "institution-admin");

    for (String attack :
        List.of(
            "anything.moh.go." + tld,
            "ANYTHING.Moh.go." + tld + ".",
            "moh.go." + tld,
            "a.b.moh.go." + tld)) {
      var r = govAdmin.post("/api/v1/requests", asking("takeover", "www.go." + tld, attack));
      assertThat(r.status()).as(attack + ": " + r.body()).isEqualTo(400);
      assertThat(r.json().getJsonArray("errors")).hasSize(1);
      assertThat(r.json().getJsonArray("errors").getJsonObject(0).getString("field"))
          .isEqualTo("hostnames[1]");
    }
    // what is only under its own domain is still the holder's, in one spelling
    var own = govAdmin.post("/api/v1/requests", asking("portal", "WWW.go." + tld + "."));
    assertThat(own.status()).as(own.body()).isEqualTo(201);
    assertThat(own.json().getJsonArray("hostnames")).containsExactly("www.go." + tld);
    var rightful = mohAdmin.post("/api/v1/requests", asking("portal", "anything.moh.go." + tld));
    assertThat(rightful.status()).as(rightful.body()).isEqualTo(201);
  }

  @Test
  void aRequestWhoseHostnameStoppedBeingTheInstitutionsIsNotApproved() throws Exception {
    String tld = SharedControlPlane.unique("t").toLowerCase();
    JsonObject gov = institutionWith("go." + tld);
    ApiClient govAdmin = newInstitutionUser(operator, gov.getString("id"), "institution-admin");
    var stored = govAdmin.post("/api/v1/requests", asking("early", "x.moh.go." + tld));
    assertThat(stored.status()).as(stored.body()).isEqualTo(201);
    // then moh.go.<tld> goes to another institution (legacy data: the API refuses it now)
    JsonObject moh = newInstitution(operator);
    assertThat(
            operator
                .post(
                    "/api/v1/institutions",
                    new JsonObject()
                        .put("code", SharedControlPlane.unique("m"))
                        .put("name", "Wizara")
                        .put("domains", new JsonArray().add("moh.go." + tld))
                        .put("contactEmail", "a@b.tz"))
                .status())
        .isEqualTo(409);
    LegacyDelegations.insert(SharedControlPlane.env(), moh.getString("id"), "moh.go." + tld);

    String path = "/api/v1/requests/" + stored.json().getString("id");
    var approval = operator.post(path + "/approve", new JsonObject());
    assertThat(approval.status()).as(approval.body()).isEqualTo(409);
    assertThat(approval.json().getString("detail")).contains("x.moh.go." + tld);
    JsonObject after = operator.get(path).json();
    assertThat(after.getString("status")).isEqualTo("PENDING");
    assertThat(after.getString("siteId")).isNull();
  }
}
