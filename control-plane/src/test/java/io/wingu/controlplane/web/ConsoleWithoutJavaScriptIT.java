package io.wingu.controlplane.web;

import static io.wingu.controlplane.testing.SharedControlPlane.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.wingu.controlplane.testing.SharedControlPlane;
import io.wingu.controlplane.testing.TestControlPlane;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The journeys with no JavaScript at all: a client that only fetches pages, fills their HTML forms
 * and follows redirects completes onboarding, a request in Swahili and its approval.
 */
class ConsoleWithoutJavaScriptIT {

  @Test
  void onboardingRequestingInSwahiliAndApprovingWorkWithPlainForms() {
    String code = unique("n").toLowerCase();
    ConsoleClient operator = new ConsoleClient(SharedControlPlane.url());
    operator.signIn(TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD);
    operator.get("/institutions/new?lang=en");
    var institution =
        operator.submit(
            "form[action=/institutions/new]",
            Map.of(
                "code",
                code,
                "name",
                "Tanzania Forest Service " + code,
                "nameSw",
                "Wakala wa Huduma za Misitu " + code,
                "domains",
                code + ".go.tz",
                "contactEmail",
                "ict@" + code + ".go.tz"));
    assertThat(institution.text()).contains("The institution has been onboarded");
    var user =
        operator.submit(
            "form[action$=/users]",
            Map.of(
                "username",
                code + "-admin",
                "password",
                "admin-password-" + code,
                "role",
                "institution-admin"));
    assertThat(user.text()).contains("The user has been added");

    ConsoleClient admin = new ConsoleClient(SharedControlPlane.url()).acceptLanguage("sw");
    admin.signIn(code + "-admin", "admin-password-" + code);
    var form = admin.get("/requests/new");
    assertThat(form.document().select("html").attr("lang")).isEqualTo("sw");
    assertThat(form.text()).contains(code + ".go.tz");
    Map<String, String> answers =
        new HashMap<>(
            Map.of(
                "siteName",
                "misitu",
                "hostnames",
                "www." + code + ".go.tz",
                "plan",
                "small",
                "justification",
                "Tovuti ya wakala"));
    var check = admin.submit("form[action=/requests/new]", answers);
    assertThat(check.document().select("h1").text())
        .isEqualTo("Hakiki majibu yako kabla ya kutuma ombi");
    var changed = admin.submit("form[action=/requests/submit]", Map.of("action", "change"));
    assertThat(changed.document().select("#siteName").attr("value")).isEqualTo("misitu");
    admin.submit("form[action=/requests/new]", Map.of());
    var submitted = admin.submit("form[action=/requests/submit]", Map.of("action", "submit"));
    assertThat(submitted.text()).contains("Ombi limetumwa").contains("Inasubiri");
    String requestPath = submitted.response().uri().getPath();

    operator.get(requestPath);
    var approved = operator.submit("form[action$=/approve]", Map.of());
    assertThat(approved.text()).contains("The request has been approved");
    String sitePath = approved.document().select("main a[href^=/sites/]").attr("href");
    var site = admin.get(sitePath);
    assertThat(site.status()).isEqualTo(200);
    assertThat(site.document().select("h1").text()).isEqualTo("Tovuti: misitu");

    // a webmaster publishes: a refused form first, then two revisions, then a rollback
    admin.get("/institutions");
    admin.get(admin.current().document().select("main a[href^=/institutions/]").attr("href"));
    var added =
        admin.submit(
            "form[action$=/users]",
            Map.of(
                "username",
                code + "-web",
                "password",
                "webmaster-password-" + code,
                "role",
                "webmaster"));
    assertThat(added.text()).contains("Mtumiaji ameongezwa");
    ConsoleClient webmaster = new ConsoleClient(SharedControlPlane.url()).acceptLanguage("sw");
    webmaster.signIn(code + "-web", "webmaster-password-" + code);
    String deploy = sitePath + "/deploy";
    var overview = webmaster.get(deploy + "?template=minimal-landing");
    assertThat(overview.document().select("input[name=templateId]").attr("value"))
        .isEqualTo("minimal-landing");
    // nothing is filled from the template's example: it is each field's sample only
    var institutionSection = webmaster.get(deploy + "/institution?template=minimal-landing");
    assertThat(institutionSection.document().select("#p-institution-name-sw").attr("value"))
        .isEmpty();
    assertThat(institutionSection.document().select("#p-institution-name-sw-sample").text())
        .contains("Bodi ya Mfuko wa Maendeleo ya Vijana");
    assertThat(institutionSection.document().select("#p-defaultLanguage option").eachText())
        .contains("Kiswahili", "English");
    // publishing before anything is filled is refused, and says what is missing, by name
    webmaster.get(deploy + "?template=minimal-landing");
    var refused = webmaster.submit("form[method=post][action$=/deploy]", Map.of());
    assertThat(refused.status()).as(refused.text()).isEqualTo(400);
    assertThat(refused.document().select(".error-summary").text())
        .contains("Weka jina (Kiswahili)")
        .contains("Chagua mpangilio wa rangi");
    // the institution, saved as a draft, leads to the next section
    webmaster.get(deploy + "/institution?template=minimal-landing");
    var head =
        webmaster.submit(
            "form[action$=/deploy/institution]",
            Map.of(
                "institution.name.sw", "Bodi ya Misitu",
                "institution.name.en", "Forest Board",
                "institution.tagline.sw", "Misitu kwa vizazi vijavyo",
                "institution.tagline.en", "Forests for generations to come",
                "palette", "kijani",
                "defaultLanguage", "en"));
    assertThat(head.text()).contains("Sehemu imehifadhiwa kama rasimu");
    assertThat(head.document().select("h1").text()).isEqualTo("Kiongozi wa taasisi");
    // the head: a photo, re-encoded by the server and shown as a thumbnail
    var withPhoto =
        webmaster.submitFile(
            "form[action$=/deploy/head]",
            Map.of(
                "head.name", "Dkt. Neema Mollel",
                "head.title.sw", "Mtendaji Mkuu",
                "head.title.en", "Chief Executive"),
            "head.photo",
            "picha.png",
            png());
    assertThat(withPhoto.document().select("h1").text())
        .as(withPhoto.text())
        .isEqualTo("Mawasiliano");
    var headAgain = webmaster.get(deploy + "/head");
    String thumbnail = headAgain.document().select("img.thumbnail").attr("src");
    assertThat(thumbnail).startsWith(sitePath + "/images/");
    var photo = webmaster.get(thumbnail);
    assertThat(photo.status()).isEqualTo(200);
    assertThat(photo.response().headers().firstValue("Content-Type")).hasValue("image/jpeg");
    // contacts: an invalid e-mail is answered in Swahili, by the field's name, and nothing typed is
    // lost
    webmaster.get(deploy + "/contacts");
    var badEmail =
        webmaster.submit(
            "form[action$=/deploy/contacts]",
            Map.of(
                "contacts.address.sw", "Mtaa wa Misitu, Dodoma",
                "contacts.address.en", "Misitu Street, Dodoma",
                "contacts.email", "si-barua-pepe"));
    assertThat(badEmail.status()).isEqualTo(400);
    assertThat(badEmail.document().select("#p-contacts-email-error").text())
        .contains("Barua pepe si sahihi");
    assertThat(badEmail.document().select(".error-summary a[href=#p-contacts-email]").text())
        .isEqualTo("Barua pepe si sahihi");
    assertThat(badEmail.document().select("#p-contacts-address-sw").attr("value"))
        .isEqualTo("Mtaa wa Misitu, Dodoma");
    var services =
        webmaster.submit(
            "form[action$=/deploy/contacts]", Map.of("contacts.email", "info@misitu.go.tz"));
    assertThat(services.document().select("h1").text()).isEqualTo("Huduma");
    // a list: add three items, fill them, move the last up, remove the first
    webmaster.submit("form[action$=/deploy/services]", Map.of("op", "add:services"));
    webmaster.submit("form[action$=/deploy/services]", Map.of("op", "add:services"));
    var three = webmaster.submit("form[action$=/deploy/services]", Map.of("op", "add:services"));
    assertThat(three.document().select("input[name$=.title.sw]")).hasSize(3);
    assertThat(three.document().select("label[for=p-services-0--title-sw]").text())
        .contains("Jina la huduma");
    Map<String, String> items = new HashMap<>();
    for (int i = 0; i < 3; i++) {
      items.put("services[" + i + "].title.sw", "Huduma " + (char) ('A' + i));
      items.put("services[" + i + "].title.en", "Service " + (char) ('A' + i));
      items.put("services[" + i + "].description.sw", "Maelezo " + (char) ('A' + i));
      items.put("services[" + i + "].description.en", "About " + (char) ('A' + i));
    }
    items.put("op", "up:services:2");
    var moved = webmaster.submit("form[action$=/deploy/services]", items);
    assertThat(moved.document().select("input[name$=.title.en]").eachAttr("value"))
        .containsExactly("Service A", "Service C", "Service B");
    var removed =
        webmaster.submit("form[action$=/deploy/services]", Map.of("op", "remove:services:0"));
    assertThat(removed.document().select("input[name$=.title.en]").eachAttr("value"))
        .containsExactly("Service C", "Service B");
    webmaster.submit("form[action$=/deploy/services]", Map.of());
    var ready = webmaster.get(deploy);
    assertThat(ready.text()).contains("tovuti iko tayari kuchapishwa");
    var first = webmaster.submit("form[method=post][action$=/deploy]", Map.of());
    assertThat(first.text()).contains("Toleo jipya limesambazwa");
    webmaster.get(deploy + "/institution");
    webmaster.submit(
        "form[action$=/deploy/institution]",
        Map.of("institution.tagline.en", "Forests for all of us"));
    var second = webmaster.get(deploy);
    second = webmaster.submit("form[method=post][action$=/deploy]", Map.of());
    assertThat(second.document().select("form[action$=/rollback]")).hasSize(1);
    var rolledBack = webmaster.submit("form[action$=/rollback]", Map.of());
    assertThat(rolledBack.text()).contains("Tovuti imerudishwa");
    var preview = webmaster.get(sitePath + "/preview?revision=1");
    assertThat(preview.status()).isEqualTo(200);
    // the published site is the institution's own: none of the template's sample made it in
    assertThat(preview.text())
        .contains("Forests for generations to come")
        .contains("Forest Board")
        .doesNotContain("Youth Development Fund Board")
        .doesNotContain("vijana.example.go.tz");
  }

