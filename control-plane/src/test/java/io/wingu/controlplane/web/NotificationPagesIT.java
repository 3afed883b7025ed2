package io.wingu.controlplane.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.SharedControlPlane;
import java.util.HashMap;
import java.util.Map;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

/**
 * A person's notifications page without JavaScript, in both languages: what was written to them
 * (here still waiting: the shared control plane sends no mail) and a form of which kinds they
 * receive, where a mandatory kind is on and cannot be turned off.
 */
class NotificationPagesIT {

  @Test
  void aPersonReadsWhatWasWrittenToThemAndChoosesWhatTheyReceiveInBothLanguages() {
    ApiClient operator = SharedControlPlane.operator();
    JsonObject inst = SharedControlPlane.newInstitution(operator);
    String username = SharedControlPlane.unique("adm").toLowerCase();
    var made =
        operator.post(
            "/api/v1/institutions/" + inst.getString("id") + "/users",
            new JsonObject()
                .put("username", username)
                .put("password", "password-" + username)
                .put("role", "institution-admin"));
    assertThat(made.status()).as(made.body()).isEqualTo(201);
    ApiClient admin = ApiClient.signIn(SharedControlPlane.url(), username, "password-" + username);
    String email = username + "@" + inst.getJsonArray("domains").getString(0);
    assertThat(
            admin
                .put(
                    "/api/v1/me/contact",
                    new JsonObject().put("email", email).put("language", "en"))
                .status())
        .isEqualTo(200);
    var request = admin.post("/api/v1/requests", SharedControlPlane.siteRequest(inst, "library"));
    assertThat(request.status()).as(request.body()).isEqualTo(201);
    var rejected =
        operator.post(
            "/api/v1/requests/" + request.json().getString("id") + "/reject",
            new JsonObject().put("reason", "A library site exists already"));
    assertThat(rejected.status()).as(rejected.body()).isEqualTo(200);

    Map<String, String> titles = Map.of("sw", "Arifa zako", "en", "Your notifications");
    Map<String, String> states = Map.of("sw", "kinasubiri kutumwa", "en", "waiting to be sent");
    for (String lang : new String[] {"sw", "en"}) {
      ConsoleClient console = new ConsoleClient(SharedControlPlane.url()).acceptLanguage(lang);
      console.signIn(username, "password-" + username);
      ConsoleClient.Page page = console.get("/account/notifications");
      assertThat(page.status()).isEqualTo(200);
      Document d = page.document();
      assertThat(d.selectFirst("html").attr("lang")).isEqualTo(lang);
      assertThat(d.selectFirst("h1").text()).isEqualTo(titles.get(lang));
      assertThat(d.select("#notification-table tbody tr")).hasSize(1);
      assertThat(d.selectFirst("#notification-table tbody tr").text())
          .contains("Not approved: your hosting request for library")
          .contains(states.get(lang));
      assertThat(d.selectFirst("a[href=/account/notifications]")).isNotNull();
      // a mandatory kind: ticked, and not to be changed
      assertThat(d.selectFirst("#kind-site-suspended").hasAttr("checked")).isTrue();
      assertThat(d.selectFirst("#kind-site-suspended").hasAttr("disabled")).isTrue();
      assertThat(d.selectFirst("#kind-operator-digest").hasAttr("checked")).isFalse();
    }

    // without JavaScript: the form posts, unticked boxes are off, mandatory ones stay on
    ConsoleClient console = new ConsoleClient(SharedControlPlane.url()).acceptLanguage("en");
    console.signIn(username, "password-" + username);
    console.get("/account/notifications");
    Map<String, String> answers = new HashMap<>();
    answers.put("request-approved", null);
    answers.put("site-suspended", null);
    ConsoleClient.Page saved = console.submit("form[action=/account/notifications]", answers);
    assertThat(saved.status()).isEqualTo(200);
    assertThat(saved.document().selectFirst("#notifications-saved")).isNotNull();
    assertThat(saved.document().selectFirst("#kind-request-approved").hasAttr("checked")).isFalse();
    assertThat(saved.document().selectFirst("#kind-request-rejected").hasAttr("checked")).isTrue();
    JsonObject prefs = admin.get("/api/v1/me/notification-preferences").json();
    assertThat(prefs.getBoolean("request-approved")).isFalse();
    assertThat(prefs.getBoolean("request-rejected")).isTrue();
    assertThat(prefs.getBoolean("site-suspended")).isTrue();
  }
}
