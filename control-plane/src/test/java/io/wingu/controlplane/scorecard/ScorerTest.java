package io.wingu.controlplane.scorecard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Scores from known evidence, by hand: the weighted share of applicable criteria met. */
class ScorerTest {

  static final LocalDate AS_OF = LocalDate.of(2026, 10, 31);
  final Scorer scorer = new Scorer(Criteria.defaultWeights());

  static Evidence evidence(
      String code,
      int deployed,
      int newest,
      int hostnames,
      Integer tls,
      LocalDate change,
      int live,
      int accessible,
      int alerts,
      int systems,
      int reviewed,
      int incomplete) {
    return new Evidence(
        UUID.nameUUIDFromBytes(code.getBytes()),
        code,
        "Institution " + code,
        null,
        deployed,
        newest,
        hostnames,
        tls,
        change,
        live,
        accessible,
        alerts,
        systems,
        reviewed,
        incomplete);
  }

  static Evidence perfect(String code) {
    return evidence(code, 2, 2, 3, 3, AS_OF.minusDays(3), 2, 2, 0, 4, 4, 0);
  }

  @Test
  void everyCriterionMetScoresOneHundred() {
    Score s = scorer.score(perfect("moh"), AS_OF);
    assertThat(s.score()).isEqualTo(100.0);
    assertThat(s.missed()).isEmpty();
    assertThat(s.criteria()).extracting(Score.Result::id).containsExactlyElementsOf(Criteria.IDS);
  }

  @Test
  void partlyMetCriteriaCountByTheirShareAndWeight() {
    // template 1/2 (15 × 0.5), tls 2/4 (20 × 0.5), content 100 days old (0 of 15), accessibility
    // 1/2 (15 × 0.5),
    // one 100 % alert (0 of 10), register 1/2 reviewed (10 × 0.5), one incomplete request (0 of 15)
    Evidence e = evidence("tra", 2, 1, 4, 2, AS_OF.minusDays(100), 2, 1, 1, 2, 1, 1);
    Score s = scorer.score(e, AS_OF);
    assertThat(s.score()).isEqualTo(30.0); // (7.5 + 10 + 0 + 7.5 + 0 + 5 + 0) / 100
    assertThat(s.missed()).containsExactly(Criteria.IDS.toArray(String[]::new));
    Score.Result content = s.criteria().get(2);
    assertThat(content.evidence().getLong("days")).isEqualTo(100L);
    assertThat(content.toJson().getString("howToImprove")).contains("90 days");
  }

  @Test
  void criteriaThatDoNotApplyAreLeftOutOfTheShare() {
    // no site: template, tls, content and accessibility do not apply; quota and requests met;
    // register empty
    Evidence e = evidence("new", 0, 0, 0, 0, null, 0, 0, 0, 0, 0, 0);
    Score s = scorer.score(e, AS_OF);
    assertThat(s.score()).isEqualTo(71.4); // (10 + 15) of (10 + 10 + 15)
    assertThat(s.missed()).containsExactly(Criteria.REGISTER_REVIEWED);
  }

  @Test
  void unknownTlsDoesNotCountForOrAgainst() {
    Evidence e = evidence("x", 1, 1, 2, null, AS_OF, 1, 1, 0, 1, 1, 0);
    Score s = scorer.score(e, AS_OF);
    assertThat(s.score()).isEqualTo(100.0);
    assertThat(s.criteria().get(1).applicable()).isFalse();
  }

  @Test
  void rankingIsBestFirstWithSharedRanksAndAMedian() {
    List<Score> ranked =
        scorer.rank(
            List.of(
                evidence("c", 0, 0, 0, 0, null, 0, 0, 1, 0, 0, 1),
                perfect("b"),
                perfect("a"),
                evidence("d", 2, 1, 4, 2, AS_OF.minusDays(100), 2, 1, 1, 2, 1, 1)),
            AS_OF);
    assertThat(ranked).extracting(Score::code).containsExactly("a", "b", "d", "c");
    assertThat(ranked).extracting(Score::rank).containsExactly(1, 1, 3, 4);
    assertThat(Scorer.median(ranked)).isEqualTo(65.0); // (100 + 30) / 2
  }

  @Test
  void weightsComeFromConfigurationAndAreChecked() {
    Map<String, Integer> w = Criteria.parseWeights("tls=40, within-quota=0");
    assertThat(w.get(Criteria.TLS)).isEqualTo(40);
    assertThat(w.get(Criteria.WITHIN_QUOTA)).isZero();
    assertThat(w.get(Criteria.TEMPLATE_CURRENT)).isEqualTo(15);
    Score s = new Scorer(w).score(evidence("q", 1, 1, 1, 1, AS_OF, 1, 1, 3, 1, 1, 0), AS_OF);
    assertThat(s.score()).as("a criterion weighted 0 changes nothing").isEqualTo(100.0);
    assertThatThrownBy(() -> Criteria.parseWeights("speed=10")).hasMessageContaining("speed=10");
    assertThatThrownBy(() -> Criteria.parseWeights("tls=101")).hasMessageContaining("0 to 100");
    assertThatThrownBy(
            () ->
                Criteria.parseWeights(
                    String.join(",", Criteria.IDS.stream().map(i -> i + "=0").toList())))
        .hasMessageContaining("at least one");
  }
}