  /** A small PNG photo. */
  static byte[] png() {
    try {
      java.awt.image.BufferedImage image =
          new java.awt.image.BufferedImage(64, 48, java.awt.image.BufferedImage.TYPE_INT_RGB);
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      javax.imageio.ImageIO.write(image, "png", out);
      return out.toByteArray();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aDomainOverlappingAnotherInstitutionsIsRefusedInBothLanguages() {
    String tld = unique("t").toLowerCase();
    ConsoleClient operator = new ConsoleClient(SharedControlPlane.url());
    operator.signIn(TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD);
    operator.get("/institutions/new?lang=en");
    String first = unique("n").toLowerCase();
    var held =
        operator.submit(
            "form[action=/institutions/new]",
            Map.of(
                "code",
                first,
                "name",
                "Wizara " + first,
                "domains",
                "moh.go." + tld,
                "contactEmail",
                "ict@" + first + ".go.tz"));
    assertThat(held.text()).contains("The institution has been onboarded");

    for (String lang : new String[] {"en", "sw"}) {
      operator.get("/institutions/new?lang=" + lang);
      String code = unique("n").toLowerCase();
      var refused =
          operator.submit(
              "form[action=/institutions/new]",
              Map.of(
                  "code",
                  code,
                  "name",
                  "Serikali " + code,
                  "domains",
                  "GO." + tld + ".",
                  "contactEmail",
                  "ict@" + code + ".go.tz"));
      assertThat(refused.status()).isEqualTo(409);
      assertThat(refused.document().select("#domains-error").text())
          .contains(
              lang.equals("en")
                  ? "Two institutions' domains may not overlap"
                  : "Vikoa vya taasisi mbili haviwezi kuingiliana");
      assertThat(refused.document().select("#domains").text()).isEqualTo("GO." + tld + ".");
    }
  }
}
