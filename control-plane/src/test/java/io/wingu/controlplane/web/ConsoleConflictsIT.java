package io.wingu.controlplane.web;

import static io.wingu.controlplane.testing.SharedControlPlane.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.SharedControlPlane;
import io.wingu.controlplane.testing.TenantSite;
import io.wingu.controlplane.testing.TestControlPlane;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The conflicts a person can cause in the console, each in its own Swahili words (not the general
 * "this conflicts"), in headless Chromium: a taken hostname, a duplicate site name, a duplicate
 * institution code, a domain overlapping another institution's, a taken username, a request someone
 * else decided first, a site suspended or decommissioned meanwhile, a page address already taken
 * and an upgrade to the template version the site already runs or of a site with nothing deployed.
 */
class ConsoleConflictsIT {

  static ConsoleBrowser ui;

  @BeforeAll
  static void start() {
    ui = ConsoleBrowser.start(SharedControlPlane.url());
  }

  @AfterAll
  static void stop() {
    ConsoleBrowser.stop(ui, null);
  }

  /** The console's Swahili words for a conflict, as messages_sw.properties has them. */
  static String swahili(String code) {
    Properties words = new Properties();
    try (InputStream in =
        ConsoleConflictsIT.class.getResourceAsStream("/console/messages_sw.properties")) {
      assertThat(in).as("messages_sw.properties on the class path").isNotNull();
      words.load(new InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String text = words.getProperty("error.conflict." + code);
    assertThat(text).as("error.conflict." + code).isNotBlank();
    return text;
  }

  /** An institution with a webmaster and an approved site, made over the API. */
  static TenantSite tenantSite(String siteName) {
    ApiClient operator =
        ApiClient.signIn(
            SharedControlPlane.url(),
            TestControlPlane.OPERATOR,
            TestControlPlane.OPERATOR_PASSWORD);
    return TenantSite.create(operator, siteName);
  }

  static String webmaster(TenantSite site) {
    return site.code() + "-web";
  }

  static String password(String username) {
    return "password-" + username;
  }

  /** An institution with an admin, onboarded over plain HTTP. */
  record Onboarded(String code, String path) {}

  static Onboarded onboard(ConsoleClient operator) {
    String code = unique("k").toLowerCase();
    operator.get("/institutions/new?lang=en");
    var created =
        operator.submit(
            "form[action=/institutions/new]",
            Map.of(
                "code",
                code,
                "name",
                "Ministry " + code,
                "nameSw",
                "Wizara " + code,
                "domains",
                code + ".go.tz",
                "contactEmail",
                "ict@" + code + ".go.tz"));
    assertThat(created.text()).contains("The institution has been onboarded");
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
    return new Onboarded(code, created.response().uri().getPath());
  }

  static String institution(ConsoleClient operator) {
    return onboard(operator).code();
  }

  static ConsoleClient operator() {
    ConsoleClient operator = new ConsoleClient(SharedControlPlane.url());
    operator.signIn(TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD);
    return operator;
  }

  /** The admin's request over plain HTTP; returns the request's path. */
  static String request(String code, String siteName, String hostname) {
    ConsoleClient admin = new ConsoleClient(SharedControlPlane.url()).acceptLanguage("sw");
    admin.signIn(code + "-admin", "admin-password-" + code);
    admin.get("/requests/new");
    admin.submit(
        "form[action=/requests/new]",
        Map.of(
            "siteName",
            siteName,
            "hostnames",
            hostname,
            "plan",
            "small",
            "justification",
            "Tovuti ya wizara"));
    var submitted = admin.submit("form[action=/requests/submit]", Map.of("action", "submit"));
    assertThat(submitted.text()).contains("Ombi limetumwa");
    return submitted.response().uri().getPath();
  }

  /**
   * The admin asks in Chromium, in Swahili: a conflict with what exists is named on the form's
   * first step, before the check page.
   */
  static void askInBrowser(String code, String siteName, String hostname) {
    ui.signIn("sw", code + "-admin", "admin-password-" + code);
    ui.open("/requests/new?lang=sw");
    ui.type("siteName", siteName);
    ui.type("hostnames", hostname);
    ui.find("#plan").click();
    ui.find("#templateId-ministry-portal").click();
    ui.find("#database").click();
    ui.type("justification", "Tovuti ya wizara");
    ui.press("form[action='/requests/new'] button[type=submit]");
    assertThat(ui.findAll("button[name=action][value=submit]")).isEmpty();
  }

  /** The operator, in Chromium in Swahili, sends the new-institution form with these answers. */
  static void onboardInBrowser(String code, String name, String domains) {
    ui.signIn("sw", TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD);
    ui.open("/institutions/new?lang=sw");
    ui.type("code", code);
    ui.type("name", "Ministry " + name);
    ui.type("nameSw", "Wizara " + name);
    ui.type("domains", domains);
    ui.type("contactEmail", "ict@" + name + ".go.tz");
    ui.press("form[action='/institutions/new'] button[type=submit]");
  }

  @Test
  void aDuplicateInstitutionCodeIsNamedOnTheCodeField() {
    String code = institution(operator());
    String other = unique("k").toLowerCase();
    onboardInBrowser(code, other, other + ".go.tz");
    assertThat(ui.find("#code-error").getText())
        .contains("Msimbo huu tayari unatumiwa na taasisi nyingine");
    assertThat(ui.find(".error-summary a[href='#code']").getText())
        .contains("Msimbo huu tayari unatumiwa");
    ui.signOut();
  }

  @Test
  void aTakenHostnameAndADuplicateSiteNameAreNamedOnTheirFields() {
    ConsoleClient operator = operator();
    String code = institution(operator);
    String served = "www." + code + ".go.tz";
    String path = request(code, "tovuti", served);
    operator.get(path);
    assertThat(operator.submit("form[action$=/approve]", Map.of()).text())
        .contains("The request has been approved");

    askInBrowser(code, "nyingine", served);
    assertThat(ui.find("#hostnames-error").getText())
        .contains("Jina hili la mwenyeji tayari linahudumiwa na tovuti nyingine");
    ui.signOut();

    askInBrowser(code, "tovuti", "habari." + code + ".go.tz");
    assertThat(ui.find("#siteName-error").getText())
        .contains("Jina hili la tovuti tayari linatumika katika taasisi yako");
    ui.signOut();
  }

  @Test
  void aRequestDecidedMeanwhileSaysSoInsteadOfAnError() {
    ConsoleClient operator = operator();
    String code = institution(operator);
    String path = request(code, "tovuti", "www." + code + ".go.tz");
    ui.signIn("sw", TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD);
    ui.open(path + "?lang=sw");
    // another operator rejects it while this one still looks at it
    operator.get(path);
    operator.submit("form[action$=/reject]", Map.of("reason", "Imekataliwa na mwingine"));
    ui.press("form[action$='/approve'] button[type=submit]");
    assertThat(ui.text()).contains("Mtu mwingine ameshaamua ombi hili");
    ui.signOut();
  }

  @Test
  void aTakenUsernameIsNamedOnTheUsernameField() {
    Onboarded institution = onboard(operator());
    ui.signIn("sw", TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD);
    ui.open(institution.path() + "?lang=sw");
    ui.type("username", institution.code() + "-admin");
    ui.type("password", "another-password-" + institution.code());
    ui.find("#role-webmaster").click();
    ui.press("form[action$='/users'] button[type=submit]");
    String taken = swahili("username-taken");
    assertThat(ui.find("#username-error").getText()).contains(taken);
    assertThat(ui.find(".error-summary a[href='#username']").getText()).contains(taken);
    ui.signOut();
  }

  @Test
  void aDomainOverlappingAnotherInstitutionsIsNamedOnTheDomainsField() {
    String held = institution(operator());
    String other = unique("k").toLowerCase();
    onboardInBrowser(other, other, "huduma." + held + ".go.tz");
    String overlaps = swahili("domain-overlaps");
    assertThat(ui.find("#domains-error").getText()).contains(overlaps);
    assertThat(ui.find("#domains").getAttribute("value")).isEqualTo("huduma." + held + ".go.tz");
    ui.signOut();
  }

  @Test
  void aSuspensionSomeoneElseMadeFirstSaysSoOnTheSitePage() {
    TenantSite site = tenantSite("tovuti");
    ui.signIn("sw", TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD);
    ui.open("/sites/" + site.siteId() + "?lang=sw");
    // another operator suspends it while this one still looks at the page
    var suspended =
        SharedControlPlane.operator()
            .post(site.path("/suspend"), new JsonObject().put("reason", "Ukaguzi"));
    assertThat(suspended.status()).as(suspended.body()).isEqualTo(200);
    ui.type("reason", "Ukaguzi wa pili");
    ui.press("form[action$='/suspend'] button[type=submit]");
    assertThat(ui.text()).contains(swahili("site-transition-not-allowed"));
    ui.signOut();
  }

  @Test
  void aSiteDecommissionedMeanwhileRefusesNewContentInItsOwnWords() {
    TenantSite site = tenantSite("tovuti");
    String username = webmaster(site);
    ui.signIn("sw", username, password(username));
    ui.open("/sites/" + site.siteId() + "/content/pages/_new?lang=sw");
    ui.type("slug", "historia");
    ui.type("titleSw", "Historia yetu");
    ui.type("titleEn", "Our history");
    // the operator decommissions the site while the webmaster writes
    var gone = SharedControlPlane.operator().delete(site.path(""));
    assertThat(gone.status()).as(gone.body()).isEqualTo(202);
    ui.press("button[name=action][value=save]");
    assertThat(ui.text()).contains(swahili("site-decommissioning"));
    ui.signOut();
  }

  @Test
  void aTakenPageAddressIsNamedOnTheAddressField() {
    TenantSite site = tenantSite("tovuti").withPage("kuhusu", "Kuhusu", "About");

    String username = webmaster(site);
    ui.signIn("sw", username, password(username));
    ui.open("/sites/" + site.siteId() + "/content/pages/_new?lang=sw");
    ui.type("slug", "kuhusu");
    ui.type("titleSw", "Kuhusu sisi");
    ui.type("titleEn", "About us");
    ui.press("button[name=action][value=save]");
    String taken = swahili("content-slug-taken");
    assertThat(ui.find("#slug-error").getText()).contains(taken);
    assertThat(ui.find(".error-summary a[href='#slug']").getText()).contains(taken);
    // what was typed is kept, and the page first written is not replaced
    assertThat(ui.find("#titleSw").getAttribute("value")).isEqualTo("Kuhusu sisi");
    ui.open("/sites/" + site.siteId() + "/content/pages/kuhusu?lang=sw");
    assertThat(ui.find("#titleSw").getAttribute("value")).isEqualTo("Kuhusu");
    ui.signOut();
  }

  @Test
  void anUpgradeToTheVersionTheSiteRunsSaysItIsUpToDate() {
    TenantSite site = tenantSite("tovuti");
    ApiClient web = site.webmaster();
    JsonObject example =
        web.get("/api/v1/templates").array().stream()
            .map(JsonObject.class::cast)
            .filter(t -> t.getString("id").equals("minimal-landing"))
            .findFirst()
            .orElseThrow()
            .getJsonObject("example");
    var deployed =
        web.post(
            site.path("/deployments"),
            new JsonObject().put("templateId", "minimal-landing").put("parameters", example));
    assertThat(deployed.status()).as(deployed.body()).isEqualTo(201);

    // the upgrade's confirmation page, still open after someone else took the upgrade
    String username = webmaster(site);
    ui.signIn("sw", username, password(username));
    ui.open("/sites/" + site.siteId() + "/upgrade?lang=sw");
    ui.press("form[action$='/upgrade'] button[type=submit]");
    assertThat(ui.text()).contains(swahili("template-up-to-date"));
    assertThat(web.get(site.path("")).json().getInteger("currentRevision")).isEqualTo(1);
    ui.signOut();
  }

  @Test
  void anUpgradeOfASiteWithNothingDeployedSaysToDeployFirst() {
    TenantSite site = tenantSite("tovuti");
    String username = webmaster(site);
    ui.signIn("sw", username, password(username));
    ui.open("/sites/" + site.siteId() + "/upgrade?lang=sw");
    ui.press("form[action$='/upgrade'] button[type=submit]");
    assertThat(ui.text()).contains(swahili("nothing-deployed"));
    assertThat(site.webmaster().get(site.path("")).json().getValue("currentRevision")).isNull();
    ui.signOut();
  }
}
