package io.wingu.controlplane.plans;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.SharedControlPlane;
import org.junit.jupiter.api.Test;

/** The plans catalogue over HTTP. */
class PlansApiIT {

  @Test
  void theSeededPlansAreListedAsAPlainArray() {
    var plans = SharedControlPlane.operator().get("/api/v1/plans");
    assertThat(plans.status()).isEqualTo(200);
    var names = plans.array().stream().map(p -> ((JsonObject) p).getString("name")).toList();
    assertThat(names).contains("small", "medium", "large");
    JsonObject small =
        plans.array().stream()
            .map(JsonObject.class::cast)
            .filter(p -> p.getString("name").equals("small"))
            .findFirst()
            .orElseThrow();
    assertThat(small.getString("cpu")).isEqualTo("500m");
    assertThat(small.getString("memory")).isEqualTo("512Mi");
    assertThat(small.getString("storage")).isEqualTo("5Gi");
    assertThat(small.getString("dbStorage")).isEqualTo("1Gi");
  }

  @Test
  void operatorsAddPlansAndNobodyElseDoes() {
    ApiClient operator = SharedControlPlane.operator();
    String name = SharedControlPlane.unique("xl");
    JsonObject plan =
        new JsonObject()
            .put("name", name)
            .put("cpu", "4")
            .put("memory", "8Gi")
            .put("storage", "100Gi")
            .put("dbStorage", "50Gi");
    var created = operator.post("/api/v1/plans", plan);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.json().getString("cpu")).isEqualTo("4");
    assertThat(operator.post("/api/v1/plans", plan).status()).isEqualTo(409);
    assertThat(
            operator
                .post("/api/v1/plans", plan.copy().put("name", name + "b").put("cpu", "lots"))
                .status())
        .isEqualTo(400);
    assertThat(
            operator
                .post("/api/v1/plans", plan.copy().put("name", name + "c").put("memory", "0"))
                .status())
        .isEqualTo(400);
    ApiClient auditor = SharedControlPlane.newPlatformUser("auditor");
    assertThat(auditor.post("/api/v1/plans", plan.copy().put("name", name + "d")).status())
        .isEqualTo(403);
    assertThat(auditor.get("/api/v1/plans").status()).isEqualTo(200);
  }
}
