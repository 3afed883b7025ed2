package io.wingu.controlplane.institutions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** One spelling per name, overlap, and whose a hostname is among overlapping (legacy) domains. */
class DnsNamesTest {

  @Test
  void caseTheTrailingDotAndSpacesDoNotMakeAnotherName() {
    assertThat(DnsNames.normalise("MOH.go.tz.")).isEqualTo("moh.go.tz");
    assertThat(DnsNames.normalise(" Moh.Go.Tz ")).isEqualTo("moh.go.tz");
    assertThat(DnsNames.normalise("moh.go.tz")).isEqualTo("moh.go.tz");
  }

  @Test
  void unicodeLabelsBecomePunycode() {
    assertThat(DnsNames.normalise("bücher.go.tz")).isEqualTo("xn--bcher-kva.go.tz");
    assertThat(DnsNames.normalise("BÜCHER.go.tz.")).isEqualTo("xn--bcher-kva.go.tz");
    assertThat(DnsNames.normalise("XN--BCHER-KVA.go.tz")).isEqualTo("xn--bcher-kva.go.tz");
    // ideographic and full-width full stops separate labels like '.'
    assertThat(DnsNames.normalise("moh\u3002go\uFF0Etz")).isEqualTo("moh.go.tz");
    assertThat(DnsNames.problem(DnsNames.normalise("wizara-ya-afya.bücher.tz"))).isNull();
  }

  @Test
  void whatIsNotANameStaysRefused() {
    assertThat(DnsNames.problem(DnsNames.normalise("moh..go.tz"))).isNotNull();
    assertThat(DnsNames.problem(DnsNames.normalise("moh.go.tz.."))).isNotNull();
    assertThat(DnsNames.problem(DnsNames.normalise("tz."))).isNotNull();
    assertThat(DnsNames.problem(DnsNames.normalise("under_score.go.tz"))).isNotNull();
    assertThat(DnsNames.problem(DnsNames.normalise("a".repeat(64) + ".go.tz"))).isNotNull();
    assertThat(DnsNames.problem(DnsNames.normalise("."))).isNotNull();
    assertThat(DnsNames.normalise(null)).isNull();
  }

  @Test
  void equalParentAndChildOverlapSiblingsAndLookalikesDoNot() {
    assertThat(DnsNames.overlap("moh.go.tz", "moh.go.tz")).isTrue();
    assertThat(DnsNames.overlap("go.tz", "moh.go.tz")).isTrue();
    assertThat(DnsNames.overlap("moh.go.tz", "go.tz")).isTrue();
    assertThat(DnsNames.overlap("x.moh.go.tz", "moh.go.tz")).isTrue();
    assertThat(DnsNames.overlap("tra.go.tz", "moh.go.tz")).isFalse();
    assertThat(DnsNames.overlap("amoh.go.tz", "moh.go.tz")).isFalse();
    assertThat(DnsNames.suffixes("x.moh.go.tz"))
        .containsExactly("x.moh.go.tz", "moh.go.tz", "go.tz");
  }

  @Test
  void aHostnameIsTheHolderOfTheMostSpecificDomainsEvenAmongLegacyOverlaps() {
    UUID gov = UUID.randomUUID();
    UUID moh = UUID.randomUUID();
    List<Delegation> legacy =
        List.of(new Delegation("go.tz", gov), new Delegation("moh.go.tz", moh));
    assertThat(DnsNames.holder("anything.moh.go.tz", legacy)).contains(moh);
    assertThat(DnsNames.holder("moh.go.tz", legacy)).contains(moh);
    assertThat(DnsNames.holder("www.go.tz", legacy)).contains(gov);
    assertThat(DnsNames.holder("amoh.go.tz", legacy)).contains(gov);
    assertThat(DnsNames.holder("www.tra.ke", legacy)).isEmpty();
    // two holders of the same most specific domain: it is no one's
    UUID other = UUID.randomUUID();
    assertThat(
            DnsNames.holder(
                "x.moh.go.tz",
                List.of(
                    new Delegation("moh.go.tz", moh),
                    new Delegation("moh.go.tz", other),
                    new Delegation("go.tz", gov))))
        .isEmpty();
  }
}
