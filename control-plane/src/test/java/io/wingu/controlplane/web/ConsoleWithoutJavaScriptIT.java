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
    var deploy = webmaster.get(sitePath + "/deploy?template=minimal-landing");
    assertThat(deploy.document().select("input[name=templateId]").attr("value"))
        .isEqualTo("minimal-landing");
    var refused =
        webmaster.submit(
            "form[method=post][action$=/deploy]", Map.of("institution.name.sw", "", "palette", ""));
    assertThat(refused.status()).as(refused.text()).isEqualTo(400);
    assertThat(refused.document().select(".error-summary a").eachAttr("href"))
        .as(refused.document().select(".error-summary").text())
        .contains("#p-institution-name-sw", "#p-palette");
    assertThat(refused.document().select("#p-institution-name-sw-error").text())
        .contains("Hili halilingani na kiolezo");
    assertThat(refused.document().select("textarea[name=institution.about.en]").text())
        .isNotEmpty();
    var first =
        webmaster.submit(
            "form[method=post][action$=/deploy]",
            Map.of("institution.name.sw", "Bodi ya Misitu", "palette", "kijani"));
    assertThat(first.text()).contains("Toleo jipya limesambazwa");
    var second =
        webmaster.submit(
            "form[method=post][action$=/deploy]",
            Map.of(
                "institution.tagline.sw",
                "Misitu kwa vizazi vijavyo",
                "institution.tagline.en",
                "Forests for generations to come"));
    assertThat(second.document().select("form[action$=/rollback]")).hasSize(1);
    var rolledBack = webmaster.submit("form[action$=/rollback]", Map.of());
    assertThat(rolledBack.text()).contains("Tovuti imerudishwa");
    var preview = webmaster.get(sitePath + "/preview?revision=2");
    assertThat(preview.status()).isEqualTo(200);
    // the example's parameters publish English first
    assertThat(preview.text()).contains("Forests for generations to come");
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
