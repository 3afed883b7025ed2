package io.wingu.controlplane.directory;

import static io.wingu.controlplane.testing.SharedControlPlane.newInstitution;
import static io.wingu.controlplane.testing.SharedControlPlane.newInstitutionUser;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.SharedControlPlane;
import io.wingu.controlplane.testing.SharedRealNode;
import io.wingu.controlplane.testing.TenantSite;
import io.wingu.dev.LocalCluster;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The public directory and institutions' entries in it, over HTTP on real PostgreSQL, on the shared
 * real node: a site is listed while its real pods serve it (its condition Available, from its
 * Deployment's status).
 */
@SharedRealNode.User
class DirectoryApiIT {

  static ApiClient operator;
  static ApiClient anonymous;

  @BeforeAll
  static void setUp() {
    operator = SharedRealNode.operator();
    anonymous = ApiClient.anonymous(SharedRealNode.url());
  }

  /** A word no other test's data holds, so a search for it is exact. */
  private static String word() {
    StringBuilder b = new StringBuilder("zq");
    String digits = SharedControlPlane.unique("").replaceAll("[^0-9a-z]", "");
    for (char ch : digits.toCharArray()) {
      b.append((char) ('a' + (Character.isDigit(ch) ? ch - '0' : (ch - 'a' + 10) % 26)));
    }
    return b.toString();
  }

  static JsonObject entry(
      String nameSw,
      String nameEn,
      String descSw,
      String descEn,
      String url,
      String category,
      String region) {
    return new JsonObject()
        .put("name", new JsonObject().put("sw", nameSw).put("en", nameEn))
        .put("description", new JsonObject().put("sw", descSw).put("en", descEn))
        .put("url", url)
        .put("category", category)
        .put("region", region);
  }

  record Tenant(JsonObject institution, ApiClient admin) {
    String id() {
      return institution.getString("id");
    }

    String code() {
      return institution.getString("code");
    }

    String add(JsonObject entry) {
      var r = admin.post("/api/v1/institutions/" + id() + "/services", entry);
      assertThat(r.status()).as(r.body()).isEqualTo(201);
      return r.json().getString("id");
    }
  }

  static Tenant tenant() {
    JsonObject inst = newInstitution(operator);
    return new Tenant(
        inst, newInstitutionUser(operator, inst.getString("id"), "institution-admin"));
  }

  static JsonObject search(String query) {
    var r = anonymous.get("/api/v1/public/directory?" + query);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  static List<String> codes(JsonObject page) {
    List<String> out = new ArrayList<>();
    page.getJsonArray("items").forEach(o -> out.add(((JsonObject) o).getString("code")));
    return out;
  }

  static String q(String text) {
    return "q=" + URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  @Test
  void aSwahiliQueryFindsASwahiliDescriptionIgnoringAccentsAndCase() {
    String w = word();
    Tenant t = tenant();
    t.add(
        entry(
            "Kliniki ya mama",
            "Mother's clinic",
            "Usajili wa wagonjwa wa Hospitáli " + w,
            "Registering patients of the hospital",
            "https://kliniki.example.go.tz/",
            "health",
            "dodoma"));
    Tenant other = tenant();
    other.add(
        entry(
            "Ardhi",
            "Land",
            "Hati za ardhi " + w,
            "Land titles",
            "https://ardhi.example.go.tz/",
            "land",
            "mwanza"));

    assertThat(codes(search(q("HOSPITALI " + w.toUpperCase(Locale.ROOT)))))
        .containsExactly(t.code());
    assertThat(codes(search(q("wagonjwa " + w)))).containsExactly(t.code());
    assertThat(codes(search(q("hospitali")))).contains(t.code()).doesNotContain(other.code());
    // English words are stemmed: "patient" finds "patients"
    assertThat(codes(search(q("patient " + w)))).containsExactly(t.code());
    // filters narrow to what matches every one of them
    assertThat(codes(search(q(w) + "&category=land"))).containsExactly(other.code());
    assertThat(codes(search(q(w) + "&region=dodoma"))).containsExactly(t.code());
    assertThat(codes(search(q(w) + "&category=land&region=dodoma"))).isEmpty();

    JsonObject found = search(q(w) + "&category=health").getJsonArray("items").getJsonObject(0);
    assertThat(found.getJsonObject("name").getString("sw")).startsWith("Taasisi");
    JsonObject svc = found.getJsonArray("services").getJsonObject(0);
    assertThat(svc.getJsonObject("description").getString("sw")).contains("Hospitáli");
    assertThat(svc.fieldNames()).doesNotContain("hidden", "createdAt", "institutionId");
  }

  @Test
  void anInstitutionFoundByItsNameShowsAllItsServices() {
    Tenant t = tenant();
    t.add(
        entry(
            "Leseni",
            "Licences",
            "Leseni za biashara",
            "Business licences",
            "https://a.example.go.tz/",
            "business",
            "national"));
    t.add(
        entry(
            "Kodi",
            "Taxes",
            "Kulipa kodi",
            "Paying taxes",
            "https://b.example.go.tz/",
            "finance",
            "national"));
    JsonObject page = search(q(t.code()));
    assertThat(codes(page)).containsExactly(t.code());
    assertThat(page.getJsonArray("items").getJsonObject(0).getJsonArray("services")).hasSize(2);
  }

  @Test
  void hiddenEntriesAndSuspendedSitesNeverAppearPublicly() {
    String w = word();
    TenantSite site = TenantSite.create(operator, "portal");
    Tenant t = new Tenant(site.institution(), site.admin());
    String hidden =
        t.add(
            entry(
                "Huduma " + w,
                "Service " + w,
                "Maelezo",
                "Details",
                "https://h.example.go.tz/",
                "other",
                "national"));
    String kept =
        t.add(
            entry(
                "Nyingine",
                "Another",
                "Maelezo " + w,
                "Details",
                "https://k.example.go.tz/",
                "other",
                "national"));

    assertThat(search(q(site.code())).getJsonArray("items").getJsonObject(0).getJsonArray("sites"))
        .as("approved, not yet served")
        .isEmpty();
    site.serve(operator);
    JsonObject listed = search(q(site.code())).getJsonArray("items").getJsonObject(0);
    assertThat(listed.getJsonArray("sites")).hasSize(1);
    assertThat(listed.getJsonArray("sites").getJsonObject(0).getString("url"))
        .isEqualTo("https://www." + site.code() + ".go.tz/");

    var refused =
        t.admin().post(servicePath(t, hidden) + "/hide", new JsonObject().put("reason", "mine"));
    assertThat(refused.status()).isEqualTo(403);
    var noReason =
        operator.post(servicePath(t, hidden) + "/hide", new JsonObject().put("reason", ""));
    assertThat(noReason.status()).isEqualTo(400);
    var hide =
        operator.post(
            servicePath(t, hidden) + "/hide",
            new JsonObject().put("reason", "Links to a test server"));
    assertThat(hide.status()).as(hide.body()).isEqualTo(200);
    JsonObject services = search(q(w)).getJsonArray("items").getJsonObject(0);
    assertThat(
            services.getJsonArray("services").stream().map(o -> ((JsonObject) o).getString("id")))
        .containsExactly(kept);
    assertThat(search(q(site.code())).encode()).doesNotContain(hidden);
    // the institution still sees its entry, with the operator's reason
    JsonObject own = t.admin().get("/api/v1/institutions/" + t.id() + "/services").json();
    assertThat(own.encode()).contains("Links to a test server");
    var audit = operator.get("/api/v1/audit?institutionId=" + t.id() + "&limit=500").json();
    assertThat(audit.getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("action")))
        .contains("directory.create", "directory.hide");
    assertThat(operator.post(servicePath(t, hidden) + "/show", null).status()).isEqualTo(200);
    assertThat(search(q(site.code())).encode()).contains(hidden);

    assertThat(
            operator.post(site.path("/suspend"), new JsonObject().put("reason", "Unpaid")).status())
        .isEqualTo(200);
    assertThat(search(q(site.code())).getJsonArray("items").getJsonObject(0).getJsonArray("sites"))
        .isEmpty();
    assertThat(operator.post(site.path("/resume"), new JsonObject().put("reason", "Paid")).status())
        .isEqualTo(200);
    // resuming rolls the Deployment: listed again once its pod is available again
    site.serve(operator);
    assertThat(search(q(site.code())).getJsonArray("items").getJsonObject(0).getJsonArray("sites"))
        .hasSize(1);
    assertThat(operator.delete(site.path("")).status()).isIn(200, 202, 204);
    assertThat(search(q(site.code())).getJsonArray("items").getJsonObject(0).getJsonArray("sites"))
        .isEmpty();
  }

  @Test
  void aSiteIsListedOnlyWhileServedAndAnInstitutionOnlyWithSomethingToShow() throws Exception {
    TenantSite site = TenantSite.create(operator, "portal");
    var before = anonymous.getBytes("/api/v1/public/directory?" + q(site.code()));
    assertThat(codes(new JsonObject(new String(before.body(), StandardCharsets.UTF_8))))
        .as("approved, nothing deployed, no service: nothing to show")
        .isEmpty();
    String etag = before.headers().firstValue("ETag").orElseThrow();

    // a revision deployed but no replica available yet: still not served
    assertThat(
            site.webmaster()
                .post(
                    site.path("/deployments"),
                    new JsonObject()
                        .put("templateId", "minimal-landing")
                        .put("parameters", minimalLandingExample()))
                .status())
        .isEqualTo(201);
    assertThat(codes(search(q(site.code())))).isEmpty();

    site.serve(operator);
    // the old answer's ETag no longer matches: served sites are part of the version
    var after =
        anonymous.getBytes("/api/v1/public/directory?" + q(site.code()), "If-None-Match", etag);
    assertThat(after.statusCode()).isEqualTo(200);
    JsonObject page = new JsonObject(new String(after.body(), StandardCharsets.UTF_8));
    assertThat(codes(page)).containsExactly(site.code());
    assertThat(page.getJsonArray("items").getJsonObject(0).getJsonArray("sites"))
        .singleElement()
        .satisfies(
            o ->
                assertThat(((JsonObject) o).getString("url"))
                    .isEqualTo("https://www." + site.code() + ".go.tz/"));

    // its only replica gone (Available false): the node takes no new pod (cordoned) and the
    // site's pod is deleted, so its Deployment has none available; the site and its institution
    // leave the directory
    KubernetesClient k = SharedRealNode.get().client();
    var node = k.nodes().withName(LocalCluster.NODE_NAME);
    node.edit(n -> new NodeBuilder(n).editSpec().withUnschedulable(true).endSpec().build());
    try {
      k.pods().inNamespace(site.namespace()).delete();
      site.awaitAvailable(operator, "False");
      assertThat(codes(search(q(site.code())))).isEmpty();
    } finally {
      node.edit(n -> new NodeBuilder(n).editSpec().withUnschedulable(false).endSpec().build());
    }
  }

  private static JsonObject minimalLandingExample() {
    return operator.get("/api/v1/templates").array().stream()
        .map(JsonObject.class::cast)
        .filter(t -> t.getString("id").equals("minimal-landing"))
        .findFirst()
        .orElseThrow()
        .getJsonObject("example");
  }

  private static String servicePath(Tenant t, String serviceId) {
    return "/api/v1/institutions/" + t.id() + "/services/" + serviceId;
  }

  @Test
  void entriesAreValidatedAndOnlyTheInstitutionsAdminKeepsThem() {
    Tenant t = tenant();
    Tenant other = tenant();
    String path = "/api/v1/institutions/" + t.id() + "/services";
    JsonObject good =
        entry(
            "Jina",
            "Name",
            "Maelezo",
            "Description",
            "https://e.example.go.tz/x?y=1",
            "education",
            "arusha");
    for (String url :
        List.of(
            "http://e.example.go.tz/",
            "javascript:alert(1)",
            "https://",
            "https:///nohost",
            "https://user:pw@e.example.go.tz/",
            "ftp://e.example.go.tz")) {
      var r = t.admin().post(path, good.copy().put("url", url));
      assertThat(r.status()).as(url).isEqualTo(400);
      assertThat(r.contentType()).startsWith("application/problem+json");
      assertThat(r.body()).as(url).contains("url");
    }
    var tooLong =
        t.admin()
            .post(
                path,
                good.copy()
                    .put("name", new JsonObject().put("sw", "x".repeat(201)).put("en", "y")));
    assertThat(tooLong.status()).isEqualTo(400);
    assertThat(tooLong.json().getJsonArray("errors").encode()).contains("name");
    assertThat(t.admin().post(path, good.copy().put("category", "weather")).status())
        .isEqualTo(400);
    assertThat(t.admin().post(path, good.copy().put("region", "atlantis")).status()).isEqualTo(400);

    ApiClient webmaster = newInstitutionUser(t.admin(), t.id(), "webmaster");
    assertThat(webmaster.post(path, good).status()).isEqualTo(403);
    assertThat(other.admin().post(path, good).status()).isEqualTo(404);
    assertThat(operator.post(path, good).status()).isEqualTo(403);

    // markup is kept as the text it is: the pages escape it
    String markup = "<script>alert(1)</script> **bold**";
    String id =
        t.add(good.copy().put("name", new JsonObject().put("sw", markup).put("en", markup)));
    assertThat(
            webmaster
                .get(path)
                .json()
                .getJsonArray("items")
                .getJsonObject(0)
                .getJsonObject("name")
                .getString("en"))
        .isEqualTo(markup);
    assertThat(other.admin().get(path).status()).isEqualTo(404);
    assertThat(other.admin().put(path + "/" + id, good).status()).isEqualTo(404);

    var changed = t.admin().put(path + "/" + id, good.copy().put("region", "mbeya"));
    assertThat(changed.status()).as(changed.body()).isEqualTo(200);
    assertThat(changed.json().getString("region")).isEqualTo("mbeya");
    var badChange = t.admin().put(path + "/" + id, good.copy().put("url", "http://x.go.tz"));
    assertThat(badChange.status()).isEqualTo(400);
    assertThat(
            webmaster.get(path).json().getJsonArray("items").getJsonObject(0).getString("region"))
        .as("a refused change loses nothing")
        .isEqualTo("mbeya");
    assertThat(t.admin().delete(path + "/" + id).status()).isEqualTo(204);
    assertThat(t.admin().delete(path + "/" + id).status()).isEqualTo(404);
  }

  @Test
  void anySearchTextGivesResultsOrAnEmptyList() {
    for (String text :
        List.of(
            "'; DROP TABLE institution; --",
            "\u0000",
            "!!!",
            "<script>alert(1)</script>",
            "a & | ! ( ) : * <->",
            "\"unclosed",
            "\uD83C\uDF0D",
            "x".repeat(500),
            "\\",
            "%",
            "ñandú")) {
      var r = anonymous.get("/api/v1/public/directory?" + q(text));
      assertThat(r.status()).as(text + " " + r.body()).isEqualTo(200);
      assertThat(r.json().getJsonArray("items")).isNotNull();
    }
    assertThat(anonymous.get("/api/v1/public/directory?cursor=nonsense!").status()).isEqualTo(400);
    var tooLong = anonymous.get("/api/v1/public/directory?" + q("x".repeat(501)));
    assertThat(tooLong.status()).isEqualTo(400);
    assertThat(tooLong.json().getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("q");
  }

  @Test
  void answersAreCacheableAndRevalidatedCheaply() {
    String w = word();
    Tenant t = tenant();
    t.add(
        entry(
            "Maji " + w,
            "Water " + w,
            "Bili za maji",
            "Water bills",
            "https://maji.example.go.tz/",
            "water-energy",
            "tanga"));
    var first = anonymous.getBytes("/api/v1/public/directory?" + q(w));
    String etag = first.headers().firstValue("ETag").orElseThrow();
    assertThat(first.headers().firstValue("Cache-Control").orElseThrow())
        .contains("public")
        .contains("max-age");
    var again = anonymous.getBytes("/api/v1/public/directory?" + q(w), "If-None-Match", etag);
    assertThat(again.statusCode()).isEqualTo(304);
    var otherQuestion =
        anonymous.getBytes("/api/v1/public/directory?" + q(w + " maji"), "If-None-Match", etag);
    assertThat(otherQuestion.statusCode()).isEqualTo(200);

    t.add(
        entry(
            "Umeme " + w,
            "Power " + w,
            "Bili za umeme",
            "Power bills",
            "https://umeme.example.go.tz/",
            "water-energy",
            "tanga"));
    var changed = anonymous.getBytes("/api/v1/public/directory?" + q(w), "If-None-Match", etag);
    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat(new String(changed.body(), StandardCharsets.UTF_8)).contains("Umeme");
  }

  @Test
  void csvListsSitesAndServicesInTheAskedLanguage() {
    String w = word();
    Tenant t = tenant();
    t.add(
        entry(
            "=HYPERLINK(\"x\") " + w,
            "Formula " + w,
            "Maelezo, na \"nukuu\"",
            "Text",
            "https://c.example.go.tz/",
            "justice",
            "lindi"));
    var r = anonymous.getAccepting("/api/v1/public/directory?lang=sw&" + q(w), "text/csv");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).startsWith("text/csv");
    String[] lines = r.body().split("\r\n");
    assertThat(lines[0])
        .isEqualTo("institution_code,institution_name,kind,name,description,url,category,region");
    assertThat(lines[1])
        .startsWith(t.code() + ",Taasisi ")
        .contains(",service,\"'=HYPERLINK(\"\"x\"\") " + w + "\"")
        .contains("\"Maelezo, na \"\"nukuu\"\"\"")
        .endsWith(",justice,lindi");
  }

  @Test
  void pagesWalkEveryMatchOnce() {
    String w = word();
    List<String> made = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Tenant t = tenant();
      t.add(
          entry(
              "Huduma " + w,
              "Service " + w,
              "Maelezo",
              "Details",
              "https://p.example.go.tz/",
              "other",
              "national"));
      made.add(t.code());
    }
    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      JsonObject page =
          search(q(w) + "&limit=1&lang=en" + (cursor == null ? "" : "&cursor=" + cursor));
      seen.addAll(codes(page));
      cursor = page.getString("nextCursor");
    } while (cursor != null);
    assertThat(seen).containsExactlyInAnyOrderElementsOf(made).doesNotHaveDuplicates();
    assertThat(search("limit=500").getJsonArray("items").size()).isGreaterThanOrEqualTo(3);
  }
}
