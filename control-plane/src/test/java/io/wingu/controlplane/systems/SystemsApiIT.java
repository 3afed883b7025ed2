package io.wingu.controlplane.systems;

import static io.wingu.controlplane.testing.SharedControlPlane.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.SharedControlPlane;
import io.wingu.controlplane.testing.TestControlPlane;
import io.wingu.controlplane.wiring.ControlPlane;
import java.net.URI;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ICT systems register over HTTP: who may read and write it, its rules, overdue reviews,
 * duplicates.
 */
class SystemsApiIT {

  static final LocalDate TODAY = LocalDate.now(ZoneId.of("Africa/Dar_es_Salaam"));

  static ApiClient operator;

  @BeforeAll
  static void setUp() {
    operator = SharedControlPlane.operator();
  }

  static JsonObject entry(String name, String category) {
    return new JsonObject()
        .put("name", name)
        .put("purpose", "Keeps the " + name + " records")
        .put("category", category)
        .put("hosting", "own-server-room")
        .put("builtBy", "Local supplier Ltd")
        .put("users", 120)
        .put("reviewedAt", TODAY.minusMonths(2).toString());
  }

  static String systems(JsonObject institution) {
    return "/api/v1/institutions/" + institution.getString("id") + "/systems";
  }

  /** An institution with its own admin, on the control plane of {@code operator}. */
  record Tenant(JsonObject institution, ApiClient admin) {
    String systems() {
      return SystemsApiIT.systems(institution);
    }

    JsonObject add(JsonObject entry) {
      var r = admin.post(systems(), entry);
      assertThat(r.status()).as(r.body()).isEqualTo(201);
      return r.json();
    }
  }

  static Tenant tenant(ApiClient operator) {
    JsonObject inst = SharedControlPlane.newInstitution(operator);
    return new Tenant(inst, user(operator, inst.getString("id"), "institution-admin"));
  }

  static ApiClient user(ApiClient creator, String institutionId, String role) {
    String username = unique(role.substring(0, 3)).toLowerCase();
    String password = "password-" + username;
    String path =
        institutionId == null
            ? "/api/v1/users"
            : "/api/v1/institutions/" + institutionId + "/users";
    var r =
        creator.post(
            path,
            new JsonObject().put("username", username).put("password", password).put("role", role));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return ApiClient.signIn(creator.base(), username, password);
  }

  @Test
  void anAdminKeepsTheRegisterAndEveryChangeIsAudited() {
    Tenant t = tenant(operator);
    JsonObject created = t.add(entry("Payroll", "hr"));
    assertThat(created.getString("id")).isNotBlank();
    assertThat(created.getString("institutionId")).isEqualTo(t.institution().getString("id"));
    assertThat(created.getString("name")).isEqualTo("Payroll");
    assertThat(created.getString("category")).isEqualTo("hr");
    assertThat(created.getString("hosting")).isEqualTo("own-server-room");
    assertThat(created.getString("builtBy")).isEqualTo("Local supplier Ltd");
    assertThat(created.getInteger("users")).isEqualTo(120);
    assertThat(created.getString("reviewedAt")).isEqualTo(TODAY.minusMonths(2).toString());
    assertThat(created.getBoolean("reviewOverdue")).isFalse();
    assertThat(created.getString("createdAt")).isNotBlank();
    assertThat(created.getString("updatedAt")).isNotBlank();
    String item = t.systems() + "/" + created.getString("id");

    JsonObject changed = entry("Payroll and leave", "hr").put("hosting", "wingu").put("users", 340);
    var put = t.admin().put(item, changed);
    assertThat(put.status()).as(put.body()).isEqualTo(200);
    assertThat(put.json().getString("name")).isEqualTo("Payroll and leave");
    assertThat(put.json().getString("createdAt")).isEqualTo(created.getString("createdAt"));
    var list = t.admin().get(t.systems()).json();
    assertThat(list.getJsonArray("items")).hasSize(1);
    assertThat(list.getJsonArray("items").getJsonObject(0).getString("hosting")).isEqualTo("wingu");
    assertThat(list.getJsonArray("items").getJsonObject(0).getInteger("users")).isEqualTo(340);
    assertThat(list.getString("nextCursor")).isNull();

    assertThat(t.admin().delete(item).status()).isEqualTo(204);
    assertThat(t.admin().get(t.systems()).json().getJsonArray("items")).isEmpty();
    assertThat(t.admin().delete(item).status()).isEqualTo(404);
    assertThat(t.admin().put(item, changed).status()).isEqualTo(404);

    JsonArray events =
        operator
            .get("/api/v1/audit?institutionId=" + t.institution().getString("id"))
            .json()
            .getJsonArray("items");
    List<String> actions = new ArrayList<>();
    events.forEach(e -> actions.add(((JsonObject) e).getString("action")));
    assertThat(actions).containsSubsequence("system.create", "system.update", "system.delete");
    JsonObject update =
        events.stream()
            .map(JsonObject.class::cast)
            .filter(e -> e.getString("action").equals("system.update"))
            .findFirst()
            .orElseThrow();
    assertThat(update.getJsonObject("before").getString("name")).isEqualTo("Payroll");
    assertThat(update.getJsonObject("after").getString("name")).isEqualTo("Payroll and leave");
    assertThat(operator.get("/api/v1/audit/verify").json().getBoolean("valid")).isTrue();
  }

