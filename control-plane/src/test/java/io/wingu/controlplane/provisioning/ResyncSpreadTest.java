package io.wingu.controlplane.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The periodic resync reaches every tenant once a period, in slices over its first half. */
class ResyncSpreadTest {

  private static List<UUID> tenants(int n) {
    return IntStream.range(0, n).mapToObj(i -> new UUID(0, i)).toList();
  }

  @Test
  void everyTenantGoesOnceInTheOrderGivenOverTheFirstHalfOfThePeriod() {
    List<UUID> tenants = tenants(2000);

    List<ResyncSpread.Slice> plan = ResyncSpread.plan(tenants, Duration.ofSeconds(300));

    // one slice a second for 150 s: 2,000 tenants as 13 or 14 a slice
    assertThat(plan).hasSize(150);
    List<UUID> all = new ArrayList<>();
    for (int i = 0; i < plan.size(); i++) {
      assertThat(plan.get(i).delay()).isEqualTo(Duration.ofSeconds(i));
      assertThat(plan.get(i).tenants().size()).isBetween(13, 14);
      all.addAll(plan.get(i).tenants());
    }
    assertThat(all).isEqualTo(tenants);
    assertThat(plan.getLast().delay()).isLessThan(Duration.ofSeconds(150));
  }

  @Test
  void fewTenantsGoOneASecondFromTheStart() {
    List<ResyncSpread.Slice> plan = ResyncSpread.plan(tenants(3), Duration.ofSeconds(300));

    assertThat(plan)
        .extracting(ResyncSpread.Slice::delay)
        .containsExactly(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(2));
    assertThat(plan).allSatisfy(s -> assertThat(s.tenants()).hasSize(1));
  }

  @Test
  void aPeriodShorterThanTwoStepsSendsEveryTenantAtOnce() {
    List<ResyncSpread.Slice> plan = ResyncSpread.plan(tenants(40), Duration.ofSeconds(1));

    assertThat(plan).hasSize(1);
    assertThat(plan.getFirst().delay()).isZero();
    assertThat(plan.getFirst().tenants()).hasSize(40);
  }

  @Test
  void noTenantsNoSlices() {
    assertThat(ResyncSpread.plan(List.of(), Duration.ofSeconds(300))).isEmpty();
  }
}
