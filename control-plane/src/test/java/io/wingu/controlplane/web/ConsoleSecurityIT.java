package io.wingu.controlplane.web;

import static io.wingu.controlplane.testing.SharedControlPlane.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.SharedControlPlane;
import io.wingu.controlplane.testing.TestControlPlane;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console's guards over plain HTTP: sign-in and its cookies, CSRF refusal, roles, tenant
 * isolation, friendly errors, and that the API keeps its own problem+json answers.
 */
class ConsoleSecurityIT {

  record Tenant(
      String id,
      String code,
      String adminUser,
      String adminPassword,
      String requestId,
      String siteName) {}

  static ApiClient operator;
  static Tenant a;
  static Tenant b;

  @BeforeAll
  static void setUp() {
    operator = SharedControlPlane.operator();
    a = tenant();
    b = tenant();
  }

  /** An institution with an admin and one pending request, made through the API. */
  static Tenant tenant() {
    JsonObject inst = SharedControlPlane.newInstitution(operator);
    String code = inst.getString("code");
    String user = unique("adm").toLowerCase();
    String password = "password-" + user;
    var created =
        operator.post(
            "/api/v1/institutions/" + inst.getString("id") + "/users",
            new JsonObject()
                .put("username", user)
                .put("password", password)
                .put("role", "institution-admin"));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    ApiClient admin = ApiClient.signIn(SharedControlPlane.url(), user, password);
    String siteName = "site-" + code;
    var request =
        admin.post(
            "/api/v1/requests",
            new JsonObject()
                .put("siteName", siteName)
                .put("hostnames", new JsonArray().add("www." + code + ".go.tz"))
                .put("plan", "small")
                .put("justification", "the portal of " + code));
    assertThat(request.status()).as(request.body()).isEqualTo(201);
    return new Tenant(
        inst.getString("id"), code, user, password, request.json().getString("id"), siteName);
  }

  static ConsoleClient signedIn(String user, String password) {
    ConsoleClient client = new ConsoleClient(SharedControlPlane.url());
    var page = client.signIn(user, password);
    assertThat(page.status()).as(page.text()).isEqualTo(200);
    return client;
  }

  static ConsoleClient operatorConsole() {
    return signedIn(TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD);
  }

  @Test
  void aVisitorWhoIsNotSignedInIsSentToTheSignInForm() {
    ConsoleClient visitor = new ConsoleClient(SharedControlPlane.url());
    var page = visitor.get("/requests?status=PENDING");
    assertThat(page.response().uri().getPath()).isEqualTo("/login");
    assertThat(page.document().select("input[name=username]")).hasSize(1);
    assertThat(page.document().select("input[name=password][type=password]")).hasSize(1);
    // after signing in the visitor lands where they were going
    var after =
        visitor.submit(
            "form[action=/login]",
            Map.of(
                "username",
                TestControlPlane.OPERATOR,
                "password",
                TestControlPlane.OPERATOR_PASSWORD));
    assertThat(after.response().uri().getPath()).isEqualTo("/requests");
    assertThat(after.response().uri().getQuery()).isEqualTo("status=PENDING");
  }

  /**
   * next= values that must never lead anywhere but home: other sites, and what a browser turns into
   * one.
   */
  static final java.util.List<String> REDIRECT_ATTACKS =
      java.util.List.of(
          "/%09/evil.example",
          "/\t/evil.example",
          "//evil.example",
          "/\\evil.example",
          "https://evil.example/",
          "/%5Cevil.example",
          "/%2F/evil.example",
          "/%0A/evil.example",
          "/%0d%0aSet-Cookie:%20a=b",
          "/ /evil.example",
          "/x\n/y",
          "/x\r\nSet-Cookie: a=b",
          "javascript:alert(1)",
          "/%E2%80%A8/evil.example");

  @Test
  void signInLeadsOnlyToAPathOfThisConsoleWhateverNextSays() {
    for (String next : REDIRECT_ATTACKS) {
      ConsoleClient visitor = new ConsoleClient(SharedControlPlane.url());
      var form =
          visitor.get(
              "/login?next="
                  + java.net.URLEncoder.encode(next, java.nio.charset.StandardCharsets.UTF_8));
      assertThat(form.document().select("input[name=next]").attr("value")).as(next).isEqualTo("/");
      // the form posted with the attack in it, as a crafted page would send it
      var answer =
          visitor.submitWithoutFollowing(
              "form[action=/login]",
              Map.of(
                  "username",
                  TestControlPlane.OPERATOR,
                  "password",
                  TestControlPlane.OPERATOR_PASSWORD,
                  "next",
                  next));
      assertThat(answer.statusCode()).as(next).isEqualTo(303);
      assertThat(answer.headers().firstValue("Location")).as(next).hasValue("/");
    }
    // a path of this console is kept
    ConsoleClient visitor = new ConsoleClient(SharedControlPlane.url());
    visitor.get("/login?next=%2Frequests%3Fstatus%3DPENDING");
    var answer =
        visitor.submitWithoutFollowing(
            "form[action=/login]",
            Map.of(
                "username",
                TestControlPlane.OPERATOR,
                "password",
                TestControlPlane.OPERATOR_PASSWORD));
    assertThat(answer.headers().firstValue("Location")).hasValue("/requests?status=PENDING");
  }

