package io.wingu.controlplane.institutions;

import static io.wingu.controlplane.testing.SharedControlPlane.newInstitution;
import static io.wingu.controlplane.testing.SharedControlPlane.newInstitutionUser;
import static io.wingu.controlplane.testing.SharedControlPlane.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.SharedControlPlane;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Institutions and their users over HTTP, with tenant scoping. */
class InstitutionsApiIT {

  static ApiClient operator;

  @BeforeAll
  static void setUp() {
    operator = SharedControlPlane.operator();
  }

  private static JsonObject body(String code, String... domains) {
    return new JsonObject()
        .put("code", code)
        .put("name", "Ministry of Health")
        .put("nameSw", "Wizara ya Afya")
        .put("domains", new JsonArray(java.util.List.of(domains)))
        .put("contactEmail", "ict@" + code + ".go.tz");
  }

  @Test
  void anOperatorOnboardsAnInstitution() {
    String code = unique("moh");
    var r =
        operator.post(
            "/api/v1/institutions", body(code, code + ".go.tz", "afya-" + code + ".go.tz"));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    JsonObject inst = r.json();
    assertThat(inst.getString("code")).isEqualTo(code);
    assertThat(inst.getString("namespace")).isEqualTo("inst-" + code);
    assertThat(inst.getJsonArray("domains")).hasSize(2);
    var read = operator.get("/api/v1/institutions/" + inst.getString("id"));
    assertThat(read.json().getString("nameSw")).isEqualTo("Wizara ya Afya");
  }

