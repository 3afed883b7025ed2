package io.wingu.controlplane.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Where the sign-in form may send a visitor afterwards: only to a path of this console. */
class SafeNextTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/%09/evil.example",
        "/\t/evil.example",
        "/%0a/evil.example",
        "/%0D/evil.example",
        "/\n/evil.example",
        "/\r\n/evil.example",
        "//evil.example",
        "///evil.example",
        "/\\evil.example",
        "/\\/evil.example",
        "/%5Cevil.example",
        "/%5c%5cevil.example",
        "/%2F/evil.example",
        "/%2f%2fevil.example",
        "https://evil.example/",
        "http:evil.example",
        "javascript:alert(1)",
        "evil.example",
        ".//evil.example",
        "/ /evil.example",
        "/%00/evil.example",
        "/%7F/evil.example",
        "/%C2%85/evil.example",
        "/%E2%80%A8/evil.example",
        "/sites?next=%0D%0ASet-Cookie:a=b",
        "/sites#%09x",
        "/x\u0085y",
        "/caf\u00e9",
        "/%",
        "/%zz",
        "/api/v1/me",
        "",
        " /sites"
      })
  void attacksGoHome(String next) {
    assertThat(SignInPages.safeNext(next)).isEqualTo("/");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/",
        "/requests",
        "/requests?status=PENDING",
        "/sites/3f0c/content/pages?lang=sw",
        "/institutions/1/services?done=shown#top",
        "/search?q=a%20b",
        "/a/b/../c"
      })
  void pathsOfThisConsoleAreKept(String next) {
    assertThat(SignInPages.safeNext(next)).isEqualTo(next);
  }

  @org.junit.jupiter.api.Test
  void nothingGoesHome() {
    assertThat(SignInPages.safeNext(null)).isEqualTo("/");
  }
}
