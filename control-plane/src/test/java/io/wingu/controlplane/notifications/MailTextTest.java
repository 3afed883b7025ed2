package io.wingu.controlplane.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MailTextTest {

  private final MailText texts = MailText.load();

  @Test
  void everyKindHasItsMailInSwahiliAndEnglish() {
    for (Kind k : Kind.values()) {
      for (String lang : new String[] {"sw", "en"}) {
        MailText.Rendered r = texts.render(k, lang, Map.of("site", "portal", "name", "asha"));
        assertThat(r.subject()).as(k + " " + lang).isNotBlank().doesNotContain("{");
        assertThat(r.text()).as(k + " " + lang).contains("asha").doesNotContain("{site}");
        assertThat(r.html()).startsWith("<!DOCTYPE html><html lang=\"" + lang + "\">");
      }
    }
    assertThat(texts.word("sw", "scorecard-published.nothing")).isNotBlank();
    assertThat(texts.word("en", "scorecard-published.nothing")).isNotBlank();
  }

  @Test
  void whatAPersonTypedCannotStartAHeaderOrMarkup() {
    MailText.Rendered r =
        texts.render(
            Kind.SITE_SUSPENDED,
            "en",
            Map.of("site", "a\r\nBcc: x@y.go.tz\u2028X: y", "reason", "<script>alert(1)</script>"));
    assertThat(r.subject()).isEqualTo("Site suspended: a Bcc: x@y.go.tz X: y");
    assertThat(MailText.headerSafe(r.subject())).isTrue();
    assertThat(r.html()).contains("&lt;script&gt;").doesNotContain("<script>");
    assertThat(MailText.headerSafe("one\nline")).isFalse();
  }

  @Test
  void onlyPlainAddressesAreAccepted() {
    assertThat(MailText.isAddress("asha.juma@moh.go.tz")).isTrue();
    assertThat(MailText.isAddress("a@moh.go.tz\r\nBcc: b@c.go.tz")).isFalse();
    assertThat(MailText.isAddress("Asha <a@moh.go.tz>")).isFalse();
    assertThat(MailText.isAddress("no-at-sign")).isFalse();
  }
}