  @Test
  void eachInstitutionSeesOnlyItsOwnRegisterAndOnlyItsAdminWritesIt() {
    Tenant a = tenant(operator);
    Tenant b = tenant(operator);
    JsonObject bSystem = b.add(entry("Revenue collection", "revenue"));
    String bItem = b.systems() + "/" + bSystem.getString("id");

    // another institution's register is not found, whatever the method
    var read = a.admin().get(b.systems());
    assertThat(read.status()).isEqualTo(404);
    assertThat(read.body()).doesNotContain("Revenue collection");
    assertThat(a.admin().post(b.systems(), entry("Sneaky", "hr")).status()).isEqualTo(404);
    assertThat(a.admin().put(bItem, entry("Sneaky", "hr")).status()).isEqualTo(404);
    assertThat(a.admin().delete(bItem).status()).isEqualTo(404);
    // nor is B's system under A's own path
    assertThat(
            a.admin()
                .put(a.systems() + "/" + bSystem.getString("id"), entry("Sneaky", "hr"))
                .status())
        .isEqualTo(404);
    assertThat(a.admin().delete(a.systems() + "/" + bSystem.getString("id")).status())
        .isEqualTo(404);

    // a webmaster reads its institution's register and may not change it
    ApiClient webmasterB = user(b.admin(), b.institution().getString("id"), "webmaster");
    assertThat(webmasterB.get(b.systems()).json().getJsonArray("items")).hasSize(1);
    assertThat(webmasterB.post(b.systems(), entry("Mine", "hr")).status()).isEqualTo(403);
    assertThat(webmasterB.put(bItem, entry("Mine", "hr")).status()).isEqualTo(403);
    assertThat(webmasterB.delete(bItem).status()).isEqualTo(403);
    assertThat(webmasterB.get(a.systems()).status()).isEqualTo(404);

    // the platform reads every register and writes none
    ApiClient auditor = user(operator, null, "auditor");
    var audited = auditor.get(b.systems());
    assertThat(audited.status()).isEqualTo(200);
    assertThat(audited.json().getJsonArray("items").getJsonObject(0).getString("name"))
        .isEqualTo("Revenue collection");
    assertThat(auditor.post(b.systems(), entry("Audit", "hr")).status()).isEqualTo(403);
    assertThat(auditor.delete(bItem).status()).isEqualTo(403);
    assertThat(operator.get(b.systems()).status()).isEqualTo(200);
    assertThat(operator.post(b.systems(), entry("Ops", "hr")).status()).isEqualTo(403);
    assertThat(operator.get("/api/v1/institutions/" + UUID.randomUUID() + "/systems").status())
        .isEqualTo(404);
    assertThat(b.admin().get("/api/v1/systems/duplicates").status()).isEqualTo(403);
    assertThat(webmasterB.get(b.systems()).json().getJsonArray("items")).hasSize(1);
  }

  @Test
  void badEntriesAreRefusedFieldByField() {
    Tenant t = tenant(operator);
    var tooMuch =
        t.admin()
            .post(
                t.systems(),
                entry("x".repeat(201), "payroll")
                    .put("purpose", "p".repeat(2001))
                    .put("hosting", "basement")
                    .put("builtBy", "b".repeat(201))
                    .put("users", -1)
                    .put("reviewedAt", "yesterday"));
    assertThat(tooMuch.status()).isEqualTo(400);
    assertThat(tooMuch.contentType()).startsWith("application/problem+json");
    assertThat(fields(tooMuch.json()))
        .contains("name", "purpose", "category", "hosting", "builtBy", "users", "reviewedAt");

    var missing = t.admin().post(t.systems(), new JsonObject().put("name", "Only a name"));
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.json().getJsonArray("errors")).isNotEmpty();

