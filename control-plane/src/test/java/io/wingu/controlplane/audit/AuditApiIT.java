package io.wingu.controlplane.audit;

import static io.wingu.controlplane.testing.SharedControlPlane.newInstitution;
import static io.wingu.controlplane.testing.SharedControlPlane.newInstitutionUser;
import static io.wingu.controlplane.testing.SharedControlPlane.siteRequest;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.wingu.controlplane.testing.ApiClient;
import io.wingu.controlplane.testing.Eventually;
import io.wingu.controlplane.testing.SharedControlPlane;
import io.wingu.controlplane.testing.TestControlPlane;
import io.wingu.controlplane.wiring.ControlPlane;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** GET /audit and /audit/verify over HTTP. */
class AuditApiIT {

  @Test
  void everyTransitionIsRecordedWithBeforeAndAfterAndTheChainVerifies() throws Exception {
    ApiClient operator = SharedControlPlane.operator();
    JsonObject inst = newInstitution(operator);
    ApiClient admin = newInstitutionUser(operator, inst.getString("id"), "institution-admin");
    String requestId =
        admin.post("/api/v1/requests", siteRequest(inst, "audited")).json().getString("id");
    operator.post(
        "/api/v1/requests/" + requestId + "/reject", new JsonObject().put("reason", "not needed"));

    var events = operator.get("/api/v1/audit?institutionId=" + inst.getString("id") + "&limit=500");
    assertThat(events.status()).isEqualTo(200);
    List<JsonObject> items =
        events.json().getJsonArray("items").stream().map(JsonObject.class::cast).toList();
    assertThat(items.stream().map(e -> e.getString("action")))
        .containsSubsequence(
            "institution.create", "account.create", "request.submit", "request.reject");
    JsonObject reject =
        items.stream()
            .filter(e -> e.getString("action").equals("request.reject"))
            .findFirst()
            .orElseThrow();
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

    Eventually.holds(
        "the chain is anchored at the checkpoint signed at start-up",
        () -> operator.get("/api/v1/audit/verify").json().containsKey("anchoredSeq"),
        Duration.ofSeconds(30));
    JsonObject anchored = operator.get("/api/v1/audit/verify").json();
    assertThat(anchored.getBoolean("valid")).as(anchored.encode()).isTrue();
    assertThat(anchored.getBoolean("checkpointValid")).isTrue();
    assertThat(anchored.getLong("anchoredSeq")).isBetween(1L, anchored.getLong("checked"));
    assertThat(OffsetDateTime.parse(anchored.getString("anchoredAt"))).isNotNull();

    var byActor = operator.get("/api/v1/audit?actor=operator&limit=5");
    assertThat(byActor.json().getJsonArray("items"))
        .allSatisfy(e -> assertThat(((JsonObject) e).getString("actor")).isEqualTo("operator"));
  }

  @Test
  void timesWithAnOffsetAndValuesWithPercentSignsAreReadAsSent() {
    ApiClient operator = SharedControlPlane.operator();
    // East Africa Time is +03:00: its '+' once reached the contract check as a space (a 400)
    var eat =
        operator.get(
            "/api/v1/audit?from=2026-01-01T00%3A00%3A00%2B03%3A00&to=2100-01-01T00%3A00%3A00%2B03%3A00");
    assertThat(eat.status()).as(eat.body()).isEqualTo(200);
    var percent = operator.get("/api/v1/audit?actor=50%25");
    assertThat(percent.status()).as(percent.body()).isEqualTo(200);
    assertThat(percent.json().getJsonArray("items")).isEmpty();
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
    assertThat(own.json().getJsonArray("items"))
        .isNotEmpty()
        .allSatisfy(
            e ->
                assertThat(((JsonObject) e).getString("institutionId"))
                    .isEqualTo(a.getString("id")));
    var other = adminA.get("/api/v1/audit?institutionId=" + b.getString("id"));
    assertThat(other.json().getJsonArray("items")).isEmpty();
    assertThat(adminA.get("/api/v1/audit/verify").status()).isEqualTo(403);
    assertThat(webmasterA.get("/api/v1/audit").status()).isEqualTo(403);
    ApiClient auditor = SharedControlPlane.newPlatformUser("auditor");
    assertThat(auditor.get("/api/v1/audit/verify").status()).isEqualTo(200);
    assertThat(operator.get("/api/v1/audit?from=yesterday").status()).isEqualTo(400);
  }

  /**
   * The attack on a running control plane: the table owner rewrites the first event and every hash
   * after it; the chain is internally valid, but no longer the one signed at start-up. Then the
   * checkpoint file is edited to the rewritten head, keeping its signature.
   */
  @Test
  void aConsistentRewriteOfTheTableAndAnEditedCheckpointAreReported() throws Exception {
    Map<String, String> env = TestControlPlane.env("auditanchor");
    try (ControlPlane plane = TestControlPlane.start(env)) {
      ApiClient operator =
          ApiClient.signIn(
              plane.url(), TestControlPlane.OPERATOR, TestControlPlane.OPERATOR_PASSWORD);
      Eventually.holds(
          "the start-up checkpoint anchors the chain",
          () -> operator.get("/api/v1/audit/verify").json().containsKey("anchoredSeq"),
          Duration.ofSeconds(30));
      long anchoredSeq = operator.get("/api/v1/audit/verify").json().getLong("anchoredSeq");

      try (Handle owner =
          Jdbi.open(
              env.get("WINGU_DB_URL"),
              env.get("WINGU_DB_MIGRATION_USER"),
              env.get("WINGU_DB_MIGRATION_PASSWORD"))) {
        ChainRewrite.rewrite(
            owner, 1, new JsonObject().put("username", "intruder").put("role", "operator"));
      }
      JsonObject rewritten = operator.get("/api/v1/audit/verify").json();
      assertThat(rewritten.getBoolean("valid")).as(rewritten.encode()).isFalse();
      assertThat(rewritten.getString("reason")).isEqualTo("checkpoint-mismatch");
      assertThat(rewritten.getBoolean("checkpointValid")).isTrue();
      assertThat(rewritten.getLong("firstBrokenSeq")).isEqualTo(anchoredSeq);
      assertThat(rewritten.containsKey("anchoredSeq")).isFalse();

      Path dir = Path.of(env.get("WINGU_AUDIT_CHECKPOINT_DIR"));
      Path latest;
      try (var files = Files.list(dir)) {
        latest =
            files
                .filter(p -> p.getFileName().toString().startsWith("audit-checkpoint-"))
                .max(Path::compareTo)
                .orElseThrow();
      }
      String newHead =
          operator.get("/api/v1/audit?limit=500").json().getJsonArray("items").stream()
              .map(JsonObject.class::cast)
              .filter(e -> e.getLong("seq") == anchoredSeq)
              .findFirst()
              .orElseThrow()
              .getString("hash");
      Files.writeString(
          latest, new JsonObject(Files.readString(latest)).put("hash", newHead).encodePrettily());
      JsonObject edited = operator.get("/api/v1/audit/verify").json();
      assertThat(edited.getBoolean("valid")).as(edited.encode()).isFalse();
      assertThat(edited.getBoolean("checkpointValid")).isFalse();
      assertThat(edited.getString("reason")).isEqualTo("checkpoint-signature");
    }
  }
}
