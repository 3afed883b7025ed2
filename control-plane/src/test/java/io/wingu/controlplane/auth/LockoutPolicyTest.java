package io.wingu.controlplane.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The waits after failed sign-ins for one name from one address: none, then doubling, then capped.
 */
class LockoutPolicyTest {

  private final AuthRoutes.LockoutPolicy policy =
      new AuthRoutes.LockoutPolicy(5, Duration.ofSeconds(900));

  @Test
  void noWaitBeforeTheLimit() {
    for (int failures = 0; failures < 5; failures++) {
      assertThat(policy.waitAfter(failures)).isZero();
    }
  }

  @Test
  void thirtySecondsAtTheLimitThenTwiceAsLongPerFailureUpToTheLockout() {
    assertThat(policy.waitAfter(5)).isEqualTo(Duration.ofSeconds(30));
    assertThat(policy.waitAfter(6)).isEqualTo(Duration.ofSeconds(60));
    assertThat(policy.waitAfter(7)).isEqualTo(Duration.ofSeconds(120));
    assertThat(policy.waitAfter(9)).isEqualTo(Duration.ofSeconds(480));
    assertThat(policy.waitAfter(10)).isEqualTo(Duration.ofSeconds(900));
    assertThat(policy.waitAfter(10_000)).isEqualTo(Duration.ofSeconds(900));
  }

  @Test
  void aShortLockoutCapsEvenTheFirstWait() {
    assertThat(new AuthRoutes.LockoutPolicy(3, Duration.ofSeconds(2)).waitAfter(3))
        .isEqualTo(Duration.ofSeconds(2));
  }
}
