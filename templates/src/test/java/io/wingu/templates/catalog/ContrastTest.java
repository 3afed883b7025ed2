package io.wingu.templates.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.wingu.templates.testing.ExampleSites;
import org.junit.jupiter.api.Test;

class ContrastTest {

  @Test
  void ratioFollowsTheWcagFormula() {
    assertThat(Contrast.ratio("#000000", "#ffffff")).isCloseTo(21.0, within(0.001));
    assertThat(Contrast.ratio("#ffffff", "#ffffff")).isCloseTo(1.0, within(0.001));
    // #767676 on white is the well-known lightest grey that still passes 4.5:1
    assertThat(Contrast.ratio("#767676", "#ffffff")).isGreaterThanOrEqualTo(4.5);
    assertThat(Contrast.ratio("#777777", "#ffffff")).isLessThan(4.5);
  }

  @Test
  void everyShippedPalettePassesWcagAa() {
    assertThat(ExampleSites.catalog().palettes().all()).hasSizeGreaterThanOrEqualTo(5);
    ExampleSites.catalog()
        .palettes()
        .all()
        .values()
        .forEach(palette -> assertThat(palette.contrastProblems()).as(palette.id()).isEmpty());
  }
}