    // what the contract cannot say: blank texts, control characters, impossible and future dates
    var rules =
        t.admin()
            .post(
                t.systems(),
                entry("   ", "hr")
                    .put("builtBy", "Tab\u0007Co")
                    .put("reviewedAt", TODAY.plusDays(1).toString()));
    assertThat(rules.status()).isEqualTo(400);
    assertThat(fields(rules.json())).containsExactlyInAnyOrder("name", "builtBy", "reviewedAt");
    var impossible =
        t.admin().post(t.systems(), entry("Ledger", "finance").put("reviewedAt", "2025-02-30"));
    assertThat(impossible.status()).isEqualTo(400);
    assertThat(fields(impossible.json())).containsOnly("reviewedAt");
    var tooBig =
        t.admin().post(t.systems(), entry("Ledger", "finance").put("users", 5_000_000_000L));
    assertThat(tooBig.status()).isEqualTo(400);
    assertThat(fields(tooBig.json())).containsOnly("users");
    // 200 characters of any script are fine; a multi-line purpose too
    var edge =
        t.admin()
            .post(
                t.systems(),
                entry("ü".repeat(200), "other")
                    .put("purpose", "Line one\nLine two")
                    .put("users", 0)
                    .put("reviewedAt", TODAY.toString()));
    assertThat(edge.status()).as(edge.body()).isEqualTo(201);
    assertThat(t.admin().get(t.systems()).json().getJsonArray("items")).hasSize(1);
  }

  @Test
  void markupIsKeptAsPlainData() {
    Tenant t = tenant(operator);
    String name = "<script>alert('x')</script> **HRMIS**";
    String purpose = "<img src=x onerror=alert(1)> [link](javascript:alert(1)) & more";
    JsonObject created =
        t.add(entry(name, "hr").put("purpose", purpose).put("builtBy", "<b>Soft & Co</b>"));
    JsonObject read = t.admin().get(t.systems()).json().getJsonArray("items").getJsonObject(0);
    assertThat(read.getString("name")).isEqualTo(name);
    assertThat(read.getString("purpose")).isEqualTo(purpose);
    assertThat(read.getString("builtBy")).isEqualTo("<b>Soft & Co</b>");
    assertThat(created.getString("name")).isEqualTo(name);
  }

  @Test
  void entriesNotReviewedForTwelveMonthsAreFlagged() {
    Tenant t = tenant(operator);
    t.add(
        entry("a-old", "records").put("reviewedAt", TODAY.minusMonths(12).minusDays(1).toString()));
    t.add(entry("b-year", "records").put("reviewedAt", TODAY.minusMonths(12).toString()));
    t.add(entry("c-recent", "records").put("reviewedAt", TODAY.minusMonths(11).toString()));
    JsonArray items = t.admin().get(t.systems()).json().getJsonArray("items");
    Map<String, Boolean> overdue = new HashMap<>();
    items.forEach(
        i ->
            overdue.put(
                ((JsonObject) i).getString("name"), ((JsonObject) i).getBoolean("reviewOverdue")));
    assertThat(overdue)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("a-old", true, "b-year", false, "c-recent", false));
  }

  @Test
  void theRegisterIsPaginatedByName() {
    Tenant t = tenant(operator);
    for (String name : List.of("Delta", "Alpha", "Charlie", "Bravo", "Bravo")) {
      t.add(entry(name, "other"));
    }
    List<String> names = new ArrayList<>();
    String next = null;
    int pages = 0;
    do {
      var page =
          t.admin().get(t.systems() + "?limit=2" + (next == null ? "" : "&cursor=" + next)).json();
      page.getJsonArray("items").forEach(i -> names.add(((JsonObject) i).getString("name")));
      next = page.getString("nextCursor");
      pages++;
    } while (next != null);
    assertThat(names).containsExactly("Alpha", "Bravo", "Bravo", "Charlie", "Delta");
    assertThat(pages).isEqualTo(3);
    assertThat(t.admin().get(t.systems() + "?cursor=bm90LWEtY3Vyc29y").status()).isEqualTo(400);
  }

  /** On a control plane of its own, so that every system in it is known. */
  @Test
  void duplicatesAreGroupedByCategoryLargestFirstWithTheInstitutionsNamed() {
    Map<String, String> env = new HashMap<>(TestControlPlane.env("systems_duplicates"));
    env.put("WINGU_LOGIN_RATE", "10000");
    try (ControlPlane plane = TestControlPlane.start(env)) {
      URI url = plane.url();
      ApiClient op =
          ApiClient.signIn(url, TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD);
      assertThat(op.get("/api/v1/systems/duplicates").json().getJsonArray("groups")).isEmpty();
      Tenant a = tenant(op);
      Tenant b = tenant(op);
      Tenant c = tenant(op);
      Tenant d = tenant(op);
      String hrA = a.add(entry("HRMIS", "hr").put("users", 100)).getString("id");
      a.add(entry("Ledger", "finance").put("users", 10));
      a.add(entry("Budget", "finance").put("users", 5));
      a.add(entry("Portal", "website"));
      b.add(entry("Staff records", "hr").put("users", 200).put("hosting", "commercial-cloud"));
      b.add(entry("Accounts", "finance").put("users", 20));
      String hrC =
          c.add(
                  entry("People", "hr")
                      .put("users", 300)
                      .put("builtBy", "In-house")
                      .put("reviewedAt", TODAY.minusMonths(13).toString()))
              .getString("id");
      c.add(entry("Mail", "email"));
      d.add(entry("Land registry", "land"));

      ApiClient auditor = user(op, null, "auditor");
      var answer = auditor.get("/api/v1/systems/duplicates");
      assertThat(answer.status()).as(answer.body()).isEqualTo(200);
      JsonArray groups = answer.json().getJsonArray("groups");
      assertThat(groups).hasSize(2);

      JsonObject hr = groups.getJsonObject(0);
      assertThat(hr.getString("category")).isEqualTo("hr");
      assertThat(hr.getInteger("institutionCount")).isEqualTo(3);
      assertThat(hr.getInteger("systemCount")).isEqualTo(3);
      assertThat(hr.getLong("totalUsers")).isEqualTo(600L);
      List<String> hrCodes = codes(a, b, c);
      assertThat(
              hr.getJsonArray("institutions").stream()
                  .map(i -> ((JsonObject) i).getString("code"))
                  .toList())
          .containsExactlyElementsOf(hrCodes);
      JsonObject cInHr = member(hr, c);
      assertThat(cInHr.getString("name")).isEqualTo(c.institution().getString("name"));
      assertThat(cInHr.getJsonArray("systems")).hasSize(1);
      JsonObject people = cInHr.getJsonArray("systems").getJsonObject(0);
      assertThat(people.getString("id")).isEqualTo(hrC);
      assertThat(people.getString("name")).isEqualTo("People");
      assertThat(people.getString("builtBy")).isEqualTo("In-house");
      assertThat(people.getBoolean("reviewOverdue")).isTrue();
      assertThat(member(hr, a).getJsonArray("systems").getJsonObject(0).getString("id"))
          .isEqualTo(hrA);
      assertThat(member(hr, a).getJsonArray("systems").getJsonObject(0).getBoolean("reviewOverdue"))
          .isFalse();
      assertThat(member(hr, b).getJsonArray("systems").getJsonObject(0).getString("hosting"))
          .isEqualTo("commercial-cloud");

      JsonObject finance = groups.getJsonObject(1);
      assertThat(finance.getString("category")).isEqualTo("finance");
      assertThat(finance.getInteger("institutionCount")).isEqualTo(2);
      assertThat(finance.getInteger("systemCount")).isEqualTo(3);
      assertThat(finance.getLong("totalUsers")).isEqualTo(35L);
      assertThat(
              finance.getJsonArray("institutions").stream()
                  .map(i -> ((JsonObject) i).getString("code"))
                  .toList())
          .containsExactlyElementsOf(codes(a, b));
      assertThat(
              member(finance, a).getJsonArray("systems").stream()
                  .map(s -> ((JsonObject) s).getString("name"))
                  .toList())
          .containsExactly("Budget", "Ledger");

      assertThat(op.get("/api/v1/systems/duplicates").json()).isEqualTo(answer.json());
      assertThat(a.admin().get("/api/v1/systems/duplicates").status()).isEqualTo(403);
    }
  }

  private static List<String> codes(Tenant... tenants) {
    return java.util.Arrays.stream(tenants)
        .map(t -> t.institution().getString("code"))
        .sorted()
        .toList();
  }

  private static JsonObject member(JsonObject group, Tenant t) {
    return group.getJsonArray("institutions").stream()
        .map(JsonObject.class::cast)
        .filter(i -> i.getString("id").equals(t.institution().getString("id")))
        .findFirst()
        .orElseThrow();
  }

  private static List<String> fields(JsonObject problem) {
    List<String> fields = new ArrayList<>();
    problem.getJsonArray("errors").forEach(e -> fields.add(((JsonObject) e).getString("field")));
    return fields;
  }
}