  @Test
  void aLineFeedInNextIsAnsweredEvenWhenTheSignInFails() {
    ConsoleClient visitor = new ConsoleClient(SharedControlPlane.url());
    visitor.get("/login");
    var wrong =
        visitor.submitWithoutFollowing(
            "form[action=/login]",
            Map.of("username", a.adminUser(), "password", "not-the-password", "next", "/x\n/y"));
    assertThat(wrong.statusCode()).isEqualTo(401);
    visitor.get("/login");
    var right =
        visitor.submitWithoutFollowing(
            "form[action=/login]",
            Map.of(
                "username",
                TestControlPlane.OPERATOR,
                "password",
                TestControlPlane.OPERATOR_PASSWORD,
                "next",
                "/x\n/y"));
    assertThat(right.statusCode()).isEqualTo(303);
    assertThat(right.headers().firstValue("Location")).hasValue("/");
  }

  @Test
  void theSessionCookieIsHttpOnlyAndSameSiteLaxAndSignOutEndsTheSessionOnTheServer() {
    ConsoleClient client = operatorConsole();
    String cookie = client.lastSetCookie(SessionGate.COOKIE);
    assertThat(cookie).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Lax");
    String value = client.cookies().get(SessionGate.COOKIE);

    client.submit("form[action=/logout]", Map.of());
    assertThat(client.current().response().uri().getPath()).isEqualTo("/login");

    // the old cookie value, replayed, opens nothing: the session is gone from the database
    ConsoleClient replay = new ConsoleClient(SharedControlPlane.url());
    replay.cookies().put(SessionGate.COOKIE, value);
    assertThat(replay.get("/").response().uri().getPath()).isEqualTo("/login");
  }

  @Test
  void aWrongPasswordIsShownOnTheFormWithTheUsernameKept() {
    ConsoleClient client = new ConsoleClient(SharedControlPlane.url()).acceptLanguage("sw");
    client.get("/login");
    var page =
        client.submit(
            "form[action=/login]",
            Map.of("username", a.adminUser(), "password", "not-the-password"));
    assertThat(page.status()).isEqualTo(401);
    assertThat(page.document().select(".error-summary a[href=#username]").text())
        .isEqualTo("Jina la mtumiaji au nenosiri si sahihi");
    assertThat(page.document().select("input[name=username]").attr("value"))
        .isEqualTo(a.adminUser());
  }

  @Test
  void aFormWithoutOrWithAForgedCsrfTokenIsRefusedAndChangesNothing() {
    ConsoleClient client = operatorConsole();
    var missing =
        client.postRaw("/requests/" + a.requestId() + "/reject", Map.of("reason", "forged"));
    assertThat(missing.status()).isEqualTo(403);
    var forged =
        client.postRaw(
            "/requests/" + a.requestId() + "/reject",
            Map.of("reason", "forged", SessionGate.CSRF_FIELD, "not-the-token"));
    assertThat(forged.status()).isEqualTo(403);
    assertThat(forged.document().select("h1").text()).isEqualTo("The form has expired");
    assertThat(operator.get("/api/v1/requests/" + a.requestId()).json().getString("status"))
        .isEqualTo("PENDING");

    ConsoleClient stranger = new ConsoleClient(SharedControlPlane.url());
    var login =
        stranger.postRaw(
            "/login",
            Map.of(
                "username",
                TestControlPlane.OPERATOR,
                "password",
                TestControlPlane.OPERATOR_PASSWORD));
    assertThat(login.status()).isEqualTo(403);
    assertThat(stranger.cookies()).doesNotContainKey(SessionGate.COOKIE);
  }

  @Test
  void anInstitutionAdminSeesNothingOfAnotherInstitution() {
    ConsoleClient adminOfA = signedIn(a.adminUser(), a.adminPassword());
    String requests = adminOfA.get("/requests").text();
    assertThat(requests).contains(a.siteName()).doesNotContain(b.siteName());
    assertThat(adminOfA.get("/institutions").text()).contains(a.code()).doesNotContain(b.code());

    var otherRequest = adminOfA.get("/requests/" + b.requestId());
    assertThat(otherRequest.status()).isEqualTo(404);
    assertThat(otherRequest.text()).doesNotContain(b.siteName());
    assertThat(adminOfA.get("/institutions/" + b.id()).status()).isEqualTo(404);
    // nor can it act on B's request
    adminOfA.get("/requests/" + a.requestId());
    String csrf = adminOfA.current().document().select("input[name=_csrf]").attr("value");
    var cancel =
        adminOfA.postRaw(
            "/requests/" + b.requestId() + "/cancel", Map.of(SessionGate.CSRF_FIELD, csrf));
    assertThat(cancel.status()).isEqualTo(404);
    assertThat(operator.get("/api/v1/requests/" + b.requestId()).json().getString("status"))
        .isEqualTo("PENDING");
  }

