package io.wingu.controlplane.audit;

import static io.wingu.controlplane.testing.SharedControlPlane.newInstitution;
import static io.wingu.controlplane.testing.SharedControlPlane.newInstitutionUser;
import static io.wingu.controlplane.testing.SharedControlPlane.siteRequest;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.SharedControlPlane;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GET /audit and /audit/verify over HTTP. */
class AuditApiIT {

  @Test
  void everyTransitionIsRecordedWithBeforeAndAfterAndTheChainVerifies() {
    ApiClient operator = SharedControlPlane.operator();
    JsonObject inst = newInstitution(operator);
    ApiClient admin = newInstitutionUser(operator, inst.getString("id"), "institution-admin");
    String requestId = admin.post("/api/v1/requests", siteRequest(inst, "audited")).json().getString("id");
    operator.post("/api/v1/requests/" + requestId + "/reject", new JsonObject().put("reason", "not needed"));

    var events = operator.get("/api/v1/audit?institutionId=" + inst.getString("id") + "&limit=500");
    assertThat(events.status()).isEqualTo(200);
    List<JsonObject> items = events.json().getJsonArray("items").stream().map(JsonObject.class::cast).toList();
    assertThat(items.stream().map(e -> e.getString("action")))
        .containsSubsequence("institution.create", "account.create", "request.submit", "request.reject");
    JsonObject reject = items.stream().filter(e -> e.getString("action").equals("request.reject")).findFirst().orElseThrow();
    assertThat(reject.getString("actor")).isEqualTo("operator");
    assertThat(reject.getString("target")).isEqualTo("request/" + requestId);
    assertThat(reject.getJsonObject("before").getString("status")).isEqualTo("PENDING");
    assertThat(reject.getJsonObject("after").getString("status")).isEqualTo("REJECTED");
    assertThat(reject.getString("hash")).hasSize(64);
    assertThat(reject.getString("requestId")).isNotBlank();

    var verify = operator.get("/api/v1/audit/verify");
    assertThat(verify.status()).isEqualTo(200);
    assertThat(verify.json().getBoolean("valid")).as(verify.body()).isTrue();
    assertThat(verify.json().getLong("checked")).isGreaterThan(3);

    var byActor = operator.get("/api/v1/audit?actor=operator&limit=5");
    assertThat(byActor.json().getJsonArray("items")).allSatisfy(e -> assertThat(((JsonObject) e).getString("actor")).isEqualTo("operator"));
  }

  @Test
  void anInstitutionAdminSeesOnlyItsOwnEventsAndOthersCannotVerify() {
    ApiClient operator = SharedControlPlane.operator();
    JsonObject a = newInstitution(operator);
    JsonObject b = newInstitution(operator);
    ApiClient adminA = newInstitutionUser(operator, a.getString("id"), "institution-admin");
    ApiClient webmasterA = newInstitutionUser(adminA, a.getString("id"), "webmaster");
    var own = adminA.get("/api/v1/audit?limit=500");
    assertThat(own.status()).isEqualTo(200);
    assertThat(own.json().getJsonArray("items")).isNotEmpty()
        .allSatisfy(e -> assertThat(((JsonObject) e).getString("institutionId")).isEqualTo(a.getString("id")));
    var other = adminA.get("/api/v1/audit?institutionId=" + b.getString("id"));
    assertThat(other.json().getJsonArray("items")).isEmpty();
    assertThat(adminA.get("/api/v1/audit/verify").status()).isEqualTo(403);
    assertThat(webmasterA.get("/api/v1/audit").status()).isEqualTo(403);
    ApiClient auditor = SharedControlPlane.newPlatformUser("auditor");
    assertThat(auditor.get("/api/v1/audit/verify").status()).isEqualTo(200);
    assertThat(operator.get("/api/v1/audit?from=yesterday").status()).isEqualTo(400);
  }
}
