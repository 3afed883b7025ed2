package io.wingu.controlplane.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SiteEventsTest {

  private static JsonArray conditions(Condition... c) {
    return Condition.merge(new JsonArray(), List.of(c), Instant.EPOCH);
  }

  private static List<String> actions(
      String before, String now, JsonArray conditionsBefore, JsonArray conditionsNow) {
    return SiteEvents.between(before, now, conditionsBefore, conditionsNow).stream()
        .map(SiteEvents.Transition::action)
        .toList();
  }

  private final JsonArray applied =
      conditions(Condition.of(Condition.DEPLOYED, true, "Applied", "applied"));

  @Test
  void readyFromProvisioningOrDegradedDegradedOnlyFromActive() {
    assertThat(actions("PROVISIONING", "ACTIVE", applied, applied)).containsExactly("site.ready");
    assertThat(actions("DEGRADED", "ACTIVE", applied, applied)).containsExactly("site.ready");
    assertThat(actions("ACTIVE", "ACTIVE", applied, applied)).isEmpty();
    assertThat(actions("SUSPENDED", "ACTIVE", applied, applied)).isEmpty();
    assertThat(actions("PROVISIONING", "DEGRADED", applied, applied)).isEmpty();
    JsonArray down =
        conditions(
            Condition.of(Condition.DEPLOYED, true, "Applied", "applied"),
            Condition.of(Condition.AVAILABLE, false, "NoReplicaAvailable", "none available"));
    List<SiteEvents.Transition> t = SiteEvents.between("ACTIVE", "DEGRADED", applied, down);
    assertThat(t).extracting(SiteEvents.Transition::action).containsExactly("site.degraded");
    assertThat(t.get(0).reason()).isEqualTo("Available (NoReplicaAvailable): none available");
  }

  @Test
  void aDeploymentFailsWhenDeployedTurnsFalseForAReasonNotTheApiBeingAway() {
    JsonArray refused =
        conditions(Condition.of(Condition.DEPLOYED, false, "PodSecurity", "not admitted"));
    JsonArray away =
        conditions(
            Condition.of(
                Condition.DEPLOYED,
                false,
                "ReconcileFailed",
                SiteEvents.UNREACHABLE + " (refused); retrying"));
    assertThat(SiteEvents.between("PROVISIONING", "PROVISIONING", applied, refused))
        .containsExactly(
            new SiteEvents.Transition("site.deploy-failed", "PodSecurity: not admitted"));
    assertThat(actions("PROVISIONING", "PROVISIONING", new JsonArray(), refused))
        .containsExactly("site.deploy-failed");
    // still refused on the next reconcile: told once
    assertThat(actions("PROVISIONING", "PROVISIONING", refused, refused)).isEmpty();
    assertThat(actions("ACTIVE", "ACTIVE", applied, away)).isEmpty();
  }
}