  @Test
  void anAuditorSeesEveryPageWithoutAFormThatChangesAnything() {
    ApiClient auditorApi = SharedControlPlane.newPlatformUser("auditor");
    String username = auditorApi.get("/api/v1/me").json().getString("username");
    ConsoleClient auditor = signedIn(username, "password-" + username);
    var detail = auditor.get("/requests/" + a.requestId());
    assertThat(detail.status()).isEqualTo(200);
    assertThat(detail.document().select("form[method=post]").eachAttr("action"))
        .containsExactly("/logout");
    String csrf = detail.document().select("input[name=_csrf]").attr("value");
    var approve =
        auditor.postRaw(
            "/requests/" + a.requestId() + "/approve", Map.of(SessionGate.CSRF_FIELD, csrf));
    assertThat(approve.status()).isEqualTo(403);
    assertThat(auditor.get("/audit").text()).contains("The hash chain is intact");
    assertThat(auditor.get("/institutions/new").status()).isEqualTo(403);
  }

  @Test
  void aRequestAlreadyDecidedBySomeoneElseShowsWhatHappened() {
    Tenant t = tenant();
    ConsoleClient first = operatorConsole();
    ConsoleClient second = operatorConsole();
    first.get("/requests/" + t.requestId());
    second.get("/requests/" + t.requestId());
    first.submit("form[action$=/approve]", Map.of());
    assertThat(first.current().text()).contains("The request has been approved");
    var stale = second.submit("form[action$=/reject]", Map.of("reason", "too late"));
    assertThat(stale.status()).isEqualTo(409);
    assertThat(stale.text())
        .contains("Someone else has already decided this request")
        .contains("Approved");
  }

  @Test
  void formErrorsAreListedAtTheTopLinkedToTheirFieldsWithTheAnswersKept() {
    ConsoleClient op = operatorConsole();
    op.get("/requests/" + a.requestId());
    var page = op.submit("form[action$=/approve]", Map.of("cpu", "3", "note", ""));
    assertThat(page.status()).isEqualTo(400);
    assertThat(page.document().select(".error-summary a").eachAttr("href"))
        .containsExactly("#note");
    assertThat(page.document().select("#note-error").text()).contains("Write a note");
    assertThat(page.document().select("input[name=cpu]").attr("value")).isEqualTo("3");

    op.get("/institutions/new");
    Map<String, String> answers =
        new HashMap<>(
            Map.of(
                "code",
                "Not A Code",
                "name",
                "Wizara",
                "domains",
                "not a domain",
                "contactEmail",
                "ict@example.go.tz"));
    var institution = op.submit("form[action=/institutions/new]", answers);
    assertThat(institution.status()).isEqualTo(400);
    assertThat(institution.document().select(".error-summary a").eachAttr("href"))
        .contains("#code");
    assertThat(institution.document().select("input[name=code]").attr("value"))
        .isEqualTo("Not A Code");
  }