  @Test
  void codesAndDomainsAreValidatedAndUnique() {
    assertThat(operator.post("/api/v1/institutions", body("A", "x.go.tz")).status()).isEqualTo(400);
    assertThat(operator.post("/api/v1/institutions", body("x".repeat(21), "x.go.tz")).status())
        .isEqualTo(400);
    assertThat(operator.post("/api/v1/institutions", body("has_underscore", "x.go.tz")).status())
        .isEqualTo(400);
    var badDomain = operator.post("/api/v1/institutions", body(unique("d"), "Not A Domain"));
    assertThat(badDomain.status()).isEqualTo(400);
    assertThat(badDomain.body()).contains("domains");
    var oneLabel = operator.post("/api/v1/institutions", body(unique("d"), "localhost"));
    assertThat(oneLabel.status()).isEqualTo(400);

    String code = unique("dup");
    assertThat(operator.post("/api/v1/institutions", body(code, code + ".go.tz")).status())
        .isEqualTo(201);
    assertThat(
            operator.post("/api/v1/institutions", body(code, "other-" + code + ".go.tz")).status())
        .isEqualTo(409);
    assertThat(operator.post("/api/v1/institutions", body(unique("x"), code + ".go.tz")).status())
        .isEqualTo(409);
    var missing = operator.post("/api/v1/institutions", new JsonObject().put("code", unique("m")));
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.json().getJsonArray("errors")).isNotEmpty();
  }

  @Test
  void institutionRolesSeeOnlyTheirOwnInstitution() {
    JsonObject a = newInstitution(operator);
    JsonObject b = newInstitution(operator);
    ApiClient adminA = newInstitutionUser(operator, a.getString("id"), "institution-admin");
    ApiClient webmasterA = newInstitutionUser(adminA, a.getString("id"), "webmaster");
    for (ApiClient c : new ApiClient[] {adminA, webmasterA}) {
      assertThat(c.get("/api/v1/institutions/" + a.getString("id")).status()).isEqualTo(200);
      var other = c.get("/api/v1/institutions/" + b.getString("id"));
      assertThat(other.status()).isEqualTo(404);
      assertThat(other.body()).doesNotContain(b.getString("code"));
      JsonArray items = c.get("/api/v1/institutions").json().getJsonArray("items");
      assertThat(items).hasSize(1);
      assertThat(items.getJsonObject(0).getString("id")).isEqualTo(a.getString("id"));
    }
    assertThat(
            webmasterA
                .post("/api/v1/institutions", body(unique("w"), unique("w") + ".go.tz"))
                .status())
        .isEqualTo(403);
    assertThat(operator.get("/api/v1/institutions/" + java.util.UUID.randomUUID()).status())
        .isEqualTo(404);
  }

  @Test
  void usersAreMadeByTheOperatorOrTheInstitutionsOwnAdmin() {
    JsonObject a = newInstitution(operator);
    JsonObject b = newInstitution(operator);
    ApiClient adminA = newInstitutionUser(operator, a.getString("id"), "institution-admin");
    ApiClient webmasterA = newInstitutionUser(adminA, a.getString("id"), "webmaster");
    assertThat(webmasterA.get("/api/v1/me").json().getString("institutionId"))
        .isEqualTo(a.getString("id"));

    JsonObject user =
        new JsonObject()
            .put("username", unique("u"))
            .put("password", "long-enough-password")
            .put("role", "webmaster");
    assertThat(adminA.post("/api/v1/institutions/" + b.getString("id") + "/users", user).status())
        .isEqualTo(404);
    assertThat(
            webmasterA.post("/api/v1/institutions/" + a.getString("id") + "/users", user).status())
        .isEqualTo(403);
    JsonObject operatorRole = user.copy().put("role", "operator");
    assertThat(
            adminA
                .post("/api/v1/institutions/" + a.getString("id") + "/users", operatorRole)
                .status())
        .isEqualTo(400);
    ApiClient auditor = SharedControlPlane.newPlatformUser("auditor");
    assertThat(auditor.get("/api/v1/institutions/" + b.getString("id")).status()).isEqualTo(200);
    assertThat(auditor.post("/api/v1/institutions/" + a.getString("id") + "/users", user).status())
        .isEqualTo(403);
  }

  @Test
  void listsArePaginatedByCode() {
    for (int i = 0; i < 3; i++) {
      newInstitution(operator);
    }
    var first = operator.get("/api/v1/institutions?limit=2");
    assertThat(first.json().getJsonArray("items")).hasSize(2);
    String cursor = first.json().getString("nextCursor");
    assertThat(cursor).isNotNull();
    var second = operator.get("/api/v1/institutions?limit=2&cursor=" + cursor);
    assertThat(second.json().getJsonArray("items").getJsonObject(0).getString("code"))
        .isGreaterThan(first.json().getJsonArray("items").getJsonObject(1).getString("code"));
  }

  /** A made-up top-level label no other test uses, so {@code go.<it>} is free to take. */
  private static String freshTld() {
    return unique("t").toLowerCase();
  }

  private static void refused(String domain) {
    var r = operator.post("/api/v1/institutions", body(unique("atk"), domain));
    assertThat(r.status()).as(domain + ": " + r.body()).isEqualTo(409);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.json().getString("detail")).contains("overlap");
  }

  @Test
  void aDomainContainingAnothersIsRefused() {
    String tld = freshTld();
    assertThat(operator.post("/api/v1/institutions", body(unique("moh"), "moh.go." + tld)).status())
        .isEqualTo(201);
    // the attack: the parent, then everything under it would be the attacker's
    refused("go." + tld);
    refused("GO." + tld.toUpperCase() + ".");
    refused("Go." + tld + ".");
    // neighbours that do not overlap are fine
    assertThat(operator.post("/api/v1/institutions", body(unique("tra"), "tra.go." + tld)).status())
        .isEqualTo(201);
    assertThat(operator.post("/api/v1/institutions", body(unique("am"), "amoh.go." + tld)).status())
        .isEqualTo(201);
  }

  @Test
  void aDomainEqualToOrInsideAnothersIsRefused() {
    String tld = freshTld();
    assertThat(operator.post("/api/v1/institutions", body(unique("gov"), "go." + tld)).status())
        .isEqualTo(201);
    refused("moh.go." + tld);
    refused("MOH.go." + tld + ".");
    refused("anything.moh.go." + tld);
    refused("go." + tld);
    refused("GO." + tld.toUpperCase());
    refused("go." + tld + ".");
    // one institution may hold a domain and names inside it
    var own =
        operator.post(
            "/api/v1/institutions",
            body(unique("own"), "own." + tld + "x", "www.own." + tld + "x"));
    assertThat(own.status()).as(own.body()).isEqualTo(201);
  }

  @Test
  void unicodeAndPunycodeSpellingsAreOneDomain() {
    String tld = freshTld();
    var created =
        operator.post("/api/v1/institutions", body(unique("idn"), "B\u00dcCHER.go." + tld + "."));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.json().getJsonArray("domains")).containsExactly("xn--bcher-kva.go." + tld);
    refused("xn--bcher-kva.go." + tld);
    refused("b\u00fccher.go." + tld);
    refused("shop.b\u00fccher.go." + tld);
    refused("go." + tld);
    // the ideographic full stop is a dot too
    refused("b\u00fccher\u3002go\u3002" + tld);
  }

  @Test
  void concurrentOnboardingsWithOverlappingDomainsNeverBothSucceed() throws Exception {
    var pool = java.util.concurrent.Executors.newFixedThreadPool(6);
    try {
      for (int round = 0; round < 5; round++) {
        String tld = freshTld();
        var domains =
            java.util.List.of(
                "go." + tld,
                "moh.go." + tld,
                "x.moh.go." + tld,
                "MOH.go." + tld + ".",
                "tra.go." + tld,
                "GO." + tld);
        java.util.List<java.util.concurrent.Callable<Integer>> calls = new java.util.ArrayList<>();
        for (String d : domains) {
          calls.add(() -> operator.post("/api/v1/institutions", body(unique("race"), d)).status());
        }
        java.util.List<Integer> statuses = new java.util.ArrayList<>();
        for (var f : pool.invokeAll(calls)) {
          statuses.add(f.get());
        }
        // tra.go.x and moh.go.x may both win (siblings) unless go.x did; never two overlapping ones
        assertThat(statuses).as("round %d", round).containsOnly(201, 409);
        java.util.List<String> won = new java.util.ArrayList<>();
        for (int i = 0; i < domains.size(); i++) {
          if (statuses.get(i) == 201) {
            won.add(DnsNames.normalise(domains.get(i)));
          }
        }
        assertThat(won).as("round %d", round).isNotEmpty();
        for (int a = 0; a < won.size(); a++) {
          for (int b = a + 1; b < won.size(); b++) {
            assertThat(DnsNames.overlap(won.get(a), won.get(b)))
                .as("round %d: %s and %s both delegated", round, won.get(a), won.get(b))
                .isFalse();
          }
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