  @Test
  void anUnknownPageIsAFriendlyNotFoundInTheVisitorsLanguageWhileTheApiKeepsProblemJson() {
    ConsoleClient swahili =
        new ConsoleClient(SharedControlPlane.url()).acceptLanguage("sw-TZ,sw;q=0.9,en;q=0.5");
    var page = swahili.get("/hakuna-ukurasa-huu");
    assertThat(page.status()).isEqualTo(404);
    assertThat(page.document().select("html").attr("lang")).isEqualTo("sw");
    assertThat(page.document().select("h1").text()).isEqualTo("Ukurasa haupatikani");

    var english = new ConsoleClient(SharedControlPlane.url()).get("/no-such-page?lang=en");
    assertThat(english.document().select("html").attr("lang")).isEqualTo("en");
    assertThat(english.document().select("h1").text()).isEqualTo("Page not found");

    var api = ApiClient.anonymous(SharedControlPlane.url()).get("/api/v1/no-such-thing");
    assertThat(api.status()).isEqualTo(404);
    assertThat(api.contentType()).startsWith("application/problem+json");
    var wrongMethod = operator.put("/api/v1/plans", new JsonObject());
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.contentType()).startsWith("application/problem+json");
  }

  @Test
  void theLanguageChosenWithLangIsRememberedInACookie() {
    ConsoleClient client = new ConsoleClient(SharedControlPlane.url()).acceptLanguage("en");
    assertThat(client.get("/login?lang=sw").document().select("h1").text()).isEqualTo("Ingia");
    var again = client.get("/login");
    assertThat(again.document().select("html").attr("lang")).isEqualTo("sw");
    assertThat(again.document().select("a[hreflang=en]").attr("href")).isEqualTo("/login?lang=en");
  }

  @Test
  void aLoginCsrfTokenTheServerDidNotIssueIsRefusedEvenWhenCookieAndFormAgree() {
    // an attacker who can plant a cookie (a sibling domain, a forged request) chooses both values
    ConsoleClient forger = new ConsoleClient(SharedControlPlane.url());
    forger.cookies().put(LoginCsrf.PLAIN_COOKIE, "attacker-chosen-token");
    var refused =
        forger.postRaw(
            "/login",
            Map.of(
                "username",
                TestControlPlane.OPERATOR,
                "password",
                TestControlPlane.OPERATOR_PASSWORD,
                SessionGate.CSRF_FIELD,
                "attacker-chosen-token"));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(forger.cookies()).doesNotContainKey(SessionGate.COOKIE);
    // a planted value is never adopted: the form gets a fresh token the server signed
    ConsoleClient visitor = new ConsoleClient(SharedControlPlane.url());
    visitor.cookies().put(LoginCsrf.PLAIN_COOKIE, "attacker-chosen-token");
    var form = visitor.get("/login");
    String issued = form.document().select("input[name=_csrf]").attr("value");
    assertThat(issued).isNotEqualTo("attacker-chosen-token").contains(".");
    assertThat(visitor.cookies().get(LoginCsrf.PLAIN_COOKIE)).isEqualTo(issued);
    // a signed token with its signature changed is refused too
    String tampered =
        issued.substring(0, issued.indexOf('.') + 1)
            + "AAAA"
            + issued.substring(issued.indexOf('.') + 5);
    visitor.cookies().put(LoginCsrf.PLAIN_COOKIE, tampered);
    assertThat(
            visitor
                .postRaw(
                    "/login",
                    Map.of(
                        "username",
                        TestControlPlane.OPERATOR,
                        "password",
                        TestControlPlane.OPERATOR_PASSWORD,
                        SessionGate.CSRF_FIELD,
                        tampered))
                .status())
        .isEqualTo(403);
  }

  @Test
  void overPlainHttpToLoopbackTheLoginCsrfCookieIsPlainAndAForgedForwardedProtoChangesNothing() {
    ConsoleClient client = new ConsoleClient(SharedControlPlane.url());
    client.get("/login");
    String cookie = client.lastSetCookie(LoginCsrf.PLAIN_COOKIE);
    assertThat(cookie)
        .containsIgnoringCase("HttpOnly")
        .containsIgnoringCase("SameSite=Strict")
        .containsIgnoringCase("Path=/");
    assertThat(client.cookies()).doesNotContainKey(LoginCsrf.SECURE_COOKIE);
  }

  @Test
  void aConsoleUploadFromAVisitorWhoIsNotSignedInIsNotReadOrWritten() throws Exception {
    String boundary = "forged-" + System.nanoTime();
    byte[] body =
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.pdf\"\r\n"
                + "Content-Type: application/pdf\r\n\r\n"
                + "%PDF-".repeat(400_000)
                + "\r\n--"
                + boundary
                + "--\r\n")
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    var folder = SharedControlPlane.get().uploadsFolder();
    try (var watch = java.nio.file.FileSystems.getDefault().newWatchService()) {
      folder.register(watch, java.nio.file.StandardWatchEventKinds.ENTRY_CREATE);
      var response =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          SharedControlPlane.url()
                              .resolve("/sites/00000000-0000-0000-0000-000000000001/documents"))
                      .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                      .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.discarding());
      assertThat(response.statusCode()).isEqualTo(303);
      assertThat(response.headers().firstValue("Location").orElseThrow()).startsWith("/login");
      assertThat(watch.poll(1, java.util.concurrent.TimeUnit.SECONDS)).isNull();
    }
  }

  @Test
  void aMethodAConsolePageDoesNotTakeIsA405NamingTheOnesItDoes() {
    ConsoleClient client = operatorConsole();
    var page = client.postRaw("/institutions/new/nothing", Map.of());
    assertThat(page.status()).isEqualTo(404);
    var audit = client.postRaw("/audit", Map.of(SessionGate.CSRF_FIELD, "x"));
    assertThat(audit.status()).isEqualTo(405);
    assertThat(audit.response().headers().firstValue("Allow").orElseThrow().split(", "))
        .contains("GET", "HEAD");
  }
}
